"""The Recurrent page's "Recall over distance" section: a key, its value, L − 1 fillers, the key again, and the
value asked for (data/recall.py). The held-out accuracy against L of a plain RNN, an LSTM, a GRU and three
Transformers (learned positions, RoPE, none) of one size and one training budget, as recorded in their
metrics.json; the Transformers beyond the lengths they were trained on; the gradient's reach on this task
(recorded); and a live example: the student picks L and a draw, each model answers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..data.recall import (
    CHANCE,
    EVAL_DISTANCES,
    LATEST_ONLY,
    MAX_DISTANCE,
    TRAIN_DISTANCES,
    example_sequence,
    recall_answer,
    recall_vocab,
    shown,
)
from ..export.recurrent_slides import recall_accuracy
from ..training.recall_evaluation import (
    RECALL_MODELS,
    RECALL_RECURRENT,
    RECALL_TRANSFORMERS,
    forgets_at,
    recall_answers,
)
from ..training.recipes import RECIPES
from ..viz.recurrent import gradient_reach_figure
from .figures import show_plotly
from .models import builtin_model
from .page import PageContext

WHEN_KEYS = {"trained": "rnn_when_trained", "initial": "rnn_when_initial"}
DEFAULT_DISTANCE = 32
BEYOND = tuple(L for L in EVAL_DISTANCES if L > TRAIN_DISTANCES[1])  # beyond every model's training range


def name(ctx: PageContext, model: str) -> str:
    return ctx.t(RECALL_MODELS[model])


def metrics(device: str) -> dict[str, dict]:
    """The six checkpoints' recorded measures (metrics.json), read from the shared models."""
    return {model: builtin_model(model, device).metrics for model in RECALL_MODELS}


@st.cache_data(max_entries=256, show_spinner=False)
def _answers(distance: int, draw: int, device: str) -> dict:
    """One sequence at (L, draw) and each model's answer to it, once per (L, draw) and server: six forward
    passes of L + 2 tokens. {"tokens": [...], "right": value, model: (answer, its probability, p(right))}"""
    vocab = recall_vocab()
    ids = example_sequence(distance, draw, vocab)
    out = {"tokens": vocab.decode(ids.tolist()), "right": vocab.token(int(recall_answer(ids[None])[0]))}
    for model in RECALL_MODELS:
        ckpt = builtin_model(model, device)
        answer, confidence, right = recall_answers(ckpt.model, ckpt.vocab, ids[None])
        out[model] = (ckpt.vocab.token(int(answer[0])), float(confidence[0]), float(right[0]))
    return out


@st.fragment  # a control moved here redraws this section alone
def recall_section(ctx: PageContext) -> None:
    recorded = metrics(str(ctx.device))
    first = recorded["recall_rnn"]
    low, high = first["trained_distances"]
    st.markdown(ctx.t("rec_intro", chance=CHANCE, low=low, high=high))
    _models_table(ctx, recorded)
    st.subheader(ctx.t("rec_accuracy_header"))
    _accuracy(ctx, recorded)
    st.subheader(ctx.t("rec_beyond_header"))
    _beyond(ctx, recorded)
    st.subheader(ctx.t("rec_reach_header"))
    _reach(ctx, recorded)
    st.subheader(ctx.t("rec_try_header"))
    _try(ctx)


