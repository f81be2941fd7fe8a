"""The slide pack's figures: the app's key figures rebuilt headlessly for one sentence, at 16:9, in English or
Chinese. Models and a sentence in, plotly figures out; writing the files is `__main__`'s job."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import plotly.graph_objects as go
import torch

from ..data.facts import SUBJECTS, held_out_combinations, question, random_world
from ..data.text import tokenize
from ..data.toy import EN_WORDS, canonical_translation, right_context_sites, unknown_words
from ..decoding.autoregressive import (
    beam_labels,
    beam_search,
    best_path,
    decode_step,
    sampling_processors,
    shown_candidates,
)
from ..decoding.parallel import iteration_grid, mask_predict
from ..decoding.processors import text_suppressor
from ..decoding.retrieval import answer_batch, neighbour_ids, retrieve, world_store
from ..decoding.seq2seq import translate_batch, word_attention_maps
from ..decoding.speed import METHOD_NAME_KEYS, decoding_speeds
from ..device import describe
from ..i18n import tr
from ..models.checkpoint import Checkpoint, load_builtin
from ..models.masks import MASK_TITLE_KEYS, example_order, mask_gallery
from ..models.probe import self_attention
from ..models.unilm import unilm_mask
from ..models.xlnet import two_stream_masks
from ..training.recipes import RECIPES, retro_keys
from ..viz.attention import attention_heatmap
from ..viz.compose import figure_grid
from ..viz.generation import beam_tree, distribution_before_after
from ..viz.masks import gallery_figures, mask_figure
from ..viz.parallel import mask_predict_figure, speed_chart
from ..viz.style import font_sizes

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720  # layout px, 16:9
PNG_SCALE = 1.5  # PNGs are 1920 × 1080
DEFAULT_SENTENCE = "the black cat sees the small dogs"
MAX_WORDS = 12  # one row per token must stay readable on a slide
SECOND_SENTENCE = ("the", "cats", "sleep")  # the shorter sentence of the padding mask's batch
TOP_K, BEAM_WIDTH, BEAM_STEPS, ITERATIONS = 3, 3, 4, 10  # 4 beam steps: the tree fits a slide at full size


def sentence_words(text: str) -> list[str]:
    """The sentence as toy-language words; ValueError with the reason (and the known words) if unusable."""
    words = tokenize(text)
    if not words:
        raise ValueError("the sentence is empty")
    missing = unknown_words(words, EN_WORDS)
    if missing:
        raise ValueError(
            f"the toy language has no word {', '.join(repr(w) for w in missing[:10])}; "
            f"known words: {', '.join(EN_WORDS)}"
        )
    if len(words) > MAX_WORDS:
        raise ValueError(f"the sentence has {len(words)} words; a slide shows at most {MAX_WORDS}")
    return words


@dataclass
class Deck:
    """What every slide needs: language, sentence, device, and the built-in models (loaded once)."""

    lang: str
    words: list[str]
    device: torch.device
    speed_lengths: tuple[int, ...] = (8, 16, 32, 64)
    speed_batches: tuple[int, ...] = (1, 64)
    speed_repeats: int = 3
    models: dict[str, Checkpoint] = field(default_factory=dict)

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)

    def model(self, name: str) -> Checkpoint:
        if name not in self.models:
            self.models[name] = load_builtin(name, str(self.device))
        return self.models[name]

    @cached_property
    def translation(self) -> list[str]:
        """The Transformer's greedy translation of the sentence (without <eos>)."""
        ckpt = self.model("toy_transformer_mt")
        src = torch.tensor(ckpt.vocab.encode(self.words), device=self.device)
        return ckpt.vocab.decode(translate_batch(ckpt.model, src[None], ckpt.vocab.bos_id, ckpt.vocab.eos_id)[0])

    @cached_property
    def target(self) -> list[str]:
        """The reference French for a grammatical sentence, else the Transformer's translation."""
        return list(canonical_translation(self.words) or self.translation)

    def axes(self) -> dict[str, str]:
        return {"x_title": self.t("key_axis"), "y_title": self.t("query_axis")}


@dataclass(frozen=True)
class Slide:
    name: str  # file stem, e.g. "03_attention_bidirectional_causal"
    figure: go.Figure
    look: str  # what to look at, for the pack's index


def fitted(fig: go.Figure, title: str, subtitle: str = "") -> go.Figure:
    """The figure at slide size with the slide's title (and a subtitle naming the axes)."""
    sizes = font_sizes(True)
    top = int(sizes["title"] * 1.6 + (sizes["base"] * 1.4 if subtitle else 0) + 40)
    fig.update_layout(
        width=SLIDE_WIDTH,
        height=SLIDE_HEIGHT,
        margin={"t": top},
        title={"text": title, "subtitle": {"text": subtitle, "font": {"size": sizes["base"]}}},
    )
    return fig


