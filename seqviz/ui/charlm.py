"""The "Transformer vs GRU on your own text" section: choose text, train both live, compare, save, load."""

from __future__ import annotations

import streamlit as st
import torch

from ..data.chars import clean_user_text, decode_user_bytes
from ..data.toy_generator import make_pairs
from ..decoding.autoregressive import generate
from ..decoding.timing import measure
from ..device import describe
from ..messages import UserError
from ..training.charlm import (
    ATTENTION_CHARS,
    KINDS,
    MAX_MODEL_BYTES,
    WINDOW,
    from_bytes,
    sample,
    to_bytes,
    train_char_model,
    window_attention,
)
from ..viz.attention import attention_heatmap
from ..viz.curves import loss_curves
from .figures import show_altair, show_plotly
from .page import PageContext
from .training_turns import training_turn

MAX_UPLOAD_MB = 2
KIND_NAME_KEYS = {"transformer": "ar_char_transformer", "gru": "ar_char_gru"}  # the catalogue's name of each kind
SAMPLE_LENGTHS = (100, 200, 512)  # characters generated per sample


@st.cache_data(show_spinner=False)
def _builtin_text() -> str:
    return "\n".join(" ".join(p.en) for p in make_pairs(1500, seed=0))  # about 150,000 characters


@st.cache_data(show_spinner=False, max_entries=8)
def _clean(text: str) -> tuple[str, list[str]]:
    return clean_user_text(text)


def _choose_text(ctx: PageContext) -> str | None:
    sources = {"builtin": "ar_char_builtin", "paste": "ar_char_paste", "upload": "ar_char_upload"}
    source = st.radio(
        ctx.t("ar_char_source"),
        tuple(sources),
        horizontal=True,
        key="char_source",
        format_func=lambda s: ctx.t(sources[s]),
    )
    if source == "builtin":
        return _builtin_text()
    if source == "paste":
        return st.text_area(ctx.t("ar_char_paste_box"), key="char_text", max_chars=200_000, height=150)
    upload = st.file_uploader(ctx.t("ar_char_upload_box", mb=MAX_UPLOAD_MB), type=["txt"], key="char_upload")
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(ctx.t("ar_char_too_big", mb=MAX_UPLOAD_MB))
        return None
    text, warnings = decode_user_bytes(upload.getvalue())
    for warning in warnings:
        st.warning(ctx.message(warning))
    return text


def charlm_section(ctx: PageContext) -> None:
    st.markdown(ctx.t("ar_char_intro", window=WINDOW))
    text = _choose_text(ctx)
    seconds = st.select_slider(ctx.t("ar_char_seconds"), [10, 30, 60], value=30, key="char_seconds")
    if text is not None:
        text, warnings = _clean(text)
        for warning in warnings:
            st.info(ctx.message(warning))
    if st.button(
        ctx.t("ar_char_train"),
        type="primary",
        icon=":material/model_training:",
        key="char_train",
        disabled=not text or not text.strip(),
    ):
        _train_both(ctx, text, seconds)
    _load_control(ctx)
    models = st.session_state.get("char_models")
    if models:
        _compare(ctx, models)


def _train_both(ctx: PageContext, text: str, seconds: int) -> None:
    """Train both kinds, when the server gives this session a turn (else the models it had stay)."""
    with training_turn(ctx) as granted:
        if granted:
            _train(ctx, text, seconds)


def _train(ctx: PageContext, text: str, seconds: int) -> None:
    progress, chart = st.progress(0.0), st.empty()
    rows: list[dict] = []
    models = {}
    for n, kind in enumerate(KINDS):
        name = ctx.t(KIND_NAME_KEYS[kind])

        def report(p, name=name, n=n, kind=kind):
            rows.append({"step": p.step, "loss": p.loss, "series": name})
            if p.step % 25 == 0:
                progress.progress(
                    min(1.0, (n + min(1.0, p.elapsed_s / seconds)) / len(KINDS)),
                    text=ctx.t("ar_char_training", kind=name, step=p.step, loss=p.loss),
                )
                with chart.container():
                    show_altair(
                        _loss_chart(ctx, rows),
                        "autoregressive",
                        "char_training",
                        kind,
                        key=f"char_live_{kind}_{p.step}",
                    )

        try:
            models[kind] = train_char_model(text, kind, seconds=seconds, callback=report)
        except ValueError as error:
            st.error(ctx.t("ar_char_error", error=ctx.message(error)))
            return
    progress.empty()
    chart.empty()
    for ckpt in models.values():
        _time_per_char(ckpt)
    st.session_state.char_models = models
    st.session_state.char_memo = {}  # samples and attention of the models before these


def _time_per_char(ckpt) -> None:
    """Measure generation speed once, when the model arrives, not on every rerun."""
    start = torch.tensor([ckpt.vocab.bos_id])
    timing = measure(lambda: generate(ckpt.model, start, 48, greedy=True), "cpu", 1, 5)
    ckpt.metrics["ms_per_char"] = timing.median_ms / 48


