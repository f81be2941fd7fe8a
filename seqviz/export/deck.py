"""What every slide is built from: the deck (language, sentence, device, the models loaded once), the slide
size, and the helpers that fit a figure to a slide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import plotly.graph_objects as go
import torch

from ..data.text import tokenize
from ..data.toy import EN_WORDS, canonical_translation, check_translation, unknown_words
from ..decoding.seq2seq import translate_batch
from ..i18n import tr
from ..models.checkpoint import Checkpoint, load_builtin
from ..viz.attention import attention_heatmap
from ..viz.compose import figure_grid
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
    loader: Callable[[str, str], Checkpoint] = load_builtin  # (name, device) -> checkpoint; the app's is shared

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)

    def model(self, name: str) -> Checkpoint:
        if name not in self.models:
            self.models[name] = self.loader(name, str(self.device))
        return self.models[name]

    @cached_property
    def translation(self) -> list[str]:
        """The Transformer's greedy translation of the sentence (without <eos>)."""
        ckpt = self.model("toy_transformer_mt")
        src = torch.tensor(ckpt.vocab.encode(self.words), device=self.device)
        return ckpt.vocab.decode(translate_batch(ckpt.model, src[None], ckpt.vocab.bos_id, ckpt.vocab.eos_id)[0])

    @cached_property
    def is_grammatical(self) -> bool:
        """Whether the toy grammar parses the sentence (then its true translations and alignment are known)."""
        return canonical_translation(self.words) is not None

    def translates(self, french) -> bool:
        """Whether french translates the sentence: by the grammar's own translations when it parses, else
        against the Transformer's translation."""
        return check_translation(self.words, french) if self.is_grammatical else list(french) == self.translation

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


def on_page(fig: go.Figure) -> go.Figure:
    """A slide's figure for a page column, where the step's heading already names it: the width follows the
    column, and the line naming the axes takes the title's place."""
    sizes = font_sizes(True)
    axes = fig.layout.title.subtitle.text or ""
    fig.update_layout(
        width=None,
        autosize=True,
        margin={"t": int(sizes["base"] * 2.6) if axes else 30},
        title={"text": axes, "font": {"size": sizes["base"]}, "subtitle": {"text": ""}},
    )
    if fig.layout.legend.y == 1 and fig.layout.legend.yref == "container":  # a top legend would meet the title
        fig.update_layout(legend={"y": 0, "yanchor": "bottom"})
    return fig


def panels(figures, columns: int, **options) -> go.Figure:
    return figure_grid(figures, columns, presentation=True, width=SLIDE_WIDTH, height=SLIDE_HEIGHT, **options)


FOOT_LEGEND = {  # a multi-panel slide's one legend, across its foot (panels' own legends would meet the titles)
    "orientation": "h",
    "yref": "container",
    "y": 0.0,
    "yanchor": "bottom",
    "x": 0,
    "font": {"size": font_sizes(True)["tick"]},
}
MASK_LEGEND = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yref": "container", "yanchor": "top"}


def panel_heatmap(deck: Deck, weights, rows, columns, title: str, masked=None) -> go.Figure:
    """One attention panel of a multi-panel slide: no cell values or axis titles (the slide's subtitle names
    the axes), blocked cells labelled when a mask is given."""
    return attention_heatmap(
        weights,
        rows,
        columns,
        title,
        masked=masked,
        masked_label=deck.t("blocked"),
        presentation=True,
        colorbar_title=deck.t("weight"),
        show_values=False,
        x_title="",
        y_title="",
    )