def _panels(figures, columns: int, **options) -> go.Figure:
    return figure_grid(figures, columns, presentation=True, width=SLIDE_WIDTH, height=SLIDE_HEIGHT, **options)


_MASK_LEGEND = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yref": "container", "yanchor": "top"}


def _mask_slide(deck: Deck, names: tuple[str, ...], columns: int, title: str, axes: str) -> go.Figure:
    gallery = mask_gallery(
        deck.words, deck.target, SECOND_SENTENCE, min(2, len(deck.words)), example_order(len(deck.words))
    )
    figures = gallery_figures(
        gallery,
        {name: deck.t(MASK_TITLE_KEYS[name]) for name in names},
        names,
        presentation=True,
        x_title="",
        y_title="",
        allowed_label=deck.t("allowed"),
        blocked_label=deck.t("blocked"),
    )
    grid = _panels(list(figures.values()), columns, legend=_MASK_LEGEND, h_gap=0.06)
    return fitted(grid, deck.t(title), deck.t(axes))


def masks_self(deck: Deck) -> go.Figure:
    names = ("bidirectional", "causal", "prefix_lm", "permutation")
    return _mask_slide(deck, names, 4, "slide_masks_self_title", "slide_masks_self_axes")


def masks_seq2seq(deck: Deck) -> go.Figure:
    names = ("encoder_self", "decoder_self", "cross", "nar_decoder", "padding")
    return _mask_slide(deck, names, 5, "slide_masks_seq2seq_title", "slide_masks_seq2seq_axes")


def attention_bidirectional_causal(deck: Deck) -> go.Figure:
    mlm, clm = deck.model("toy_mlm"), deck.model("toy_clm")
    mlm_ids = [mlm.vocab.cls_id, *mlm.vocab.encode(deck.words), mlm.vocab.sep_id]
    clm_ids = [clm.vocab.bos_id, *clm.vocab.encode(deck.words)]
    bidirectional = self_attention(mlm.model, mlm_ids)[-1].mean(0)  # (T+2, T+2)
    causal = self_attention(clm.model, clm_ids)[-1].mean(0)  # (T+1, T+1)
    future = np.triu(np.ones(causal.shape, bool), 1)
    common = {"presentation": True, "colorbar_title": deck.t("weight"), "show_values": False, **deck.axes()}
    mlm_labels, clm_labels = mlm.vocab.decode(mlm_ids), clm.vocab.decode(clm_ids)
    figures = [
        attention_heatmap(bidirectional, mlm_labels, mlm_labels, deck.t("slide_attention_mlm"), **common),
        attention_heatmap(
            causal,
            clm_labels,
            clm_labels,
            deck.t("slide_attention_clm"),
            masked=future,
            masked_label=deck.t("blocked"),
            **common,
        ),
    ]
    return fitted(_panels(figures, 2, h_gap=0.14), deck.t("slide_attention_title"), deck.t("slide_attention_axes"))


def _prompt(deck: Deck, vocab) -> tuple[list[int], str]:
    words = deck.words[: min(2, len(deck.words))]
    return [vocab.bos_id, *vocab.encode(words)], " ".join(words)


def ar_step(deck: Deck) -> go.Figure:
    clm = deck.model("toy_clm")
    vocab = clm.vocab
    prompt, shown = _prompt(deck, vocab)
    processors = [text_suppressor(vocab), *sampling_processors(1.0, TOP_K, 1.0)]
    record = decode_step(
        clm.model,
        torch.tensor(prompt, device=deck.device),
        processors,
        greedy=False,
        generator=torch.Generator().manual_seed(0),
    )
    top = shown_candidates(record.probs_before.cpu(), record.token_id, 8)
    fig = distribution_before_after(
        vocab.decode(top),
        record.probs_before[top].tolist(),
        record.probs_after[top].tolist(),
        chosen=vocab.token(record.token_id),
        presentation=True,
        before_label=deck.t("ar_before"),
        after_label=deck.t("ar_after"),
        x_title=deck.t("ae_probability"),
    )
    return fitted(fig, deck.t("slide_step_title", prompt=shown, k=TOP_K), deck.t("slide_step_axes"))


