"""The recurrent page: a plain RNN, an LSTM, a GRU and the Transformer, four causal LMs of one size on the
same sentences. Long-range agreement against distance (recorded and on the user's sentence), how far back
a loss's gradient reaches (trained and at initialisation), the units that carry the subject's number (the
LSTM's gates beside them), and the time per generated word on this device."""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd
import streamlit as st
import torch

from ..data.agreement import LONG_RANGE_EXAMPLE, AgreementCase, sentence_cases
from ..data.toy import is_grammatical
from ..decoding.speed import CAUSAL_LM_NAME_KEYS, RECURRENT_TIMED_WORDS, per_token_timing
from ..device import describe
from ..explain.reach import gradient_reach, per_step_factor
from ..explain.recurrence import Trace, UnitsView, units_view
from ..export.recurrent_slides import units_figure
from ..models.checkpoint import Checkpoint
from ..models.recurrent import RecurrentLM
from ..training.builtin import untrained_model
from ..training.evaluation import ATTRACTION_MIN_DISTANCE, preference_log_odds
from ..viz.recurrent import agreement_distance_figure, gradient_reach_figure
from .figures import show_plotly
from .inputs import toy_words
from .models import builtin_model, read_only
from .page import PageContext

# the four models, in the order of the story: the plain RNN, the two gated ones, attention
MODEL_NAME_KEYS = CAUSAL_LM_NAME_KEYS
RECURRENT = ("toy_rnn_lm", "toy_lstm_lm", "toy_gru_lm")
DEFAULT_SENTENCE = LONG_RANGE_EXAMPLE
MAX_WORDS = 30
UNITS_SHOWN = 12  # the number units drawn: readable rows on a projector
MEASURE_KEYS = {"accuracy": "rnn_measure_accuracy", "right_share": "rnn_measure_share"}
WHEN_KEYS = {"trained": "rnn_when_trained", "initial": "rnn_when_initial"}


def model_name(ctx: PageContext, name: str) -> str:
    return ctx.t(MODEL_NAME_KEYS[name])


def models(ctx: PageContext) -> dict[str, Checkpoint]:
    return {name: builtin_model(name, str(ctx.device)) for name in MODEL_NAME_KEYS}


@st.cache_resource(show_spinner=False, max_entries=2)
def _initial_models(device: str) -> dict:
    """Each recipe's model before training (its seed, its shapes), built once per server and device and
    shared read-only: the gradient at initialisation."""
    built = {}
    for name in MODEL_NAME_KEYS:
        vocab = builtin_model(name, device).vocab
        model = untrained_model(name, vocab).to(device)
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        built[name] = model
    return built


@st.fragment  # a sentence typed (or a control below moved) redraws these three sections, not the whole page
def sentence_sections(ctx: PageContext, ckpts: dict[str, Checkpoint]) -> None:
    """The sentence and the three sections that read it: agreement, the gradient's reach, the units inside."""
    words = sentence(ctx)
    st.header(ctx.t("rnn_agreement_header"))
    agreement_section(ctx, ckpts, words)
    st.header(ctx.t("rnn_reach_header"))
    gradient_section(ctx, ckpts, words)
    st.header(ctx.t("rnn_inside_header"))
    inside_section(ctx, ckpts, words)


def sentence(ctx: PageContext) -> list[str]:
    """The sentence every section reads: typed, cleaned (unknown words named and left out), never empty."""
    text = st.text_input(ctx.t("rnn_sentence"), DEFAULT_SENTENCE, key="rnn_sentence", max_chars=2000)
    words = toy_words(ctx, text, MAX_WORDS)
    if len(words) < 2:
        st.warning(ctx.t("rnn_too_short", fallback=DEFAULT_SENTENCE), icon=":material/edit_note:")
        words = DEFAULT_SENTENCE.split()
    if not is_grammatical(words):
        st.info(ctx.t("rnn_not_grammatical"), icon=":material/rule:")
    return words


def _ids(ckpt: Checkpoint, words: list[str]) -> torch.Tensor:
    return torch.tensor([ckpt.vocab.bos_id, *ckpt.vocab.encode(words)], device=ckpt.model.head.weight.device)


# What the sections compute from the sentence alone is computed once per server and shared read-only: a class
# opening the page with the example sentence (or typing the same one) costs one computation, not thirty.


@st.cache_resource(show_spinner=False, max_entries=256)
def _cases(words: tuple[str, ...]) -> tuple[AgreementCase, ...]:
    """The sentence's subject-verb pairs, parsed once (the three sections below read them)."""
    return tuple(sentence_cases(list(words)))


