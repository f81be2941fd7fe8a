"""Step-by-step decoding as animated GIFs: a causal LM writing word by word with each new word's attention row,
mask-predict's iterations, the masked diffusion LM's steps and beam search's tree growing. Every frame is a
figure from the slide pack's own builders at slide size (1280 × 720), the decoding run once and revealed
frame by frame, so the layout never jumps; Pillow encodes the GIF."""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import torch

from ..decoding.autoregressive import (
    attention_rows,
    beam_labels,
    beam_search,
    best_path,
    generate_steps,
    shown_candidates,
)
from ..decoding.diffusion import denoising_grid, diffuse, masked_start
from ..decoding.parallel import iteration_grid, mask_predict
from ..decoding.processors import text_suppressor
from ..viz.attention import attention_heatmap
from ..viz.bars import topk_bars
from ..viz.beam import beam_tree
from ..viz.parallel import mask_predict_figure
from ..viz.static_export import export_session, to_png_bytes
from .deck import BEAM_STEPS, BEAM_WIDTH, ITERATIONS, SLIDE_HEIGHT, SLIDE_WIDTH, Deck, fitted, panels
from .slides import prompt_of

GENERATED_WORDS = 8  # words the causal LM writes in its animation
FRAME_MS, LAST_FRAME_MS = 900, 3000  # each frame on screen; the last one stays longer before the loop
NOT_YET = "·"  # a cell or label the decoding has not reached in this frame


@dataclass(frozen=True)
class Animation:
    name: str  # file stem: "ar_generation", ...
    frames: tuple[go.Figure, ...]  # each at slide size
    frame_ms: int = FRAME_MS
    last_frame_ms: int = LAST_FRAME_MS

    @property
    def size(self) -> tuple[int, int]:
        return SLIDE_WIDTH, SLIDE_HEIGHT

    @property
    def durations_ms(self) -> list[int]:
        return [self.frame_ms] * (len(self.frames) - 1) + [self.last_frame_ms]


def _shown_tokens(tokens: Sequence[Sequence[str]], upto: int) -> list[list[str]]:
    """A token grid with the rows after `upto` (0-based, included) blanked: what frame `upto` shows."""
    return [list(row) if r <= upto else [NOT_YET] * len(row) for r, row in enumerate(tokens)]


def _grid_animation(name: str, deck: Deck, tokens, confidence, fresh, title: str, axes: tuple[str, str, str]):
    """One frame per row of a (rows, positions) token grid (mask-predict's iterations, diffusion's steps): the
    rows up to the frame's drawn, the frame's new words framed, later rows empty. axes: catalogue keys of the
    x title, the y title and the subtitle."""
    x_title, y_title, subtitle = axes
    rows = np.arange(len(tokens))[:, None]  # (R, 1)
    frames = []
    for row in range(len(tokens)):
        fig = mask_predict_figure(
            _shown_tokens(tokens, row),
            np.where(rows <= row, confidence, 0.0),
            np.where(rows == row, fresh, False),
            presentation=True,
            x_title=deck.t(x_title),
            y_title=deck.t(y_title),
            colorbar_title=deck.t("par_confidence"),
        )
        frames.append(fitted(fig, title, deck.t(subtitle)))
    return Animation(name, tuple(frames))


def iterations_animation(deck: Deck, tokens, confidence, remasked, title: str) -> Animation:
    """Mask-predict's iterations, one frame each, the re-predicted words framed: tokens [[str]] and
    confidence and remasked (iterations, positions) as iteration_grid gives them."""
    axes = ("par_position", "par_iteration", "slide_mask_predict_axes")
    return _grid_animation("mask_predict", deck, tokens, confidence, remasked, title, axes)


def denoising_animation(deck: Deck, tokens, confidence, revealed, title: str) -> Animation:
    """A masked diffusion run, one frame per denoising step, the words each step revealed framed: tokens
    [[str]] and confidence and revealed (steps, positions) as denoising_grid gives them."""
    axes = ("dif_position", "dif_step", "slide_diffusion_axes")
    return _grid_animation("diffusion", deck, tokens, confidence, revealed, title, axes)


def mask_predict_animation(deck: Deck) -> Animation:
    """Mask-predict translating the deck sentence (the slide's run)."""
    ckpt = deck.model("cmlm_distilled")
    vocab = ckpt.vocab
    src = torch.tensor([vocab.encode(deck.words)], device=deck.device)
    result = mask_predict(ckpt.model, src, vocab.mask_id, ITERATIONS)
    ids, confidence, remasked = iteration_grid(result.iterations, vocab.pad_id)
    title = deck.t("anim_mask_predict_title", sentence=" ".join(deck.words))
    return iterations_animation(deck, [vocab.decode(row) for row in ids], confidence, remasked, title)


def diffusion_animation(deck: Deck) -> Animation:
    """The masked diffusion LM writing a sentence of the deck sentence's length from all [MASK], one word per
    step, the surest first (the slide's seeded run)."""
    ckpt = deck.model("toy_diffusion")
    n = len(deck.words)
    start = masked_start([n], ckpt.vocab).to(deck.device)
    result = diffuse(ckpt.model, start, ckpt.vocab, n, "confidence", generator=torch.Generator().manual_seed(0))
    return denoising_animation(deck, *denoising_grid(result, ckpt.vocab), deck.t("slide_diffusion_title"))


def _prompt(deck: Deck, prompt: Sequence[int] | None) -> tuple[list[int], str]:
    """The causal LM's prompt ids (<bos> first) and its words: the given ones, else the slide's."""
    vocab = deck.model("toy_clm").vocab
    if prompt is None:
        return prompt_of(deck, vocab)
    return list(prompt), " ".join(vocab.decode(list(prompt[1:])))