def beam(deck: Deck) -> go.Figure:
    clm = deck.model("toy_clm")
    prompt, shown = _prompt(deck, clm.vocab)
    result = beam_search(
        clm.model, torch.tensor(prompt, device=deck.device), BEAM_WIDTH, BEAM_STEPS, 1.0, clm.vocab.eos_id
    )
    fig = beam_tree(
        result.nodes,
        beam_labels(result, clm.vocab, prompt),
        presentation=True,
        kept_label=deck.t("ar_kept"),
        pruned_label=deck.t("ar_pruned"),
        finished_label=deck.t("ar_finished_node"),
        best_path=best_path(result),
        x_title=deck.t("ar_beam_steps"),
        pruned_text=False,
    )  # a printed tree has no hover
    return fitted(fig, deck.t("slide_beam_title", prompt=shown, width=BEAM_WIDTH), deck.t("slide_beam_axes"))


def cross_attention(deck: Deck) -> go.Figure:
    ckpt = deck.model("toy_transformer_mt")
    output = deck.translation
    cross = word_attention_maps(ckpt.model, ckpt.vocab, deck.words, output).cross[-1].mean(0)  # (T+1, S)
    fig = attention_heatmap(
        cross,
        [*output, "<eos>"],
        deck.words,
        presentation=True,
        x_title=deck.t("s2s_source"),
        y_title=deck.t("s2s_target"),
        colorbar_title=deck.t("weight"),
    )
    return fitted(fig, deck.t("slide_cross_title"), deck.t("slide_cross_axes"))


def alignment(deck: Deck) -> go.Figure:
    target = deck.target
    rows = [*target, "<eos>"]
    bahdanau, transformer = deck.model("toy_bahdanau_mt"), deck.model("toy_transformer_mt")
    additive = word_attention_maps(bahdanau.model, bahdanau.vocab, deck.words, target).cross[0][0]  # (T+1, S)
    cross = word_attention_maps(transformer.model, transformer.vocab, deck.words, target).cross[-1].mean(0)
    common = {
        "presentation": True,
        "colorbar_title": deck.t("weight"),
        "show_values": False,
        "x_title": deck.t("s2s_source"),
        "y_title": deck.t("s2s_target"),
    }
    figures = [
        attention_heatmap(additive, rows, deck.words, deck.t("s2s_bahdanau_title"), **common),
        attention_heatmap(cross, rows, deck.words, deck.t("s2s_transformer_title"), **common),
    ]
    return fitted(_panels(figures, 2, h_gap=0.16), deck.t("slide_alignment_title"), deck.t("slide_alignment_axes"))


def mask_predict_iterations(deck: Deck) -> go.Figure:
    ckpt = deck.model("cmlm_distilled")
    vocab = ckpt.vocab
    src = torch.tensor(vocab.encode(deck.words), device=deck.device)
    result = mask_predict(ckpt.model, src[None], vocab.mask_id, ITERATIONS)
    ids, confidence, remasked = iteration_grid(result.iterations, vocab.pad_id)
    fig = mask_predict_figure(
        [vocab.decode(row) for row in ids],
        confidence,
        remasked,
        presentation=True,
        x_title=deck.t("par_position"),
        y_title=deck.t("par_iteration"),
        colorbar_title=deck.t("par_confidence"),
    )
    return fitted(fig, deck.t("slide_mask_predict_title"), deck.t("slide_mask_predict_axes"))


def speed(deck: Deck) -> go.Figure:
    size = {k: v for k, v in RECIPES["toy_transformer_mt"].model.items() if k not in ("max_len", "dropout")}
    vocab_size = len(deck.model("toy_transformer_mt").vocab)
    rows = decoding_speeds(
        size, vocab_size, deck.speed_lengths, deck.speed_batches, device=deck.device, repeats=deck.speed_repeats
    )
    names = {m: deck.t(key, t=ITERATIONS) for m, key in METHOD_NAME_KEYS.items()}
    figures = [
        speed_chart(
            deck.speed_lengths,
            {m: [r.median_ms for r in rows if r.method == m and r.batch == batch] for m in METHOD_NAME_KEYS},
            names,
            deck.t("par_speed_title", b=batch),
            presentation=True,
            x_title=deck.t("par_speed_x"),
            y_title=deck.t("par_speed_y"),
        )
        for batch in deck.speed_batches
    ]
    legend = {
        "orientation": "h",
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "x": 0,
        "font": {"size": font_sizes(True)["tick"]},
    }
    grid = _panels(figures, len(figures), legend=legend, h_gap=0.1)
    grid.update_layout(margin={"b": 110})
    measured = deck.t("slide_speed_measured", device=describe(deck.device), repeats=deck.speed_repeats)
    return fitted(grid, deck.t("slide_speed_title"), f"{deck.t('slide_speed_axes')} · {measured}")


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
        figures.append(
            attention_heatmap(
                weights,
                labels,
                labels,
                deck.t(titles[mode]),
                masked=blocked,
                masked_label=deck.t("blocked"),
                presentation=True,
                colorbar_title=deck.t("weight"),
                show_values=False,
                x_title="",
                y_title="",
            )
        )
    grid = _panels(figures, 3, h_gap=0.08)
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
    grid = _panels(figures, 2, legend=_MASK_LEGEND, h_gap=0.12)
    order_text = " ".join(labels[p] for p in order[1:])
    return fitted(grid, deck.t("slide_xlnet_title"), deck.t("slide_xlnet_axes", order=order_text))


