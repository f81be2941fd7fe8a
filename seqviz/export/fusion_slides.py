"""The fusions' slides: UniLM's one network under three masks, XLNet's two streams, T5's two prefixes and
RETRO reading its datastore."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import torch

from ..data.facts import SUBJECTS, World, held_out_combinations, question, random_world
from ..data.text_to_text import with_prefix
from ..data.toy import right_context_sites
from ..decoding.retrieval import FactKeys, answer_batch, neighbour_ids, retrieve, world_store
from ..decoding.seq2seq import translate_batch
from ..models.unilm import unilm_mask
from ..models.xlnet import two_stream_masks
from ..training.recipes import RECIPES
from ..training.splits import retro_keys
from ..viz.masks import mask_figure
from .deck import MASK_LEGEND, Deck, fitted, panel_heatmap, panels


def unilm_masks(deck: Deck) -> go.Figure:
    """One UniLM under its three masks: the same weights' attention (last layer, mean over heads) when it fills
    a blank, continues and translates the deck's sentence."""
    ckpt = deck.model("toy_unilm")
    vocab, network = ckpt.vocab, ckpt.model
    english = vocab.encode(deck.words)
    blanked = [*english[:1], vocab.mask_id, *english[2:]] if len(english) > 1 else [vocab.mask_id]
    inputs = {
        "bidirectional": [vocab.cls_id, *blanked, vocab.sep_id],
        "causal": [vocab.bos_id, *english],
        "seq2seq": [vocab.bos_id, *english, vocab.sep_id, *vocab.encode(deck.target)],
    }
    titles = {"bidirectional": "fu_mode_bidirectional", "causal": "fu_mode_causal", "seq2seq": "fu_mode_seq2seq"}
    figures = []
    for mode, row in inputs.items():
        ids = torch.tensor([row], device=deck.device)
        view = network.view(mode)
        with torch.no_grad():
            weights = view(ids, need_weights=True).self_attention[-1][0].mean(0).cpu().numpy()  # (T, T)
        blocked = ~unilm_mask(mode, ids, view.source_lengths(ids), vocab.pad_id)[0].cpu().numpy()
        labels = vocab.decode(row)
        figures.append(panel_heatmap(deck, weights, labels, labels, deck.t(titles[mode]), masked=blocked))
    grid = panels(figures, 3, h_gap=0.08)
    return fitted(grid, deck.t("slide_unilm_title"), deck.t("slide_unilm_axes"))


def xlnet_streams(deck: Deck) -> go.Figure:
    """XLNet's two masks for one factorisation order of the deck's sentence: the noun (or the second word)
    predicted last, after every word to its right."""
    words = deck.words
    sites = right_context_sites(words)
    last = sites[0][0] if sites else min(1, len(words) - 1)
    order = [0, *(p + 1 for p in range(len(words)) if p != last), last + 1]
    content, query = two_stream_masks([order], len(order))
    labels = ["<bos>", *words]
    common = {
        "presentation": True,
        "x_title": "",
        "y_title": "",
        "allowed_label": deck.t("allowed"),
        "blocked_label": deck.t("blocked"),
    }
    figures = [
        mask_figure(content[0].numpy(), labels, labels, deck.t("slide_xlnet_content"), **common),
        mask_figure(query[0].numpy(), labels, labels, deck.t("slide_xlnet_query"), **common),
    ]
    grid = panels(figures, 2, legend=MASK_LEGEND, h_gap=0.12)
    order_text = " ".join(labels[p] for p in order[1:])
    return fitted(grid, deck.t("slide_xlnet_title"), deck.t("slide_xlnet_axes", order=order_text))


def _cross_attention(model, src: torch.Tensor, output: list[int], vocab) -> np.ndarray:
    """The last layer's cross-attention, mean over heads, of a teacher-forced pass over <bos> output: row t is
    the step that writes output[t] (the last row writes <eos>). -> (T + 1, S)"""
    tgt = torch.tensor([[vocab.bos_id, *output]], device=src.device)
    with torch.no_grad():
        return model(src, tgt, need_weights=True).cross_attention[-1][0].mean(0).cpu().numpy()


