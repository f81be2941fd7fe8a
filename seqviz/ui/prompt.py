"""The "Learning from the prompt" page: induction heads in a two-layer Transformer trained on random syllables
with a repeated stretch. Your own sequence under the previous-token head and the induction head, any head switched
off; the phase change over training from the saved snapshots; every head's score; and few-shot prompts of a
mapping the model never saw, against the number of examples."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ..data.induction import (
    CHANCE,
    LENGTH,
    MAX_SHOTS,
    SYMBOLS,
    FewShot,
    few_shot_prompt,
    induction_vocab,
    parse_symbols,
    repeat_targets,
    repeated_sequence,
)
from ..explain.induction import STACK, answer, over_positions, sequence_measures
from ..export.prompt_slides import phase_change_chart
from ..models.checkpoint import checkpoint_dir, load_snapshot
from ..viz.attention import attention_heatmap, head_score_heatmap
from ..viz.induction import copying_figure, few_shot_figure
from .figures import show_plotly
from .inputs import word_list
from .models import builtin_model, read_only
from .page import PageContext

MODEL = "induction_lm"
MIN_SYMBOLS = 8  # shorter, and nothing could repeat in a way worth showing
DRAW_SEED, PROMPT_SEED = 4_100, 4_200  # the page's draws: their own seeds, not the test split's
DEFAULT_K = 3
SHOWN_UNKNOWN = 10


def _checkpoint(ctx: PageContext):
    return builtin_model(MODEL, str(ctx.device))


def _heads(metrics: dict) -> tuple[tuple[int, int], tuple[int, int]]:
    """(previous-token head, induction head), each 0-based (layer, head), as recorded."""
    return tuple(metrics["best_previous_token_head"]), tuple(metrics["best_induction_head"])


def head_name(ctx: PageContext, head) -> str:
    return ctx.t("icl_head_name", layer=head[0] + 1, head=head[1] + 1)


@st.cache_resource(show_spinner=False, max_entries=16)
def _snapshot(step: int, device: str) -> torch.nn.Module:
    """The model as it was at `step` of training (snapshots/), loaded once per server, shared read-only."""
    model = load_snapshot(checkpoint_dir(MODEL), step, device)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model


@st.cache_data(max_entries=256, show_spinner=False)
def _measured(tokens: tuple[str, ...], device: str, step: int | None, off: tuple) -> dict:
    """The sequence through the final model (step None) or a snapshot, heads `off` switched off: each position's
    probability of the true next symbol, its attention, and the loss and accuracy where copying could work and
    elsewhere. Once per sequence, model and heads (deterministic), shared read-only."""
    ckpt = builtin_model(MODEL, device)
    model = ckpt.model if step is None else _snapshot(step, device)
    ids = torch.tensor([[ckpt.vocab.bos_id, *ckpt.vocab.encode(list(tokens))]], device=device)
    repeated = repeat_targets(list(tokens))
    others = [p for p in range(2, len(tokens) + 1) if p not in set(repeated)]
    out = sequence_measures(model, ids, [(STACK, *h) for h in off])
    (loss_repeated, accuracy_repeated), (loss_other, accuracy_other) = (
        over_positions(out, repeated),
        over_positions(out, others),
    )
    return {
        "probability": read_only(out["probability"]),
        "attention": read_only(out["attention"]),
        "repeated": repeated,
        "loss_repeated": loss_repeated,
        "accuracy_repeated": accuracy_repeated,
        "loss_other": loss_other,
        "accuracy_other": accuracy_other,
    }


# ---- the sequence --------------------------------------------------------------------------------------------


def _drawn(draw: int) -> str:
    return " ".join(repeated_sequence(random.Random(DRAW_SEED + draw)).symbols)


def _new_sequence() -> None:
    st.session_state.icl_draw = st.session_state.get("icl_draw", 0) + 1
    st.session_state.icl_text = _drawn(st.session_state.icl_draw)


def sequence_input(ctx: PageContext) -> tuple[str, ...] | None:
    """The sequence every section reads: drawn anew on a click, or typed. Unknown words are named and left out,
    a long one is cut, a short one refused, each with a message. -> the symbols, or None."""
    if "icl_text" not in st.session_state:
        st.session_state.icl_text = _drawn(0)
    st.markdown(ctx.t("icl_sequence_intro", n=len(SYMBOLS), length=LENGTH, symbols=", ".join(SYMBOLS[:10])))
    st.button(ctx.t("icl_new"), icon=":material/casino:", key="icl_new", on_click=_new_sequence)
    text = st.text_area(ctx.t("icl_text"), key="icl_text", height=100, max_chars=4000)
    symbols, unknown, cut = parse_symbols(text)
    if unknown:
        shown = word_list(ctx, [f"`{w.replace('`', 'ˋ')}`" for w in unknown], SHOWN_UNKNOWN)  # code: no Markdown
        st.warning(ctx.t("icl_unknown", words=shown, n=len(SYMBOLS)), icon=":material/translate:")
    if cut:
        st.info(ctx.t("icl_too_long", max=LENGTH), icon=":material/content_cut:")
    if len(symbols) < MIN_SYMBOLS:
        st.warning(ctx.t("icl_too_short", n=len(symbols), min=MIN_SYMBOLS), icon=":material/edit_note:")
        return None
    repeated = repeat_targets(symbols)
    if not repeated:
        st.info(ctx.t("icl_no_repeat"), icon=":material/info:")
    return tuple(symbols)


def _labels(tokens: tuple[str, ...]) -> list[str]:
    return ["<bos>", *tokens]


def _attention_figure(ctx: PageContext, attention: np.ndarray, head, tokens, title: str, name: str, key: str):
    labels = _labels(tokens)
    layer, h = head
    figure = attention_heatmap(
        attention[layer, h],
        labels,
        labels,
        title,
        presentation=ctx.presentation,
        masked=np.triu(np.ones((len(labels), len(labels)), bool), 1),
        x_title=ctx.t("icl_key_axis"),
        y_title=ctx.t("icl_query_axis"),
        colorbar_title=ctx.t("weight"),
        masked_label=ctx.t("icl_masked"),
        show_values=False,
    )
    show_plotly(figure, "prompt", name, key=key)


# ---- the two heads on the sequence, and switching them off --------------------------------------------------


@st.fragment  # a head switched off redraws this section alone
def heads_section(ctx: PageContext, tokens: tuple[str, ...] | None) -> None:
    if tokens is None:
        return
    metrics = _checkpoint(ctx).metrics
    previous, induction = _heads(metrics)
    device = str(ctx.device)
    intact = _measured(tokens, device, None, ())
    st.markdown(ctx.t("icl_heads_intro", previous=head_name(ctx, previous), induction=head_name(ctx, induction)))
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    with places[0]:
        _attention_figure(
            ctx, intact["attention"], previous, tokens,
            ctx.t("icl_previous_title", head=head_name(ctx, previous)), "previous_token_head", "icl_previous",
        )  # fmt: skip
    with places[1]:
        _attention_figure(
            ctx, intact["attention"], induction, tokens,
            ctx.t("icl_induction_title", head=head_name(ctx, induction)), "induction_head", "icl_induction",
        )  # fmt: skip
    st.caption(ctx.t("icl_stripes"))

    st.subheader(ctx.t("icl_ablation_header"))
    st.markdown(ctx.t("icl_ablation_intro"))
    off = _checked_heads(ctx, metrics)
    ablated = _measured(tokens, device, None, tuple(sorted(off))) if off else None
    _copying(ctx, tokens, intact, ablated, off)


def _role(ctx: PageContext, metrics: dict, head) -> str:
    if tuple(head) == tuple(metrics["best_previous_token_head"]):
        return ctx.t("icl_role_previous")
    if list(head) in metrics["induction_heads"]:
        return ctx.t("icl_role_induction")
    return ctx.t("icl_role_other")


def _checked_heads(ctx: PageContext, metrics: dict) -> list[tuple[int, int]]:
    """One checkbox per head, a row per layer, each named with its role. -> the heads switched off"""
    scores = np.array(metrics["head_scores"]["induction"])
    off = []
    for layer in range(scores.shape[0]):
        boxes = st.columns(scores.shape[1])
        for h, box in enumerate(boxes):
            head = (layer, h)
            label = ctx.t("icl_off_head", head=head_name(ctx, head), role=_role(ctx, metrics, head))
            if box.checkbox(label, key=f"icl_off_{layer}_{h}"):
                off.append(head)
    return off


def _copying(ctx: PageContext, tokens, intact: dict, ablated: dict | None, off: list) -> None:
    curves = {ctx.t("icl_intact"): intact["probability"]}
    if ablated is not None:
        curves[ctx.t("icl_ablated", heads=word_list(ctx, [head_name(ctx, h) for h in off]))] = ablated["probability"]
    figure = copying_figure(
        list(tokens),
        curves,
        [p - 2 for p in intact["repeated"]],  # position p is the (p − 1)-th symbol predicted, from 0
        ctx.t("icl_copying_title"),
        presentation=ctx.presentation,
        repeated_name=ctx.t("icl_repeated_name"),
        x_title=ctx.t("icl_next_axis"),
        y_title=ctx.t("icl_probability_axis"),
    )
    show_plotly(figure, "prompt", "copying", key="icl_copying")
    shown = ablated or intact
    cells = st.columns(2)
    labels = {"repeated": "icl_accuracy_repeated", "other": "icl_accuracy_other"}
    for cell, (where, label) in zip(cells, labels.items(), strict=True):
        value = shown[f"accuracy_{where}"]
        delta = None if ablated is None else f"{value - intact[f'accuracy_{where}']:+.0%}"
        cell.metric(
            ctx.t(label),
            "–" if np.isnan(value) else f"{value:.0%}",
            delta,
            delta_color="normal",
            help=ctx.t("icl_loss_help", loss=shown[f"loss_{where}"]),
        )
    if intact["repeated"]:
        key = "icl_copying_result_ablated" if ablated is not None else "icl_copying_result"
        st.markdown(
            ctx.t(
                key,
                n=len(intact["repeated"]),
                intact=intact["accuracy_repeated"],
                ablated=shown["accuracy_repeated"],
                other=intact["accuracy_other"],
                loss=intact["loss_repeated"],
                loss_ablated=shown["loss_repeated"],
                loss_other=intact["loss_other"],
            )
        )


# ---- the phase change -------------------------------------------------------------------------------------


@st.fragment  # a snapshot chosen redraws this section alone
def phase_section(ctx: PageContext, tokens: tuple[str, ...] | None) -> None:
    metrics = _checkpoint(ctx).metrics
    curve = metrics["training_curve"]
    end = curve["steps"][-1]  # the trained model itself (its measures are recorded with the snapshots')
    steps = [*metrics["snapshot_steps"], end]
    step = st.select_slider(ctx.t("icl_snapshot"), steps, value=end, key="icl_snapshot")
    phase = metrics["phase_change_step"]
    title = ctx.t("icl_phase_title", n=curve["sequences"])
    figure = phase_change_chart(ctx.t, metrics, title, presentation=ctx.presentation, chosen_step=step)
    show_plotly(figure, "prompt", "phase_change", key="icl_phase")
    first, second = curve["loss_first"], curve["loss_second"]
    st.markdown(
        ctx.t(
            "icl_phase_result",
            step=phase if phase is not None else "–",
            steepest=metrics["steepest_fall_step"],
            first_start=first[0],
            second_start=second[0],
            first_end=first[-1],
            second_end=second[-1],
            steps=curve["steps"][-1],
            ln=float(np.log(len(SYMBOLS))),
        )
    )
    measured = metrics["snapshots"][str(step)]
    st.markdown(
        ctx.t(
            "icl_snapshot_numbers",
            step=step,
            first=measured["loss_first"],
            second=measured["loss_second"],
            accuracy=measured["accuracy_second"],
            induction=measured["best_induction_score"],
            previous=measured["best_previous_token_score"],
        )
    )
    if tokens is None:
        return
    previous, induction = _heads(metrics)
    seen = _measured(tokens, str(ctx.device), None if step == end else step, ())
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    for place, head, title, name in (
        (places[0], previous, "icl_previous_title", "previous_token_head"),
        (places[1], induction, "icl_induction_title", "induction_head"),
    ):
        with place:
            _attention_figure(
                ctx, seen["attention"], head, tokens,
                ctx.t("icl_at_step", title=ctx.t(title, head=head_name(ctx, head)), step=step),
                f"{name}_step_{step}", f"icl_snap_{name}",
            )  # fmt: skip
    st.caption(ctx.t("icl_snapshot_caption", accuracy=seen["accuracy_repeated"], n=len(seen["repeated"])))


# ---- every head's score -------------------------------------------------------------------------------------


def scores_section(ctx: PageContext) -> None:
    metrics = _checkpoint(ctx).metrics
    scores = metrics["head_scores"]
    places = [st.container(), st.container()] if ctx.presentation or ctx.narrow else st.columns(2)
    for place, kind, title in (
        (places[0], "previous_token", "icl_previous_scores"),
        (places[1], "induction", "icl_induction_scores"),
    ):
        values = np.array(scores[kind])
        with place:
            figure = head_score_heatmap(
                values,
                [ctx.t("icl_layer", layer=i + 1) for i in range(values.shape[0])],
                [ctx.t("icl_head", head=h + 1) for h in range(values.shape[1])],
                ctx.t(title),
                presentation=ctx.presentation,
                x_title=ctx.t("icl_head_axis"),
                y_title=ctx.t("icl_layer_axis"),
                colorbar_title=ctx.t("icl_score"),
            )
            show_plotly(figure, "prompt", f"{kind}_scores", key=f"icl_scores_{kind}")
    previous, induction = _heads(metrics)
    every = _every_induction_head(ctx, metrics)
    ablation = metrics["ablation"]
    st.markdown(
        ctx.t(
            "icl_scores_result",
            heads=every,
            without_heads=ablation["without_induction_heads"],
            induction=head_name(ctx, induction),
            induction_score=metrics["best_induction_score"],
            previous=head_name(ctx, previous),
            previous_score=metrics["best_previous_token_score"],
            n=metrics["sequences"],
            intact=ablation["intact"],
            first=ablation["first_occurrence"],
            without_induction=ablation["without_induction_head"],
            without_previous=ablation["without_previous_token_head"],
        )
    )
    rows = {
        ctx.t("icl_model_column"): [
            ctx.t("icl_intact"),
            ctx.t("icl_ablated", heads=head_name(ctx, induction)),
            ctx.t("icl_ablated", heads=every),
            ctx.t("icl_ablated", heads=head_name(ctx, previous)),
            ctx.t("icl_first_row"),
        ],
        ctx.t("icl_accuracy_column"): [
            f"{ablation[k]:.1%}"
            for k in (
                "intact",
                "without_induction_head",
                "without_induction_heads",
                "without_previous_token_head",
                "first_occurrence",
            )
        ],
    }
    st.table(pd.DataFrame(rows), hide_index=True)


def _every_induction_head(ctx: PageContext, metrics: dict) -> str:
    return word_list(ctx, [head_name(ctx, h) for h in metrics["induction_heads"]])


# ---- few-shot -----------------------------------------------------------------------------------------------


def _new_prompt() -> None:
    st.session_state.icl_prompt_draw = st.session_state.get("icl_prompt_draw", 0) + 1


@st.fragment  # k, a new prompt or the switch redraws this section alone
def few_shot_section(ctx: PageContext) -> None:
    ckpt = _checkpoint(ctx)
    metrics = ckpt.metrics
    every = _every_induction_head(ctx, metrics)
    st.markdown(ctx.t("icl_fs_intro", chance=CHANCE))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    k = left.slider(ctx.t("icl_k"), 0, MAX_SHOTS, DEFAULT_K, key="icl_k")
    right.button(ctx.t("icl_prompt_new"), icon=":material/casino:", key="icl_prompt_new", on_click=_new_prompt)
    off = st.toggle(ctx.t("icl_fs_off", heads=every), key="icl_fs_off")
    draw = st.session_state.get("icl_prompt_draw", 0)
    prompt = few_shot_prompt(random.Random(PROMPT_SEED + 100 * draw + k), k)
    heads = tuple(tuple(h) for h in metrics["induction_heads"]) if off else ()
    said, p, p_right = _answer(prompt.tokens, prompt.answer, str(ctx.device), heads)
    pairs = ctx.t("list_separator").join(f"{a} → {b}" for a, b in prompt.pairs)
    shown = f"{pairs}{ctx.t('list_separator') if pairs else ''}{prompt.query} → ?"
    st.markdown(ctx.t("icl_fs_prompt", prompt=shown, tokens=" ".join(prompt.tokens)))
    verdict = "icl_fs_right" if said == prompt.answer else "icl_fs_wrong"
    icon = ":material/check_circle:" if said == prompt.answer else ":material/cancel:"
    st.markdown(f"{icon} " + ctx.t(verdict, said=said, p=p, answer=prompt.answer, p_right=p_right))
    if k == 0:
        st.caption(ctx.t("icl_fs_zero", chance=CHANCE))

    curve = metrics["few_shot"]
    curves = {ctx.t("icl_intact"): curve["accuracy"]}
    curves[ctx.t("icl_ablated", heads=every)] = metrics["few_shot_without_induction_heads"]
    figure = few_shot_figure(
        curve["k"],
        curves,
        ctx.t("icl_fs_title", n=curve["prompts_per_k"]),
        presentation=ctx.presentation,
        chance=curve["chance"],
        chance_label=ctx.t("icl_chance", chance=curve["chance"]),
        guess=curve["guess_a_value_shown"],
        guess_name=ctx.t("icl_guess"),
        x_title=ctx.t("icl_k_axis"),
        y_title=ctx.t("icl_fs_axis"),
    )
    show_plotly(figure, "prompt", "few_shot", key="icl_fs_curve")
    accuracy = curve["accuracy"]
    st.markdown(
        ctx.t(
            "icl_fs_result",
            zero=accuracy[0],
            one=accuracy[1],
            best=max(accuracy[1:]),
            best_k=1 + int(np.argmax(accuracy[1:])),
            last=accuracy[-1],
            k_max=MAX_SHOTS,
            without=max(metrics["few_shot_without_induction_heads"][1:]),
            heads=every,
            chance=curve["chance"],
        )
    )


@st.cache_data(max_entries=512, show_spinner=False)
def _answer(tokens: tuple[str, ...], right: str, device: str, off: tuple) -> tuple[str, float, float]:
    """The model's next symbol after the prompt, its probability and the right one's; once per prompt."""
    ckpt = builtin_model(MODEL, device)
    keys_values = tuple(zip(tokens[:-1:2], tokens[1::2], strict=True))
    prompt = FewShot(keys_values, tokens[-1], right)
    return answer(ckpt.model, induction_vocab(), prompt, [(STACK, *h) for h in off])
