"""The sections of the sequence-to-sequence page: the source sentence, three translations side by side, the
Transformer's decoding step by step (a fragment), cross-attention and self-attention maps, Bahdanau beside
the Transformer, and digit tasks. The measured sections (accuracy by length, teacher forcing vs free
running, the time split) are in seq2seq_measures.py."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from ..data.digits import digit_answer
from ..data.text import tokenize
from ..data.toy import EN_WORDS, canonical_translation, check_translation, is_grammatical, unknown_words
from ..decoding.seq2seq import (
    TRANSLATOR_NAME_KEYS,
    AttentionMaps,
    translate_batch,
    translate_steps,
    word_attention_maps,
)
from ..models.checkpoint import Checkpoint
from ..viz.attention import attention_heatmap, head_grid
from ..viz.bars import topk_bars
from .figures import show_plotly
from .inputs import report_unknown
from .models import model_key, read_only
from .page import PageContext
from .text import md_token

MODELS = TRANSLATOR_NAME_KEYS
MAX_SOURCE_WORDS = 35  # the longest English sentence in the training data
TOP_K_SHOWN = 6
DIGIT_TASK_KEYS = {"reverse": "s2s_reverse", "sort": "s2s_sort"}


def source_words(ctx: PageContext, examples: list[str]) -> list[str] | None:
    """The English words to translate, normalised, with a note for everything changed or refused."""
    left, right = st.columns([3, 2])
    example = right.selectbox(
        ctx.t("s2s_example"), examples, index=None, placeholder=ctx.t("choose"), key="s2s_example"
    )
    if example is not None and st.session_state.get("s2s_last_example") != example:
        st.session_state.s2s_last_example = example
        st.session_state.s2s_sentence = example
    text = left.text_input(
        ctx.t("s2s_sentence"),
        value="the black cat sees the small dogs",
        key="s2s_sentence",
        help=ctx.t("s2s_sentence_help"),
        max_chars=1000,
    )
    tokens = tokenize(text)
    marks = [t for t in tokens if not any(ch.isalnum() for ch in t)]
    words = [t for t in tokens if t not in marks]
    if marks:
        st.info(ctx.t("s2s_dropped", marks=" ".join(dict.fromkeys(marks))), icon=":material/format_clear:")
    if words and " ".join(words) != text.strip():
        st.caption(ctx.t("s2s_normalised", text=" ".join(words)))
    missing = unknown_words(words, EN_WORDS)
    if missing:
        report_unknown(ctx, "s2s_unknown", missing, EN_WORDS)
        words = [w for w in words if w not in missing]
    if not words:
        st.info(ctx.t("s2s_empty"), icon=":material/keyboard:")
        return None
    if len(words) > MAX_SOURCE_WORDS:
        st.info(ctx.t("s2s_too_long", n=len(words), max=MAX_SOURCE_WORDS), icon=":material/content_cut:")
        words = words[:MAX_SOURCE_WORDS]
    if not is_grammatical(words):
        st.info(ctx.t("s2s_not_grammatical"), icon=":material/help:")
    return words


@st.cache_data(show_spinner=False, max_entries=256)
def _translate(_model, model_key: str, words: tuple[str, ...], _vocab) -> list[str]:
    """Greedy translation (deterministic, so computed once per model and sentence)."""
    src = torch.tensor(_vocab.encode(words), device=next(_model.parameters()).device)
    return _vocab.decode(translate_batch(_model, src[None], _vocab.bos_id, _vocab.eos_id)[0])


def translations_section(ctx: PageContext, models: dict[str, Checkpoint], words: list[str]) -> dict[str, list[str]]:
    reference = canonical_translation(words)
    if reference:
        st.markdown(ctx.t("s2s_reference", text=" ".join(reference)))
    outputs = {}
    for column, (name, ckpt) in zip(st.columns(len(models)), models.items(), strict=True):
        outputs[name] = _translate(ckpt.model, f"{name}:{ctx.device}", tuple(words), ckpt.vocab)
        verdict = (
            ("s2s_right" if check_translation(words, outputs[name]) else "s2s_wrong") if reference else "s2s_unchecked"
        )
        with column.container(border=True):
            st.subheader(ctx.t(MODELS[name]))
            st.markdown(f"### {md_token(' '.join(outputs[name])) or '∅'}")
            st.markdown(ctx.t(verdict))
            if "exact_match" in ckpt.metrics:
                st.caption(ctx.t("s2s_model_quality", share=ckpt.metrics["exact_match"]))
    return outputs


@st.fragment
def stepper(ctx: PageContext, ckpt: Checkpoint, words: list[str]) -> None:
    """Next token / to the end / reset: the encoder has run once; each click runs the decoder once."""
    vocab, model = ckpt.vocab, ckpt.model
    key = tuple(words)
    state = st.session_state.get("s2s_run")
    if state is None or state["key"] != key:
        state = st.session_state.s2s_run = {"key": key, "records": []}
    c1, c2, c3 = st.columns(3)
    steps = 0
    if c1.button(ctx.t("s2s_next"), type="primary", icon=":material/skip_next:", key="s2s_next"):
        steps = 1
    if c2.button(ctx.t("s2s_to_end"), icon=":material/fast_forward:", key="s2s_to_end"):
        steps = model.config.max_len
    if c3.button(ctx.t("s2s_reset"), icon=":material/restart_alt:", key="s2s_reset"):
        state["records"] = []
    done = state["records"] and state["records"][-1].token_id == vocab.eos_id
    if steps and not done:  # replaying is deterministic (greedy): regenerate up to the new length
        src = torch.tensor(vocab.encode(words), device=next(model.parameters()).device)
        generator = translate_steps(model, src, vocab.bos_id, vocab.eos_id, len(state["records"]) + steps)
        state["records"] = list(generator)
    records = state["records"]
    written = [vocab.token(r.token_id) for r in records]
    st.markdown(ctx.t("s2s_passes", n=len(records), text=" ".join(md_token(w) for w in written) or "‹bos›"))
    if not records:
        st.info(ctx.t("s2s_press_next"), icon=":material/touch_app:")
        return
    record = records[-1]
    if record.token_id == vocab.eos_id:
        st.success(ctx.t("s2s_finished"))
    st.markdown(
        ctx.t(
            "s2s_step_chose",
            step=len(records),
            token=md_token(written[-1]),
            p=float(record.probs_after[record.token_id]),
        )
    )
    left, right = st.columns(2)
    top = record.probs_after.topk(TOP_K_SHOWN)
    with left:
        show_plotly(
            topk_bars(
                vocab.decode(top.indices.tolist()),
                top.values.tolist(),
                ctx.t("s2s_step_distribution", step=len(records)),
                presentation=ctx.presentation,
                x_title=ctx.t("s2s_probability"),
            ),
            "seq2seq",
            "step_distribution",
            *words[:4],
            key="s2s_step_bars",
        )
    with right:
        row = record.cross_attention[-1].mean(0).cpu().numpy()  # (S,)
        show_plotly(
            topk_bars(
                words,
                row.tolist(),
                ctx.t("s2s_step_cross", step=len(records)),
                presentation=ctx.presentation,
                x_title=ctx.t("s2s_weight"),
            ),
            "seq2seq",
            "step_cross_attention",
            *words[:4],
            key="s2s_step_cross",
        )


def _maps(ckpt: Checkpoint, words: list[str], target: list[str]):
    """Every attention of one teacher-forced pass, computed once per model, sentence and target."""
    return _attention(ckpt.model, model_key(ckpt), tuple(words), tuple(target), ckpt.vocab)


@st.cache_resource(show_spinner=False, max_entries=128)
def _attention(_model, model_key: str, words: tuple[str, ...], target: tuple[str, ...], _vocab) -> AttentionMaps:
    """Shared read-only (its arrays refuse writes): a rerun reads it without copying."""
    maps = word_attention_maps(_model, _vocab, words, target)
    parts = (maps.cross, maps.encoder, maps.decoder)
    return AttentionMaps(*(None if part is None else [read_only(w) for w in part] for part in parts))


@st.fragment  # a layer or head picked redraws this section alone
def attention_section(ctx: PageContext, ckpt: Checkpoint, words: list[str], output: list[str]) -> None:
    """The Transformer's attention on its own translation: cross (picked layer/head), the grid, and the
    encoder's and decoder's self-attention."""
    st.markdown(ctx.t("s2s_attention_intro"))
    rows = [*output, "<eos>"]  # decoder position t writes rows[t]
    maps = _maps(ckpt, words, output)
    n_layers, n_heads = len(maps.cross), maps.cross[0].shape[0]
    c1, c2 = st.columns(2)
    layer = c1.select_slider(ctx.t("s2s_layer"), list(range(1, n_layers + 1)), value=n_layers, key="s2s_layer")
    heads = [ctx.t("s2s_mean_heads"), *[f"H{h + 1}" for h in range(n_heads)]]
    head = c2.segmented_control(ctx.t("s2s_head"), heads, default=heads[0], required=True, key="s2s_head")
    cross = maps.cross[layer - 1]
    weights = cross.mean(0) if head == heads[0] else cross[heads.index(head) - 1]
    common = dict(presentation=ctx.presentation, colorbar_title=ctx.t("s2s_weight"))
    show_plotly(
        attention_heatmap(
            weights,
            rows,
            words,
            ctx.t("s2s_cross_title", layer=layer, head=head),
            x_title=ctx.t("s2s_source"),
            y_title=ctx.t("s2s_target"),
            **common,
        ),
        "seq2seq",
        "cross_attention",
        *words[:4],
        key="s2s_cross",
    )
    with st.expander(ctx.t("s2s_all_heads"), icon=":material/grid_view:"):
        show_plotly(
            head_grid(np.stack(maps.cross), rows, words, ctx.t("s2s_grid_title"), **common),
            "seq2seq",
            "cross_heads",
            *words[:4],
            key="s2s_grid",
        )
    axes = dict(x_title=ctx.t("key_axis"), y_title=ctx.t("query_axis"))
    left, right = st.columns(2)
    with left:
        show_plotly(
            attention_heatmap(
                maps.encoder[layer - 1].mean(0), words, words, ctx.t("s2s_encoder_self", layer=layer), **axes, **common
            ),
            "seq2seq",
            "encoder_self_attention",
            *words[:4],
            key="s2s_encoder_self",
        )
    with right:
        inputs = ["<bos>", *output]
        future = np.triu(np.ones((len(inputs), len(inputs)), bool), 1)
        show_plotly(
            attention_heatmap(
                maps.decoder[layer - 1].mean(0),
                inputs,
                inputs,
                ctx.t("s2s_decoder_self", layer=layer),
                masked=future,
                masked_label=ctx.t("s2s_masked"),
                **axes,
                **common,
            ),
            "seq2seq",
            "decoder_self_attention",
            *words[:4],
            key="s2s_decoder_self",
        )


def bahdanau_section(ctx: PageContext, transformer: Checkpoint, bahdanau: Checkpoint, words: list[str]) -> None:
    target = list(
        canonical_translation(words)
        or _translate(transformer.model, f"toy_transformer_mt:{ctx.device}", tuple(words), transformer.vocab)
    )
    st.markdown(ctx.t("s2s_bahdanau_intro"))
    rows = [*target, "<eos>"]
    common = dict(
        presentation=ctx.presentation,
        colorbar_title=ctx.t("s2s_weight"),
        x_title=ctx.t("s2s_source"),
        y_title=ctx.t("s2s_target"),
    )
    left, right = st.columns(2)
    with left:
        alignment = _maps(bahdanau, words, target).cross[0][0]  # one additive attention per step (T, S)
        show_plotly(
            attention_heatmap(alignment, rows, words, ctx.t("s2s_bahdanau_title"), **common),
            "seq2seq",
            "bahdanau_alignment",
            *words[:4],
            key="s2s_bahdanau",
        )
    with right:
        cross = _maps(transformer, words, target).cross[-1].mean(0)
        show_plotly(
            attention_heatmap(cross, rows, words, ctx.t("s2s_transformer_title"), **common),
            "seq2seq",
            "transformer_cross_mean",
            *words[:4],
            key="s2s_transformer_mean",
        )


@st.fragment  # the digits typed here redraw this section alone
def digits_section(ctx: PageContext, models: dict[str, Checkpoint]) -> None:
    st.markdown(ctx.t("s2s_digits_intro"))
    c1, c2 = st.columns([1, 2])
    task = c1.segmented_control(
        ctx.t("s2s_digits_task"),
        list(models),
        default="reverse",
        required=True,
        format_func=lambda k: ctx.t(DIGIT_TASK_KEYS[k]),
        key="s2s_digits_task",
    )
    text = c2.text_input(ctx.t("s2s_digits_input"), value="31415926", key="s2s_digits", max_chars=100)
    digits = [ch for ch in text if ch.isdigit() and ch.isascii()]
    if not 3 <= len(digits) <= 12:
        st.warning(ctx.t("s2s_digits_bad"), icon=":material/pin:")
        digits = list("31415926")
    ckpt = models[task]
    output = _translate(ckpt.model, f"digits_{task}:{ctx.device}", tuple(digits), ckpt.vocab)
    right = tuple(output) == digit_answer(task, digits)
    st.markdown(
        ctx.t("s2s_digits_output", out=" ".join(output), verdict=":green[**✓**]" if right else ":red[**✗**]")
        + " "
        + ctx.t("s2s_digits_quality", share=ckpt.metrics.get("exact_match", 0.0))
    )
    shares = ckpt.metrics.get("anti_diagonal_share")
    if shares:
        layer = max(shares, key=shares.get)
        st.caption(ctx.t("s2s_digits_diagonal", layer=layer.removeprefix("layer_"), share=shares[layer]))
    cross = _maps(ckpt, digits, output).cross
    show_plotly(
        head_grid(
            np.stack(cross),
            [*output, "<eos>"],
            digits,
            ctx.t("s2s_grid_title"),
            presentation=ctx.presentation,
            colorbar_title=ctx.t("s2s_weight"),
        ),
        "seq2seq",
        f"digits_{task}",
        "".join(digits),
        key="s2s_digits_grid",
    )