def _load_control(ctx: PageContext) -> None:
    upload = st.file_uploader(ctx.t("ar_char_load"), type=["zip"], key="char_model_upload")
    if upload is None or st.session_state.get("char_loaded_file") == upload.file_id:
        return  # nothing attached, or this file was already loaded (reruns do not time it again)
    try:
        if upload.size > MAX_MODEL_BYTES:
            raise UserError("msg_file_too_large", mb=MAX_MODEL_BYTES // (1024 * 1024))
        ckpt = from_bytes(upload.getvalue())
        kind = ckpt.recipe.get("name", "").removeprefix("char_")
        if kind not in KINDS:
            raise UserError("msg_not_char_kind", kinds=" / ".join(KINDS), kind=kind or "?")
    except ValueError as error:
        st.error(ctx.t("ar_char_error", error=ctx.message(error)))
        return
    _time_per_char(ckpt)
    st.session_state.setdefault("char_models", {})[kind] = ckpt
    st.session_state.char_memo = {}
    st.session_state.char_loaded_file = upload.file_id
    st.success(ctx.t("ar_char_loaded", kind=ctx.t(KIND_NAME_KEYS[kind]), steps=ckpt.metrics.get("steps", "?")))


def _loss_chart(ctx: PageContext, rows: list[dict]):
    """Training loss against step, one line per character model."""
    return loss_curves(
        rows,
        x_title=ctx.t("ar_char_step"),
        y_title=ctx.t("ar_char_loss"),
        series_title=ctx.t("ar_char_model"),
        presentation=ctx.presentation,
    )


def _compare(ctx: PageContext, models: dict) -> None:
    rows = [
        {"step": i + 1, "loss": loss, "series": ctx.t(KIND_NAME_KEYS[kind])}
        for kind, ckpt in models.items()
        for i, loss in enumerate(ckpt.metrics.get("losses", []))
    ]
    if rows:
        show_altair(_loss_chart(ctx, rows), "autoregressive", "char_training", key="char_losses")
    left, right = st.columns([3, 1])
    prompt = left.text_input(ctx.t("ar_char_prompt"), value="the ", key="char_prompt", max_chars=200)
    length = right.select_slider(ctx.t("ar_char_length"), SAMPLE_LENGTHS, value=200, key="char_length")
    samples = {
        kind: _memo(("sample", kind, prompt, length), lambda ckpt=ckpt: sample(ckpt, prompt, length, 0.8, seed=0))
        for kind, ckpt in models.items()
    }
    columns = st.columns(len(models))
    for column, (kind, ckpt) in zip(columns, models.items(), strict=False):
        with column:
            st.markdown(
                ctx.t(
                    "ar_char_sample",
                    kind=ctx.t(KIND_NAME_KEYS[kind]),
                    steps=ckpt.metrics.get("steps", 0),
                    seconds=ckpt.metrics.get("train_seconds", 0),
                    params=ckpt.metrics.get("parameters", 0),
                    ms=ckpt.metrics.get("ms_per_char", 0.0),
                    device=describe("cpu"),
                )
            )
            st.code(prompt + samples[kind], language=None, wrap_lines=True)
            st.download_button(
                ctx.t("ar_char_download", kind=ctx.t(KIND_NAME_KEYS[kind])),
                data=lambda ckpt=ckpt: to_bytes(ckpt),
                file_name=f"seqviz_char_{kind}.zip",
                mime="application/zip",
                key=f"char_dl_{kind}",
                on_click="ignore",
                icon=":material/download:",
            )
    if "transformer" in models:
        _window_attention(ctx, models["transformer"], prompt + samples["transformer"])


def _memo(key: tuple, compute):
    """This session's result for key, computed once per model pair (cleared when the models change)."""
    memo = st.session_state.setdefault("char_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _window_attention(ctx: PageContext, ckpt, text: str) -> None:
    """The Transformer's attention along the whole sample: a band as wide as its window; the GRU has none."""
    st.markdown(f"#### {ctx.t('ar_char_attention')}")
    st.markdown(ctx.t("ar_char_attention_intro", window=WINDOW + 1, n=ATTENTION_CHARS))
    layers = ckpt.model.config.n_layers
    layer = st.select_slider(ctx.t("layer"), list(range(1, layers + 1)), value=layers, key="char_attention_layer")
    chars, weights = _memo(("attention", text, layer), lambda: window_attention(ckpt, text, layer - 1))
    labels = [{" ": "␣", "\n": "↵"}.get(c, c) for c in chars]
    band = torch.ones(len(chars), len(chars), dtype=torch.bool)
    band = band.tril() & ~band.tril(-ckpt.model.config.max_len)  # True where the character can be seen
    show_plotly(
        attention_heatmap(
            weights.numpy(),
            labels,
            labels,
            ctx.t("ar_char_attention_title", layer=layer, n=len(chars)),
            masked=(~band).numpy(),
            presentation=ctx.presentation,
            x_title=ctx.t("key_axis"),
            y_title=ctx.t("query_axis"),
            colorbar_title=ctx.t("weight"),
            masked_label=ctx.t("ar_char_outside"),
        ),
        "autoregressive",
        "char_window_attention",
        key="char_window_attention",
    )