def _models_table(ctx: PageContext, recorded: dict[str, dict]) -> None:
    rows = []
    for model, m in recorded.items():
        recipe = RECIPES[model]
        rows.append(
            {
                ctx.t("rnn_col_model"): name(ctx, model),
                ctx.t("rnn_col_parameters"): f"{m['parameters']:,}",
                ctx.t("rec_col_budget"): ctx.t("rec_budget", steps=m["steps"], batch=recipe.batch_size),
                ctx.t("rec_col_seconds"): f"{m['train_seconds']:.0f}",
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    st.caption(ctx.t("rec_models_caption"))


def _accuracy(ctx: PageContext, recorded: dict[str, dict]) -> None:
    first = recorded["recall_rnn"]
    low, high = first["trained_distances"]
    title = ctx.t("rec_accuracy_title", n=first["heldout_per_distance"])
    figure = recall_accuracy(ctx.t, recorded, title, presentation=ctx.presentation)
    show_plotly(figure, "recurrent", "recall_by_distance", key="rec_accuracy")
    st.caption(ctx.t("rec_accuracy_method", n=first["heldout_per_distance"], chance=CHANCE, low=low, high=high))
    st.markdown(result_text(ctx.t, recorded))


def result_text(t, recorded: dict[str, dict]) -> str:
    """What the curves show, with the recorded numbers in it (the page's and the lesson's)."""
    rnn = recorded["recall_rnn"]["accuracy"]
    forgot = forgets_at(rnn)
    names = {model: t(key) for model, key in RECALL_MODELS.items()}
    if forgot is None:
        return t("rec_result_never", L=EVAL_DISTANCES[-1], rnn=rnn[str(EVAL_DISTANCES[-1])])
    at = str(forgot)
    others = t("list_separator").join(
        f"{names[model]} {recorded[model]['accuracy'][at]:.0%}" for model in RECALL_MODELS if model != "recall_rnn"
    )
    far = [a for L, a in rnn.items() if int(L) >= forgot]
    return t(
        "rec_result_forgets",
        L=forgot,
        rnn=rnn[at],
        others=others,
        short=rnn["1"],
        low=min(far),
        high=max(far),
        latest=LATEST_ONLY,
        chance=CHANCE,
    )


def _beyond(ctx: PageContext, recorded: dict[str, dict]) -> None:
    high = recorded["recall_rnn"]["trained_distances"][1]
    shown_at = (high, *BEYOND)
    rows = [
        {ctx.t("rnn_col_model"): name(ctx, model)}
        | {ctx.t("rec_col_at", L=L): f"{recorded[model]['accuracy'][str(L)]:.1%}" for L in shown_at}
        for model in (*RECALL_TRANSFORMERS, *RECALL_RECURRENT)
    ]
    st.table(pd.DataFrame(rows), hide_index=True)
    at = {model: recorded[model]["accuracy"] for model in RECALL_TRANSFORMERS}
    st.markdown(
        ctx.t(
            "rec_beyond_explained",
            high=high,
            far=BEYOND[-1],
            learned=at["recall_transformer"][str(BEYOND[-1])],
            rope=at["recall_transformer_rope"][str(BEYOND[-1])],
            nope=at["recall_transformer_nope"][str(BEYOND[-1])],
            learned_in=at["recall_transformer"][str(high)],
        )
    )


def _reach(ctx: PageContext, recorded: dict[str, dict]) -> None:
    when = st.segmented_control(
        ctx.t("rnn_when"),
        list(WHEN_KEYS),
        default="initial",  # the story: before training, a far value sends almost nothing back
        required=True,
        format_func=lambda w: ctx.t(WHEN_KEYS[w]),
        key="rec_when",
    )
    reach = {model: m["gradient_reach"] for model, m in recorded.items()}
    distance = reach["recall_rnn"]["distance"]
    figure = gradient_reach_figure(
        {name(ctx, model): r[when] for model, r in reach.items()},
        ctx.t("rec_reach_title", L=distance, when=ctx.t(WHEN_KEYS[when]), n=reach["recall_rnn"]["sequences"]),
        presentation=ctx.presentation,
        x_title=ctx.t("rec_reach_x"),
        y_title=ctx.t("rnn_reach_y"),
        marker=(distance, ctx.t("rec_reach_value")),
        transformers=len(RECALL_TRANSFORMERS),
    )
    show_plotly(figure, "recurrent", "recall_reach", when, key="rec_reach")
    rows = [
        {
            ctx.t("rnn_col_model"): name(ctx, model),
            ctx.t("rec_col_reach_initial"): f"{reach_ratio(r['initial'], distance):.1e}",
            ctx.t("rec_col_reach_trained"): f"{reach_ratio(r['trained'], distance):.1e}",
        }
        for model, r in reach.items()
    ]
    st.table(pd.DataFrame(rows), hide_index=True)
    ratio = {model: {w: reach_ratio(r[w], distance) for w in WHEN_KEYS} for model, r in reach.items()}
    st.markdown(
        ctx.t(
            "rec_reach_explained",
            L=distance,
            n=reach["recall_rnn"]["sequences"],
            low_initial=min(ratio[m]["initial"] for m in RECALL_RECURRENT),
            high_initial=max(ratio[m]["initial"] for m in RECALL_RECURRENT),
            transformer_initial=min(ratio[m]["initial"] for m in RECALL_TRANSFORMERS),
            rnn_trained=ratio["recall_rnn"]["trained"],
            lstm_trained=ratio["recall_lstm"]["trained"],
            gru_trained=ratio["recall_gru"]["trained"],
        )
    )


def reach_ratio(norms: list[float], distance: int) -> float:
    """The gradient reaching the value's step (k = L) over the one at the question (k = 0)."""
    return norms[distance] / norms[0] if norms[0] > 0 else 0.0


def _next_draw() -> None:
    st.session_state.rec_draw_index = st.session_state.get("rec_draw_index", 0) + 1


def _try(ctx: PageContext) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    distance = left.number_input(
        ctx.t("rec_distance", max=MAX_DISTANCE),
        min_value=1,
        max_value=MAX_DISTANCE,
        value=DEFAULT_DISTANCE,
        step=1,
        key="rec_distance",
    )
    right.button(ctx.t("rec_new_draw"), icon=":material/casino:", key="rec_draw", on_click=_next_draw)
    if not isinstance(distance, int | float) or distance != int(distance) or not 1 <= distance <= MAX_DISTANCE:
        st.warning(ctx.t("rec_bad_distance", max=MAX_DISTANCE), icon=":material/edit_note:")
        distance = DEFAULT_DISTANCE
    distance = int(distance)
    draw = st.session_state.get("rec_draw_index", 0)
    example = _answers(distance, draw, str(ctx.device))
    st.markdown(ctx.t("rec_sequence", sequence=shown(example["tokens"]), L=distance, right=example["right"]))
    rows = []
    for model in RECALL_MODELS:
        answer, confidence, right = example[model]
        mark = "✓" if answer == example["right"] else "✗"
        rows.append(
            {
                ctx.t("rnn_col_model"): name(ctx, model),
                ctx.t("rec_col_answer"): f"{answer} {mark}",
                ctx.t("rec_col_confidence"): f"{confidence:.1%}",
                ctx.t("rec_col_right"): f"{right:.1%}",
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    high = TRAIN_DISTANCES[1]
    st.caption(ctx.t("rec_try_beyond" if distance > high else "rec_try_caption", high=high, L=distance))
