"""The code that ran: each page's few key functions, read from the running package itself (`inspect`, never a
copy that could drift), and two paradigms' code set side by side with the lines that differ marked (`difflib`
on the real sources), so that "the same block; the mask, the objective and the loop decide" is shown in code.

A listing names its object as "module:qualified.name" (`seqviz.models.masks:causal_mask`,
`seqviz.models.autoregressive:CausalLM.forward`) and a catalogue key that says what to look at in it. Pure:
no streamlit here; the pages (seqviz.ui.code), the lessons and the slides read the same listings.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # seqviz/: module paths are shown relative to its parent


@dataclass(frozen=True)
class Listing:
    target: str  # "module:qualified.name"
    look: str  # catalogue key: what to look at in it

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]


@dataclass(frozen=True)
class Source:
    text: str  # the object's source, dedented (a method loses its class's indentation)
    path: str  # its file, from the repository root: seqviz/models/masks.py
    first_line: int  # the line its source starts on in that file (1-based)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def resolve(target: str):
    """The running object a listing names: its module imported, then each attribute of the qualified name."""
    module_name, _, qualified = target.partition(":")
    if not module_name or not qualified:
        raise ValueError(f"a listing names 'module:qualified.name', got {target!r}")
    obj = importlib.import_module(module_name)
    for part in qualified.split("."):
        obj = getattr(obj, part)
    return inspect.unwrap(obj)


@cache
def source_of(target: str) -> Source:
    """The source of the running object, as inspect reads it from the file it was loaded from (read once per
    process: the files do not change under a running server)."""
    obj = resolve(target)
    lines, first = inspect.getsourcelines(obj)
    path = Path(inspect.getsourcefile(obj)).resolve()
    shown = path.relative_to(PACKAGE_ROOT.parent).as_posix() if path.is_relative_to(PACKAGE_ROOT.parent) else path.name
    return Source(textwrap.dedent("".join(lines)), shown, first)


# ---- what makes them differ: two paradigms' code, line against line ------------------------------------------


@dataclass(frozen=True)
class Row:
    left: str | None  # a line of the left side's code (None: nothing faces the right one)
    right: str | None
    same: bool  # the two lines are equal (unchanged between the paradigms)


def side_by_side(left: list[str], right: list[str]) -> list[Row]:
    """The two sides' lines aligned by difflib's longest matching blocks: equal lines face each other
    (same=True); every other line is marked, facing its replacement or nothing."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [Row(a, b, True) for a, b in zip(left[i1:i2], right[j1:j2], strict=True)]
            continue
        a, b = left[i1:i2], right[j1:j2]
        for k in range(max(len(a), len(b))):
            rows.append(Row(a[k] if k < len(a) else None, b[k] if k < len(b) else None, False))
    return rows


def differing_lines(rows: list[Row]) -> tuple[set[int], set[int]]:
    """The 0-based line numbers, on each side, of the lines the comparison marks."""
    left, right, i, j = set(), set(), 0, 0
    for row in rows:
        if row.left is not None:
            if not row.same:
                left.add(i)
            i += 1
        if row.right is not None:
            if not row.same:
                right.add(j)
            j += 1
    return left, right


@dataclass(frozen=True)
class Comparison:
    title: str  # catalogue key
    look: str  # catalogue key: what the marked lines are
    left_name: str  # catalogue key of each side's paradigm
    right_name: str
    left: tuple[str, ...]  # targets, shown one after another
    right: tuple[str, ...]


def joined_source(targets: tuple[str, ...]) -> list[str]:
    """The sources of several targets as one list of lines, a blank line between them."""
    lines: list[str] = []
    for target in targets:
        lines += ([""] if lines else []) + source_of(target).lines
    return lines


def compare(comparison: Comparison) -> list[Row]:
    return side_by_side(joined_source(comparison.left), joined_source(comparison.right))


THE_MASK = Comparison(  # the slide's and the masks lesson's: the mask and the loss, the only lines that differ
    "code_cmp_the_mask",
    "code_cmp_bert_gpt_look",
    "code_bert",
    "code_gpt",
    ("seqviz.models.masks:bidirectional_mask", "seqviz.models.autoencoding:MaskedLM.forward"),
    ("seqviz.models.masks:causal_mask", "seqviz.models.autoregressive:CausalLM.forward"),
)
COMPARISONS: dict[str, Comparison] = {
    "bert_gpt": Comparison(
        "code_cmp_bert_gpt",
        "code_cmp_bert_gpt_look",
        "code_bert",
        "code_gpt",
        ("seqviz.models.masks:bidirectional_mask", "seqviz.models.autoencoding:MaskedLM"),
        ("seqviz.models.masks:causal_mask", "seqviz.models.autoregressive:CausalLM"),
    ),
    "gpt_seq2seq": Comparison(
        "code_cmp_gpt_seq2seq",
        "code_cmp_gpt_seq2seq_look",
        "code_gpt",
        "code_seq2seq",
        ("seqviz.models.autoregressive:CausalLM",),
        ("seqviz.models.seq2seq:TransformerSeq2Seq",),
    ),
    "ar_nat": Comparison(
        "code_cmp_ar_nat",
        "code_cmp_ar_nat_look",
        "code_ar",
        "code_nat",
        ("seqviz.models.seq2seq:TransformerSeq2Seq.decode", "seqviz.decoding.seq2seq:translate_batch"),
        ("seqviz.models.nonautoregressive:NARTransformer.decode", "seqviz.decoding.parallel:mask_predict"),
    ),
}


