"""The signals page's speech section: CTC where it was born. Typed toy words are spoken by the package's voice
as a small spectrogram; the shipped speech_ctc model gives every frame a posterior over the blank and the
symbols; the best path collapses to the output; prefix beam search, the forward–backward alignment, the same
words at other speaking rates, and the held-out measures recorded with the checkpoint."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ...data.speech import (
    DEFAULT_NOISE,
    DEFAULT_RATE,
    TRAIN_NOISE,
    TRAIN_RATES,
    Utterance,
    render,
    speech_vocab,
)
from ...data.text import MASK_TOKEN
from ...decoding.ctc import Alignment, Reading, ctc_collapse, forward_backward, read_utterance
from ...export.signal_slides import symbol_label
from ...training.speech_evaluation import BEAM, PEAK
from ...viz.speech import (
    alignment_figure,
    best_path_figure,
    posterior_figure,
    rate_sweep_figure,
    spectrogram_figure,
)
from ..figures import show_plotly
from ..inputs import toy_words
from ..models import builtin_model
from ..page import PageContext, page_link
from ..text import md_token

MODEL = "speech_ctc"
EXAMPLE = "see the small ball"
MAX_WORDS = 4  # a typed utterance: up to four words (training said 1–3)
RATE_RANGE, NOISE_RANGE = (0.5, 2.5), (0.0, 0.8)
COMPARED_RATES = (0.7, 1.0, 1.5, 2.5)  # the same words, slower and faster (2.5: beyond training's 0.7–1.5)
HYPOTHESES_SHOWN = 3


def path_runs(path: list[int]) -> str:
    """The best path as runs of one symbol: "ε×3 t×2 h ε×2 …" (a frame per symbol would be a long line)."""
    vocab, runs = speech_vocab(), []
    for token in path:
        if runs and runs[-1][0] == token:
            runs[-1][1] += 1
        else:
            runs.append([token, 1])
    return " ".join(symbol_label(vocab.token(t)) + (f"×{n}" if n > 1 else "") for t, n in runs)


def output_text(tokens) -> str:
    return "".join(speech_vocab().decode(tokens))


@st.cache_data(max_entries=128, show_spinner=False)
def _read(_model, words: tuple[str, ...], rate: float, noise: float, seed: int, name: str, device: str):
    """One utterance spoken and read: its frames, the model's reading (greedy, beam), and the forward–backward
    alignment of the words said (None when the frames are too few for them). Shared by the sessions that ask."""
    utterance = render(words, rate, noise, seed)
    reading = read_utterance(_model, utterance.frames, beam=BEAM)
    vocab = speech_vocab()
    labels = [vocab.id(c) for c in utterance.text]
    alignment = forward_backward(reading.log_probs, labels, vocab.blank_id)
    return utterance, reading, alignment if np.isfinite(alignment.log_likelihood) else None


@st.fragment  # a control moved here redraws this section alone
def speech_section(ctx: PageContext) -> None:
    ckpt = builtin_model(MODEL, str(ctx.device))
    st.markdown(ctx.t("sig_sp_intro", params=f"{sum(p.numel() for p in ckpt.model.parameters()):,}"))
    words, rate, noise, seed = _controls(ctx)
    utterance, reading, alignment = _read(ckpt.model, words, rate, noise, seed, MODEL, str(ctx.device))
    parts = ("signals", MODEL, *words[:3])

    st.subheader(ctx.t("sig_sp_spectrogram"))
    figure = spectrogram_figure(
        utterance.frames,
        [(symbol_label(s), a, b) for s, a, b in utterance.spans],
        ctx.t("sig_sp_spectrogram_title", text=utterance.text, frames=utterance.n_frames, rate=rate),
        presentation=ctx.presentation,
        x_title=ctx.t("sig_sp_frame"),
        y_title=ctx.t("sig_sp_bin"),
        colorbar_title=ctx.t("sig_sp_energy"),
    )
    show_plotly(figure, *parts, "spectrogram", key="sig_sp_spectrogram")
    st.caption(ctx.t("sig_sp_spectrogram_caption"))

    _posteriors(ctx, reading, parts)
    _best_path(ctx, utterance, reading, parts)
    _decoders(ctx, utterance, reading)
    _alignment(ctx, utterance, alignment, parts)
    _rates(ctx, ckpt, words, noise, seed)
    _measured(ctx, ckpt, parts)
    page_link(ctx, "pages/8_Parallel.py", ctx.t("sig_sp_parallel_link"), ":material/compare_arrows:")  # its CTC


def _controls(ctx: PageContext) -> tuple[tuple[str, ...], float, float, int]:
    text = st.text_input(
        ctx.t("sig_sp_words"), EXAMPLE, key="sig_sp_words", max_chars=500, help=ctx.t("sig_sp_words_help", n=MAX_WORDS)
    )
    words = [w for w in toy_words(ctx, text, MAX_WORDS) if w != MASK_TOKEN]
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t("sig_sp_words"), fallback=EXAMPLE), icon=":material/edit_note:")
        words = EXAMPLE.split()
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    rate = left.slider(
        ctx.t("sig_sp_rate"), *RATE_RANGE, DEFAULT_RATE, 0.1, key="sig_sp_rate", format="%.1f×",
        help=ctx.t("sig_sp_rate_help", low=TRAIN_RATES[0], high=TRAIN_RATES[1]),
    )  # fmt: skip
    noise = middle.slider(
        ctx.t("sig_sp_noise"), *NOISE_RANGE, DEFAULT_NOISE, 0.05, key="sig_sp_noise",
        help=ctx.t("sig_sp_noise_help", low=TRAIN_NOISE[0], high=TRAIN_NOISE[1]),
    )  # fmt: skip
    right.button(ctx.t("sig_sp_draw"), icon=":material/casino:", key="sig_sp_draw", on_click=_next_draw)
    rate, noise = round(float(rate), 2), round(float(noise), 2)
    if not TRAIN_RATES[0] <= rate <= TRAIN_RATES[1] or noise > TRAIN_NOISE[1]:
        st.info(
            ctx.t(
                "sig_sp_outside_training",
                low=TRAIN_RATES[0],
                high=TRAIN_RATES[1],
                noise=TRAIN_NOISE[1],
            ),
            icon=":material/warning:",
        )
    return tuple(words), rate, noise, int(st.session_state.get("sig_sp_seed", 0))


def _next_draw() -> None:
    st.session_state["sig_sp_seed"] = st.session_state.get("sig_sp_seed", 0) + 1


def _posteriors(ctx: PageContext, reading: Reading, parts: tuple) -> None:
    st.subheader(ctx.t("sig_sp_posteriors"))
    vocab = speech_vocab()
    probs = np.exp(reading.log_probs)
    figure = posterior_figure(
        probs,
        [symbol_label(s) for s in vocab.tokens],
        ctx.t("sig_sp_posteriors_title"),
        presentation=ctx.presentation,
        x_title=ctx.t("sig_sp_frame"),
        y_title=ctx.t("sig_sp_symbol"),
        colorbar_title=ctx.t("sig_sp_posterior"),
    )
    show_plotly(figure, *parts, "posteriors", key="sig_sp_posteriors")
    blank = float((probs.argmax(-1) == vocab.blank_id).mean())
    peaked = float((probs.max(-1) > PEAK).mean())
    st.caption(ctx.t("sig_sp_posteriors_caption", blank=blank, peaked=peaked, peak=PEAK, frames=len(probs)))


def _best_path(ctx: PageContext, utterance: Utterance, reading: Reading, parts: tuple) -> None:
    st.subheader(ctx.t("sig_sp_path"))
    vocab = speech_vocab()
    confidence = np.exp(reading.log_probs.max(-1))
    figure = best_path_figure(
        [symbol_label(vocab.token(t)) for t in reading.path],
        confidence,
        title=ctx.t("sig_sp_path_title"),
        presentation=ctx.presentation,
        row_titles=(ctx.t("sig_sp_row_path"), ctx.t("sig_sp_row_merged"), ctx.t("sig_sp_row_dropped")),
        x_title=ctx.t("sig_sp_frame"),
        colorbar_title=ctx.t("sig_sp_posterior"),
    )
    show_plotly(figure, *parts, "best_path", key="sig_sp_best_path")
    collapsed = output_text(ctc_collapse(reading.path, vocab.blank_id))
    st.markdown(ctx.t("sig_sp_path_text", path=md_token(path_runs(reading.path))))
    st.markdown(ctx.t("sig_sp_collapsed", text=_shown(collapsed), verdict=_verdict(ctx, collapsed, utterance.text)))


def _shown(text: str) -> str:
    return md_token(text) if text.strip() else "∅"


def _verdict(ctx: PageContext, output: str, reference: str) -> str:
    return ctx.t("sig_sp_right") if output == reference else ctx.t("sig_sp_wrong", text=reference)


def _probability(log_prob: float) -> str:
    return f"{np.exp(log_prob):.3g}" if np.isfinite(log_prob) else "0"


def _decoders(ctx: PageContext, utterance: Utterance, reading: Reading) -> None:
    st.subheader(ctx.t("sig_sp_decoders"))
    st.markdown(ctx.t("sig_sp_decoders_intro", beam=BEAM))
    greedy = output_text(reading.greedy)
    rows = [(ctx.t("sig_sp_greedy"), greedy, reading.greedy_log_prob)]
    rows += [
        (ctx.t("sig_sp_beam_n", k=k), output_text(h.tokens), h.log_prob)
        for k, h in enumerate(reading.beam[:HYPOTHESES_SHOWN], 1)
    ]
    st.dataframe(
        {
            ctx.t("sig_sp_method"): [r[0] for r in rows],
            ctx.t("sig_sp_output"): [r[1] or "∅" for r in rows],
            ctx.t("sig_sp_probability"): [_probability(r[2]) for r in rows],
            ctx.t("sig_sp_reads"): ["✓" if r[1] == utterance.text else "✗" for r in rows],
        },
        hide_index=True,
    )
    best_beam = output_text(reading.beam[0].tokens) if reading.beam else ""
    key = "sig_sp_beam_same" if best_beam == greedy else "sig_sp_beam_differs"
    st.caption(
        ctx.t(
            key,
            path=_probability(reading.path_log_prob),
            output=_probability(reading.greedy_log_prob),
            beam=_shown(best_beam),
        )
    )


def _alignment(ctx: PageContext, utterance: Utterance, alignment: Alignment | None, parts: tuple) -> None:
    st.subheader(ctx.t("sig_sp_alignment"))
    st.markdown(ctx.t("sig_sp_alignment_intro"))
    if alignment is None:
        st.info(ctx.t("sig_sp_no_alignment", frames=utterance.n_frames), icon=":material/speed:")
        return
    vocab = speech_vocab()
    states = [symbol_label(vocab.token(s)) for s in alignment.states]
    figure = alignment_figure(
        alignment.posterior,
        states,
        ctx.t("sig_sp_alignment_title", text=utterance.text),
        best=alignment.posterior.argmax(0).tolist(),
        presentation=ctx.presentation,
        x_title=ctx.t("sig_sp_frame"),
        y_title=ctx.t("sig_sp_state"),
        colorbar_title=ctx.t("sig_sp_state_probability"),
    )
    show_plotly(figure, *parts, "alignment", key="sig_sp_alignment")
    st.caption(
        ctx.t(
            "sig_sp_alignment_caption",
            text=utterance.text,
            p=_probability(alignment.log_likelihood),
            loss=-alignment.log_likelihood,
            states=len(states),
        )
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _at_rates(_model, words: tuple[str, ...], noise: float, seed: int, name: str, device: str) -> list[tuple]:
    """The same words at COMPARED_RATES: (rate, frames, blank share, greedy output), shared by the sessions."""
    rows = []
    for rate in COMPARED_RATES:
        utterance = render(words, rate, noise, seed)
        reading = read_utterance(_model, utterance.frames, beam=1)
        blank = float((np.array(reading.path) == speech_vocab().blank_id).mean())
        rows.append((rate, utterance.n_frames, blank, output_text(reading.greedy), utterance.text))
    return rows


def _rates(ctx: PageContext, ckpt, words: tuple[str, ...], noise: float, seed: int) -> None:
    st.subheader(ctx.t("sig_sp_rates"))
    st.markdown(ctx.t("sig_sp_rates_intro"))
    rows = _at_rates(ckpt.model, words, noise, seed, MODEL, str(ctx.device))
    st.dataframe(
        {
            ctx.t("sig_sp_rate"): [f"{r[0]:.1f}×" for r in rows],
            ctx.t("sig_sp_frames"): [r[1] for r in rows],
            ctx.t("sig_sp_blank_share"): [f"{r[2]:.0%}" for r in rows],
            ctx.t("sig_sp_output"): [r[3] or "∅" for r in rows],
            ctx.t("sig_sp_reads"): ["✓" if r[3] == r[4] else "✗" for r in rows],
        },
        hide_index=True,
    )
    st.caption(ctx.t("sig_sp_rates_caption", high=TRAIN_RATES[1]))


def _measured(ctx: PageContext, ckpt, parts: tuple) -> None:
    """The held-out measures recorded with the checkpoint (never measured at page load)."""
    st.subheader(ctx.t("sig_sp_measured"))
    m = ckpt.metrics
    if "greedy" not in m:
        st.info(ctx.t("sig_sp_not_measured"), icon=":material/info:")
        return
    st.markdown(ctx.t("sig_sp_measured_method", n=m["utterances"], beam=m["beam_width"]))
    measures = (
        ("sig_sp_letter_error", "letter_error_rate"),
        ("sig_sp_word_error", "word_error_rate"),
        ("sig_sp_exact", "exact_match"),
    )
    st.dataframe(
        {
            ctx.t("sig_sp_measure"): [ctx.t(label) for label, _ in measures],
            ctx.t("sig_sp_greedy"): [f"{m['greedy'][k]:.1%}" for _, k in measures],
            ctx.t("sig_sp_beam", beam=m["beam_width"]): [f"{m['beam'][k]:.1%}" for _, k in measures],
        },
        hide_index=True,
    )
    peak = m["peakiness"]
    st.caption(
        ctx.t(
            "sig_sp_peakiness",
            blank=peak["blank_share"],
            peaked=peak["peaked_share"],
            peak=peak["peak"],
            mean=peak["mean_max_posterior"],
            changed=m["beam_changes_output"],
        )
    )
    by_rate = m.get("by_rate", {})
    if by_rate:
        names = {"slow": "sig_sp_slow", "normal": "sig_sp_normal", "fast": "sig_sp_fast"}
        st.markdown(
            ctx.t(
                "sig_sp_by_rate",
                rows=ctx.t("list_separator").join(
                    ctx.t("sig_sp_bucket", name=ctx.t(names[k]), ler=v["letter_error_rate"], n=v["utterances"])
                    for k, v in by_rate.items()
                    if k in names
                ),
            )
        )
    sweep = m.get("rate_sweep")
    if sweep:
        rates = sorted(sweep, key=float)
        figure = rate_sweep_figure(
            [float(r) for r in rates],
            [sweep[r]["letter_error_rate"] for r in rates],
            [sweep[r]["word_error_rate"] for r in rates],
            ctx.t("sig_sp_sweep_title", n=m.get("sweep_utterances", 200)),
            training_range=TRAIN_RATES,
            presentation=ctx.presentation,
            names=(ctx.t("sig_sp_letter_error"), ctx.t("sig_sp_word_error")),
            x_title=ctx.t("sig_sp_sweep_x"),
            y_title=ctx.t("sig_sp_error_rate"),
        )
        show_plotly(figure, "signals", MODEL, "rate_sweep", key="sig_sp_sweep")
        st.caption(ctx.t("sig_sp_sweep_caption", low=TRAIN_RATES[0], high=TRAIN_RATES[1]))