def _cross_attention(model, src: torch.Tensor, output: list[int], vocab) -> np.ndarray:
    """The last layer's cross-attention, mean over heads, of a teacher-forced pass over <bos> output. -> (T, S)"""
    tgt = torch.tensor([[vocab.bos_id, *output]], device=src.device)
    with torch.no_grad():
        return model(src, tgt, need_weights=True).cross_attention[-1][0].mean(0).cpu().numpy()


RETRO_WORLD_SEED, RETRO_ASKED = 2026, 7  # the page's first world, and one question about it


def retro_neighbours(deck: Deck) -> go.Figure:
    """RETRO reading its datastore: the answer's cross-attention over the 4 retrieved chunks."""
    ckpt = deck.model("toy_retro")
    vocab = ckpt.vocab
    recipe = RECIPES["toy_retro"]
    keys = retro_keys(recipe.retriever, recipe.data["n_distractors"], str(deck.device))
    world = random_world(random.Random(RETRO_WORLD_SEED), held_out_combinations())
    store = world_store(keys, world)
    chunks = [store.chunks[i] for i, _ in retrieve(store, keys.questions[RETRO_ASKED])]
    src = neighbour_ids(chunks, vocab)[None].to(deck.device)  # (1, K, L)
    asked = question(SUBJECTS[RETRO_ASKED])
    prompt = torch.tensor([[vocab.bos_id, *vocab.encode(list(asked))]], device=deck.device)
    answer = answer_batch(ckpt.model, src, prompt, vocab.eos_id)[0]
    written = [*prompt[0, 1:].tolist(), *answer]
    weights = _cross_attention(ckpt.model, src, written, vocab)  # (T, K·L)
    real = (src[0] != vocab.pad_id).flatten().cpu().numpy()
    columns = [f"{k + 1}·{vocab.token(int(t))}" for k in range(src.size(1)) for t in src[0, k].tolist()]
    fig = attention_heatmap(
        weights[:, real],
        ["<bos>", *vocab.decode(written)],
        [c for c, r in zip(columns, real, strict=True) if r],
        f"{' '.join(asked)} → {' '.join(vocab.decode(answer))}",
        presentation=True,
        colorbar_title=deck.t("weight"),
        show_values=False,
        x_title="",
        y_title="",
    )
    return fitted(_panels([fig], 1), deck.t("slide_retro_title"), deck.t("slide_retro_axes"))


# (file stem, builder, "what to look at" key): the order of a lesson
SLIDES: tuple[tuple[str, Callable[[Deck], go.Figure], str], ...] = (
    ("01_masks_self_attention", masks_self, "slide_masks_self_look"),
    ("02_masks_encoder_decoder", masks_seq2seq, "slide_masks_seq2seq_look"),
    ("03_attention_bidirectional_vs_causal", attention_bidirectional_causal, "slide_attention_look"),
    ("04_autoregressive_step", ar_step, "slide_step_look"),
    ("05_beam_search_tree", beam, "slide_beam_look"),
    ("06_cross_attention", cross_attention, "slide_cross_look"),
    ("07_bahdanau_vs_transformer", alignment, "slide_alignment_look"),
    ("08_mask_predict_iterations", mask_predict_iterations, "slide_mask_predict_look"),
    ("09_speed_vs_length", speed, "slide_speed_look"),
    ("10_unilm_one_network_three_masks", unilm_masks, "slide_unilm_look"),
    ("11_xlnet_two_streams", xlnet_streams, "slide_xlnet_look"),
    ("12_retro_reads_its_datastore", retro_neighbours, "slide_retro_look"),
)


def build_slides(deck: Deck, only: Callable[[str], bool] = lambda name: True):
    """Yield each slide in lesson order (a generator, so a caller can write each as soon as it is ready)."""
    for name, build, look in SLIDES:
        if only(name):
            values = {"width": BEAM_WIDTH, "device": describe(deck.device), "repeats": deck.speed_repeats}
            yield Slide(name, build(deck), deck.t(look, **values))