def ar_generation_animation(deck: Deck, prompt: Sequence[int] | None = None, words: int = GENERATED_WORDS) -> Animation:
    """The causal LM continuing a prompt greedily (the slide's unless given), one frame per word: the
    attention rows of every word written so far (last layer, mean over heads) and the distribution the new
    word was taken from."""
    clm = deck.model("toy_clm")
    vocab = clm.vocab
    prompt, shown = _prompt(deck, prompt)
    records = list(
        generate_steps(
            clm.model,
            torch.tensor(prompt, device=deck.device),
            words,
            processors=[text_suppressor(vocab)],
            eos_id=vocab.eos_id,
            need_weights=True,
        )
    )
    tokens = vocab.decode([*prompt, *(r.token_id for r in records)])  # every position, <eos> included
    rows = attention_rows(records).numpy()  # (N, T) NaN where a step could not look
    frames = []
    for k, record in enumerate(records):
        shown_rows = rows.copy()
        shown_rows[k + 1 :] = np.nan  # rows not written yet
        read = len(prompt) + k  # positions this step read; it writes position `read`
        attention = attention_heatmap(
            np.nan_to_num(shown_rows),
            [tokens[len(prompt) + j] if j <= k else NOT_YET for j in range(len(records))],
            [t if j <= read else NOT_YET for j, t in enumerate(tokens[: rows.shape[1]])],
            deck.t("anim_ar_attention"),
            masked=np.isnan(shown_rows),
            masked_label=deck.t("anim_not_yet"),
            presentation=True,
            colorbar_title=deck.t("weight"),
            show_values=False,
            x_title="",
            y_title="",
        )
        top = shown_candidates(record.probs_before.cpu(), record.token_id, 6)
        bars = topk_bars(
            vocab.decode(top),
            record.probs_before[top].tolist(),
            deck.t("anim_ar_next", word=vocab.token(record.token_id)),
            presentation=True,
            x_title=deck.t("ae_probability"),
        )
        title = deck.t("anim_ar_title", prompt=shown, sentence=" ".join(tokens[1 : read + 1]))
        frames.append(fitted(panels([attention, bars], 2, h_gap=0.14), title, deck.t("anim_ar_axes")))
    return Animation("ar_generation", tuple(frames))


def _only_up_to(fig: go.Figure, step: int) -> go.Figure:
    """A beam tree with every node after `step`, and the edges into them, taken out (positions unchanged)."""
    fig = copy.deepcopy(fig)
    for trace in fig.data:
        xs = list(trace.x)
        if trace.mode == "lines":  # edges: runs of points ending at the child's step, split by None
            keep_x, keep_y, run = [], [], []
            for x, y in zip([*xs, None], [*trace.y, None], strict=True):
                if x is None:
                    if run and max(p[0] for p in run) <= step + 1e-9:
                        keep_x += [p[0] for p in run] + [None]
                        keep_y += [p[1] for p in run] + [None]
                    run = []
                else:
                    run.append((x, y))
            trace.x, trace.y = keep_x, keep_y
        else:  # nodes: hide the later ones (their text too) but keep the trace, so the legend stays
            visible = [x <= step + 1e-9 for x in xs]
            trace.x = [x if v else None for x, v in zip(xs, visible, strict=True)]
            trace.text = [t if v else "" for t, v in zip(trace.text, visible, strict=True)]
    return fig


def beam_animation(
    deck: Deck,
    prompt: Sequence[int] | None = None,
    width: int = BEAM_WIDTH,
    steps: int = BEAM_STEPS,
    length_penalty: float = 1.0,
) -> Animation:
    """Beam search after a prompt (the slide's unless given), one frame per step: the candidates it considered
    so far, kept or pruned; the last frame marks the best path."""
    clm = deck.model("toy_clm")
    prompt, shown = _prompt(deck, prompt)
    result = beam_search(
        clm.model, torch.tensor(prompt, device=deck.device), width, steps, length_penalty, clm.vocab.eos_id
    )
    common = {
        "presentation": True,
        "kept_label": deck.t("ar_kept"),
        "pruned_label": deck.t("ar_pruned"),
        "finished_label": deck.t("ar_finished_node"),
        "x_title": deck.t("ar_beam_steps"),
        "pruned_text": False,
    }
    labels = beam_labels(result, clm.vocab, prompt)
    title = deck.t("slide_beam_title", prompt=shown, width=width)
    growing = beam_tree(result.nodes, labels, **common)
    final = beam_tree(result.nodes, labels, best_path=best_path(result), **common)
    last = max(node.step for node in result.nodes)
    frames = [_only_up_to(growing, step) for step in range(last)] + [final]
    return Animation("beam", tuple(fitted(f, title, deck.t("slide_beam_axes")) for f in frames))


ANIMATIONS: dict[str, Callable[[Deck], Animation]] = {
    "ar_generation": ar_generation_animation,
    "beam": beam_animation,
    "mask_predict": mask_predict_animation,
    "diffusion": diffusion_animation,
}

_RENDER_LOCK = threading.Lock()  # one headless browser at a time: kaleido's server is one per process


def gif_bytes(animation: Animation) -> bytes:
    """The animation as a looping GIF: each frame rendered at slide size (1280 × 720) and quantised to its own
    256-colour palette."""
    from PIL import Image  # Pillow: a runtime requirement (Streamlit needs it too)

    with _RENDER_LOCK, export_session():
        pngs = [to_png_bytes(frame, scale=1) for frame in animation.frames]
    images = [Image.open(io.BytesIO(png)).convert("RGB").quantize(256, dither=Image.Dither.NONE) for png in pngs]
    out = io.BytesIO()
    images[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=animation.durations_ms,
        loop=0,
        disposal=1,
        optimize=False,
    )
    return out.getvalue()