# ---- each page's code ----------------------------------------------------------------------------------------

MASKS_AND_BLOCK = (
    Listing("seqviz.models.masks:bidirectional_mask", "code_look_bidirectional_mask"),
    Listing("seqviz.models.masks:causal_mask", "code_look_causal_mask"),
    Listing("seqviz.models.layers:attention", "code_look_attention"),
)
PAGE_CODE: dict[str, tuple[Listing, ...]] = {  # the page's address ("" for the home page) -> its listings
    "": MASKS_AND_BLOCK,
    "Lessons": MASKS_AND_BLOCK,
    "Masks": (
        Listing("seqviz.models.masks:causal_mask", "code_look_causal_mask"),
        Listing("seqviz.models.masks:prefix_lm_mask", "code_look_prefix_lm_mask"),
        Listing("seqviz.models.layers:attention", "code_look_attention"),
    ),
    "Autoencoding": (
        Listing("seqviz.models.autoencoding:masked_lm_corruption", "code_look_masked_lm_corruption"),
        Listing("seqviz.models.autoencoding:MaskedLM.forward", "code_look_masked_lm_forward"),
    ),
    "Autoencoders": (
        Listing("seqviz.models.electra:ELECTRA.forward", "code_look_electra_forward"),
        Listing("seqviz.models.bart:noise", "code_look_bart_noise"),
        Listing("seqviz.models.vae:kl_divergence", "code_look_kl_divergence"),
    ),
    "Autoregressive": (
        Listing("seqviz.models.autoregressive:next_token_loss", "code_look_next_token_loss"),
        Listing("seqviz.decoding.autoregressive:decode_step", "code_look_decode_step"),
        Listing("seqviz.models.layers:KVCache.append", "code_look_kv_cache"),
    ),
    "Recurrent": (
        Listing("seqviz.models.recurrent:RecurrentLM.forward", "code_look_recurrent_forward"),
        Listing("seqviz.explain.reach:gradient_reach", "code_look_reach"),
    ),
    "Seq2Seq": (
        Listing("seqviz.models.masks:encoder_decoder_masks", "code_look_encoder_decoder_masks"),
        Listing("seqviz.decoding.seq2seq:translate_batch", "code_look_translate_batch"),
    ),
    "Parallel": (
        Listing("seqviz.decoding.parallel:nat_decode", "code_look_nat_decode"),
        Listing("seqviz.decoding.parallel:mask_predict", "code_look_mask_predict"),
        Listing("seqviz.decoding.parallel:ctc_decode", "code_look_ctc_decode"),
    ),
    "Fusions": (
        Listing("seqviz.models.unilm:unilm_mask", "code_look_unilm_mask"),
        Listing("seqviz.models.xlnet:two_stream_masks", "code_look_two_stream_masks"),
    ),
    "Diffusion": (
        Listing("seqviz.models.diffusion:diffusion_loss", "code_look_diffusion_loss"),
        Listing("seqviz.decoding.diffusion:diffuse", "code_look_diffuse"),
    ),
    "Pixels": (
        Listing("seqviz.models.masks:pixel_kernel_mask", "code_look_pixel_kernel_mask"),
        Listing("seqviz.decoding.pixels:raster_sample", "code_look_raster_sample"),
    ),
    "Signals": (
        Listing("seqviz.decoding.forecast:rollout", "code_look_rollout"),
        Listing("seqviz.models.forecasting:DirectForecaster.forward", "code_look_direct_forward"),
        Listing("seqviz.decoding.ctc:ctc_collapse", "code_look_ctc_collapse"),
    ),
    "Positions": (
        Listing("seqviz.models.layers:sinusoidal_table", "code_look_sinusoidal_table"),
        Listing("seqviz.models.layers:rotate_half_pairs", "code_look_rotate_half_pairs"),
    ),
    "Prompt": (
        Listing("seqviz.explain.induction:head_scores", "code_look_head_scores"),
        Listing("seqviz.explain.ablation:switched_off", "code_look_switched_off"),
    ),
    "Inside": (
        Listing("seqviz.explain.attribution:rollout", "code_look_rollout_attention"),
        Listing("seqviz.explain.ablation:without_heads", "code_look_without_heads"),
    ),
    "Explorer": (Listing("seqviz.explorer.loading:load_model", "code_look_load_model"),),
}