def t5_prefixes(deck: Deck) -> go.Figure:
    """One T5 model, two prefixes: translating the deck's sentence and reversing digits, each output token's
    cross-attention over its input."""
    ckpt = deck.model("toy_t5")
    vocab, model = ckpt.vocab, ckpt.model
    figures = []
    for task, body in (("translate", deck.words), ("reverse", list("31415926"))):
        tokens = list(with_prefix(task, body))
        src = torch.tensor([vocab.encode(tokens)], device=deck.device)  # (1, S)
        output = translate_batch(model, src, vocab.bos_id, vocab.eos_id)[0]
        figures.append(
            panel_heatmap(
                deck,
                _cross_attention(model, src, output, vocab),
                [*vocab.decode(output), "<eos>"],
                tokens,
                f"{task}: → {' '.join(vocab.decode(output))}",
            )
        )
    return fitted(panels(figures, 2, h_gap=0.12), deck.t("slide_t5_title"), deck.t("slide_t5_axes"))


RETRO_WORLD_SEED, RETRO_ASKED = 2026, 7  # the page's first world, and one question about it


@dataclass(frozen=True)
class RetroAnswer:
    chunks: list[tuple[str, ...]]  # the retrieved chunks, nearest first
    neighbours: torch.Tensor  # (1, K, L) their ids
    prompt: torch.Tensor  # (1, T) <bos> and the question
    answer: list[int]  # what RETRO wrote after the question


_RETRO_KEYS: dict[str, FactKeys] = {}
_RETRO_KEYS_LOCK = threading.Lock()


def shared_retro_keys(device: str) -> FactKeys:
    """The datastore keys of every fact, question and distractor: computed once per process and device
    (seconds; sessions that ask together wait for the one computation) and never changed."""
    with _RETRO_KEYS_LOCK:
        if device not in _RETRO_KEYS:
            recipe = RECIPES["toy_retro"]
            _RETRO_KEYS[device] = retro_keys(recipe.retriever, recipe.data["n_distractors"], device)
        return _RETRO_KEYS[device]


def retro_answer(deck: Deck, world: World, asked: int) -> RetroAnswer:
    """RETRO asked where SUBJECTS[asked] is in a world: the question's nearest chunks in the world's datastore
    (cosine similarity of the frozen retriever's states), then the answer written reading them."""
    ckpt = deck.model("toy_retro")
    vocab = ckpt.vocab
    keys = shared_retro_keys(str(deck.device))
    store = world_store(keys, world)
    chunks = [store.chunks[i] for i, _ in retrieve(store, keys.questions[asked])]
    src = neighbour_ids(chunks, vocab)[None].to(deck.device)  # (1, K, L)
    prompt = torch.tensor([[vocab.bos_id, *vocab.encode(list(question(SUBJECTS[asked])))]], device=deck.device)
    return RetroAnswer(chunks, src, prompt, answer_batch(ckpt.model, src, prompt, vocab.eos_id)[0])


def retro_world() -> World:
    """The page's first world."""
    return random_world(random.Random(RETRO_WORLD_SEED), held_out_combinations())


def retro_reading(deck: Deck, world: World, asked: int) -> go.Figure:
    """RETRO answering the question about SUBJECTS[asked] in a world: the answer's cross-attention over the
    retrieved chunks."""
    ckpt = deck.model("toy_retro")
    vocab = ckpt.vocab
    read = retro_answer(deck, world, asked)
    src = read.neighbours
    written = [*read.prompt[0, 1:].tolist(), *read.answer]
    weights = _cross_attention(ckpt.model, src, written, vocab)  # (T, K·L)
    real = (src[0] != vocab.pad_id).flatten().cpu().numpy()
    columns = [f"{k + 1}·{vocab.token(int(t))}" for k in range(src.size(1)) for t in src[0, k].tolist()]
    fig = panel_heatmap(
        deck,
        weights[:, real],
        [*vocab.decode(written), "<eos>"],
        [c for c, r in zip(columns, real, strict=True) if r],
        f"{' '.join(question(SUBJECTS[asked]))} → {' '.join(vocab.decode(read.answer))}",
    )
    return fitted(panels([fig], 1), deck.t("slide_retro_title"), deck.t("slide_retro_axes"))


def retro_neighbours(deck: Deck) -> go.Figure:
    """RETRO reading its datastore: the page's first world and question."""
    return retro_reading(deck, retro_world(), RETRO_ASKED)