@st.cache_resource(show_spinner=False, max_entries=256)
def _preferences(device: str, words: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """Per model, the probability it gives the right verb form over the wrong one at each pair."""
    items = [(c.words, c.verb, c.right, c.wrong) for c in _cases(words)]
    shares = {}
    for name in MODEL_NAME_KEYS:
        ckpt = builtin_model(name, device)
        shares[name] = tuple(torch.sigmoid(preference_log_odds(ckpt.model, ckpt.vocab, items, "clm")).tolist())
    return shares


@st.cache_resource(show_spinner=False, max_entries=256)
def _reach(device: str, words: tuple[str, ...], target: int, when: str) -> dict[str, tuple[float, ...]]:
    """Per model (trained or at initialisation), the gradient's norm at each word back from the loss at target."""
    initial = _initial_models(device) if when == "initial" else {}
    reach = {}
    for name in MODEL_NAME_KEYS:
        ckpt = builtin_model(name, device)
        values = gradient_reach(initial.get(name, ckpt.model), _ids(ckpt, list(words)), target)
        reach[name] = tuple(float(v) for v in values)
    return reach


@st.cache_resource(show_spinner=False, max_entries=128)
def _units(device: str, name: str, words: tuple[str, ...], layer: int) -> UnitsView:
    """The number units of one model's layer on the sentence (units_view), read-only."""
    ckpt = builtin_model(name, device)
    view = units_view(ckpt.model, ckpt.vocab, list(words), layer, UNITS_SHOWN)
    seen = view.trace
    frozen = Trace(
        read_only(seen.states),
        None if seen.cells is None else read_only(seen.cells),
        MappingProxyType({gate: read_only(values) for gate, values in seen.gates.items()}),
    )
    return UnitsView(frozen, read_only(view.units), view.case)


# ---- the four models ---------------------------------------------------------------------------------------


def models_section(ctx: PageContext, ckpts: dict[str, Checkpoint]) -> None:
    rows = []
    for name, ckpt in ckpts.items():
        m = ckpt.metrics
        rows.append(
            {
                ctx.t("rnn_col_model"): model_name(ctx, name),
                ctx.t("rnn_col_memory"): ctx.t("rnn_memory_attention" if name == "toy_clm" else "rnn_memory_state"),
                ctx.t("rnn_col_parameters"): f"{m['parameters']:,}",
                ctx.t("rnn_col_perplexity"): f"{m['perplexity']:.2f}",
                ctx.t("rnn_col_samples"): f"{m['samples_grammatical_t1']:.1%}",
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    st.caption(ctx.t("rnn_models_caption"))


# ---- long-range agreement ----------------------------------------------------------------------------------


def agreement_section(ctx: PageContext, ckpts: dict[str, Checkpoint], words: list[str]) -> None:
    measure = st.segmented_control(
        ctx.t("rnn_measure"),
        list(MEASURE_KEYS),
        default="accuracy",
        required=True,
        format_func=lambda m: ctx.t(MEASURE_KEYS[m]),
        key="rnn_measure",
    )
    recorded = {name: ckpt.metrics["agreement_by_distance"] for name, ckpt in ckpts.items()}
    figure = agreement_distance_figure(
        {model_name(ctx, name): {b: v[measure] for b, v in by.items()} for name, by in recorded.items()},
        ctx.t("rnn_agreement_title"),
        presentation=ctx.presentation,
        chance_label=ctx.t("rnn_chance"),
        x_title=ctx.t("rnn_distance_axis"),
        y_title=ctx.t(MEASURE_KEYS[measure]),
        zoom=True,
    )
    show_plotly(figure, "recurrent", "agreement_by_distance", measure, key="rnn_agreement")
    counts = ctx.t("list_separator").join(f"{b}: {v['n']:,}" for b, v in recorded["toy_rnn_lm"].items())
    far = {name: by["8+"] for name, by in recorded.items()}
    st.markdown(
        ctx.t(
            "rnn_agreement_result",
            counts=counts,
            rnn=far["toy_rnn_lm"]["accuracy"],
            lstm=far["toy_lstm_lm"]["accuracy"],
            gru=far["toy_gru_lm"]["accuracy"],
            transformer=far["toy_clm"]["accuracy"],
            rnn_share=far["toy_rnn_lm"]["right_share"],
            lstm_share=far["toy_lstm_lm"]["right_share"],
            gru_share=far["toy_gru_lm"]["right_share"],
            transformer_share=far["toy_clm"]["right_share"],
            near=recorded["toy_rnn_lm"]["1"]["right_share"],
        )
    )
    attraction = {name: ckpt.metrics["agreement_by_attractors"] for name, ckpt in ckpts.items()}
    counts = attraction["toy_clm"]
    rows = [
        {
            ctx.t("rnn_col_model"): model_name(ctx, name),
            ctx.t("rnn_col_no_attractor", n=counts["0"]["n"]): f"{by['0'][measure]:.1%}",
            ctx.t("rnn_col_attractor", n=counts["1+"]["n"]): f"{by['1+'][measure]:.1%}",
        }
        for name, by in attraction.items()
    ]
    st.table(pd.DataFrame(rows), hide_index=True)
    lower = sum(by["1+"]["right_share"] < by["0"]["right_share"] for by in attraction.values())
    measure_name = ctx.t(MEASURE_KEYS[measure])
    st.caption(ctx.t("rnn_attractors_caption", measure=measure_name, k=ATTRACTION_MIN_DISTANCE, lower=lower))
    st.subheader(ctx.t("rnn_yours_header"))
    cases = _cases(tuple(words))
    if not cases:
        st.info(ctx.t("rnn_no_cases", example=DEFAULT_SENTENCE), icon=":material/info:")
        return
    shares = _preferences(str(ctx.device), tuple(words))
    rows = []
    for i, case in enumerate(cases):
        row = {
            ctx.t("rnn_col_verb"): f"{case.right} / {case.wrong}",
            ctx.t("rnn_col_subject"): case.words[case.subject],
            ctx.t("rnn_col_distance"): case.distance,
        }
        for name, share in shares.items():
            row[model_name(ctx, name)] = f"{float(share[i]):.1%}" + (" ✓" if share[i] > 0.5 else " ✗")
        rows.append(row)
    st.table(pd.DataFrame(rows), hide_index=True)
    st.caption(ctx.t("rnn_yours_caption"))


# ---- the vanishing gradient --------------------------------------------------------------------------------


def _farthest(cases: list[AgreementCase]) -> AgreementCase | None:
    return max(cases, key=lambda c: c.distance, default=None)


def gradient_section(ctx: PageContext, ckpts: dict[str, Checkpoint], words: list[str]) -> None:
    if len(words) < 4:
        st.info(ctx.t("rnn_reach_too_short"), icon=":material/info:")
        return
    left, right = st.columns([1, 1.4])
    when = left.segmented_control(
        ctx.t("rnn_when"),
        list(WHEN_KEYS),
        default="trained",
        required=True,
        format_func=lambda w: ctx.t(WHEN_KEYS[w]),
        key="rnn_when",
    )
    farthest = _farthest(_cases(tuple(words)))
    default = farthest.verb if farthest else len(words) - 1
    target = right.selectbox(
        ctx.t("rnn_loss_at"),
        range(3, len(words)),
        index=max(0, default - 3),
        format_func=lambda i: ctx.t("rnn_loss_word", word=words[i], n=i + 1),
        key=f"rnn_loss_at_{' '.join(words)}",
    )
    norms = _reach(str(ctx.device), tuple(words), target, when)
    subject = next((c for c in _cases(tuple(words)) if c.verb == target), None)
    marker = (target - subject.subject - 1, ctx.t("rnn_marker", word=words[subject.subject])) if subject else None
    figure = gradient_reach_figure(
        {model_name(ctx, name): values for name, values in norms.items()},
        ctx.t("rnn_reach_title", word=words[target], when=ctx.t(WHEN_KEYS[when])),
        presentation=ctx.presentation,
        x_title=ctx.t("rnn_reach_x"),
        y_title=ctx.t("rnn_reach_y"),
        marker=marker,
    )
    show_plotly(figure, "recurrent", "gradient_reach", when, words[target], key="rnn_reach")
    rows = []
    for name, values in norms.items():
        recorded = ckpts[name].metrics["gradient_reach_per_step"]
        clip = ckpts[name].metrics.get("gradient_norm")
        rows.append(
            {
                ctx.t("rnn_col_model"): model_name(ctx, name),
                ctx.t("rnn_col_factor_here"): f"{per_step_factor(values):.2f}" if len(values) >= 4 else "—",
                ctx.t("rnn_col_factor_initial"): f"{recorded['initial']:.2f}",
                ctx.t("rnn_col_factor_trained"): f"{recorded['trained']:.2f}",
                ctx.t("rnn_col_clipped"): ctx.t("rnn_clipped", share=clip["clipped_share"], max=clip["max"])
                if clip
                else ctx.t("rnn_not_recorded"),
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    st.markdown(_reach_explained(ctx, ckpts))


def _reach_explained(ctx: PageContext, ckpts: dict[str, Checkpoint]) -> str:
    """What the curves show, with the recorded numbers in it."""
    reach = {name: ckpt.metrics["gradient_reach_per_step"] for name, ckpt in ckpts.items()}
    initial = [reach[name]["initial"] for name in RECURRENT]
    clipped = {name: ckpts[name].metrics["gradient_norm"]["clipped_share"] for name in RECURRENT}
    return ctx.t(
        "rnn_reach_explained",
        low=min(initial),
        high=max(initial),
        ten=min(initial) ** 10,
        fastest=model_name(ctx, min(RECURRENT, key=lambda n: reach[n]["trained"])),
        most_clipped=model_name(ctx, max(clipped, key=clipped.get)),
        sentences=reach["toy_rnn_lm"]["sentences"],
    )


# ---- inside the recurrence ---------------------------------------------------------------------------------


def inside_section(ctx: PageContext, ckpts: dict[str, Checkpoint], words: list[str]) -> None:
    left, right = st.columns([1.4, 1])
    name = left.segmented_control(
        ctx.t("rnn_inside_model"),
        RECURRENT,
        default="toy_lstm_lm",
        required=True,
        format_func=lambda n: model_name(ctx, n),
        key="rnn_inside_model",
    )
    ckpt = ckpts[name]
    layer = (  # counted from 1 on the page, the layer reading the words first
        right.segmented_control(
            ctx.t("rnn_layer"),
            list(range(1, ckpt.model.config.n_layers + 1)),
            default=1,
            required=True,
            format_func=str,
            key="rnn_layer",
        )
        - 1
    )
    view = _units(str(ctx.device), name, tuple(words), layer)
    seen, units, case = view.trace, view.units, view.case
    if case is not None:
        memory = ctx.t("rnn_panel_state" if seen.cells is None else "rnn_panel_cell")
        st.markdown(ctx.t("rnn_units_found", subject=words[case.subject], verb=case.right, n=len(units), state=memory))
    else:
        st.markdown(ctx.t("rnn_units_busiest", n=len(units)))
    figure = units_figure(ctx.t, view, words, model_name(ctx, name), layer, ctx.presentation)
    show_plotly(figure, "recurrent", "inside", name, str(layer + 1), key="rnn_inside")
    if seen.cells is not None and case is not None and case.distance > 1:
        forget = seen.gates["forget"][:, units].mean(1)  # (T,): per step, over the number units
        between = forget[case.subject + 2 : case.verb + 1]  # reading the words after the subject, to the verb
        st.markdown(
            ctx.t(
                "rnn_gates_measured",
                subject=words[case.subject],
                verb=case.right,
                between=float(between.mean()),
                lowest=float(between.min()),
                at_verb=float(forget[case.verb + 1]),
            )
        )
    st.caption(ctx.t("rnn_inside_caption"))


# ---- time per word -------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=2)
def _timings(device: str) -> dict:
    """Time per generated word on this device, measured once per server and device (shared read-only)."""
    loaded = {name: builtin_model(name, device) for name in MODEL_NAME_KEYS}
    vocab = loaded["toy_clm"].vocab
    return per_token_timing({n: c.model for n, c in loaded.items()}, vocab, RECURRENT_TIMED_WORDS, device)


def _state_numbers(ckpt: Checkpoint, words: int) -> int:
    """Numbers a model carries from one word to the next after `words` words: a recurrent model's state
    (h per layer, and c for the LSTM) whatever the length; a Transformer's cached keys and values."""
    config = ckpt.model.config
    if isinstance(ckpt.model, RecurrentLM):
        return config.n_layers * config.d_model * (2 if ckpt.model.CELL == "lstm" else 1)
    return 2 * config.n_layers * words * config.d_model


def timing_section(ctx: PageContext, ckpts: dict[str, Checkpoint]) -> None:
    with st.spinner(ctx.t("rnn_timing_spinner")):
        timings = _timings(str(ctx.device))
    n = RECURRENT_TIMED_WORDS
    transformer = timings["toy_clm"].median_ms
    rows = [
        {
            ctx.t("rnn_col_model"): model_name(ctx, name),
            ctx.t("rnn_col_ms_word"): f"{timing.median_ms / n:.2f}",
            ctx.t("rnn_col_vs_transformer"): f"{transformer / timing.median_ms:.1f}×",
            ctx.t("rnn_col_state", n=n): f"{_state_numbers(ckpts[name], n):,}",
        }
        for name, timing in timings.items()
    ]
    st.table(pd.DataFrame(rows), hide_index=True)
    t = timings["toy_clm"]
    st.caption(ctx.t("rnn_timing_method", n=n, repeats=t.repeats, warmup=t.warmup, device=describe(ctx.device)))
    st.markdown(ctx.t("rnn_timing_explained"))
