"""The autoencoders page's ELECTRA sections: replaced-token detection on your sentence, where each objective's
loss comes from, and the discriminator's encoder against the masked LM's at equal compute."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from ...data.text import MASK_TOKEN
from ...decoding.detection import detect_replacements, masked_lm_losses
from ...models.autoencoding import choose_positions
from ...training.electra_evaluation import CURVE_SEEDS, FINETUNE_STEPS, FINETUNE_TEST, PROBE_TEST
from ...viz.attention import attention_heatmap
from ...viz.autoencoders import detection_bars
from ...viz.curves import accuracy_curves
from ..figures import show_altair, show_plotly
from ..models import builtin_model
from ..page import PageContext
from ..text import md_highlighted
from .common import next_draw, sentence_box

ELECTRA, MLM = "toy_electra", "toy_mlm"
ELECTRA_EXAMPLE = "the small cats chase the black dog"
START_NAME_KEYS = {"electra": "aef_start_electra", "masked_lm": "aef_start_mlm", "random_init": "aef_start_random"}
PROBE_TITLE_KEYS = {"subject_number": "aef_probe_subject_number", "grammatical": "aef_probe_grammatical"}


@st.cache_data(max_entries=64, show_spinner=False)
def _detection(_electra, _mlm, ids: tuple[int, ...], masked: tuple[int, ...], seed: int, mask_id: int, device: str):
    """One replaced-token detection and BERT's losses on the same masked positions, shared by every session
    that asks for the same sentence, positions and draw."""
    tensor = torch.tensor(ids)
    detection = detect_replacements(_electra, tensor, list(masked), seed)
    return detection, masked_lm_losses(_mlm, tensor, list(masked), mask_id)


@st.fragment  # a sentence, a draw or a word picked redraws this section alone
def electra_section(ctx: PageContext) -> None:
    electra, mlm = builtin_model(ELECTRA, str(ctx.device)), builtin_model(MLM, str(ctx.device))
    vocab = electra.vocab
    st.markdown(ctx.t("aef_electra_intro"))
    words = sentence_box(ctx, "aef_electra_sentence", ELECTRA_EXAMPLE, "aef_electra_sentence_label")
    ids = torch.tensor([vocab.cls_id, *vocab.encode(words), vocab.sep_id])
    seed = st.session_state.get("aef_electra_seed", 0)
    drawn = choose_positions(torch.ones(1, len(words), dtype=torch.bool), torch.Generator().manual_seed(seed))[0]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.pills(
        ctx.t("aef_masked_words"),
        range(len(words)),
        selection_mode="multi",
        format_func=lambda i: words[i],
        default=drawn.nonzero()[:, 0].tolist(),
        key=f"aef_electra_masked_{seed}_{'_'.join(words)}",
    )
    right.button(
        ctx.t("aef_new_draw"), icon=":material/casino:", key="aef_electra_draw", on_click=next_draw,
        args=("aef_electra_seed",),
    )  # fmt: skip
    if not chosen:
        st.info(ctx.t("aef_no_masked"), icon=":material/touch_app:")
        return
    masked = tuple(sorted(i + 1 for i in chosen))  # positions in ids ([CLS] first)
    detection, bert_loss = _detection(
        electra.model, mlm.model, tuple(ids.tolist()), masked, seed, vocab.mask_id, str(ctx.device)
    )
    read = vocab.decode(list(detection.read[1:-1]))
    replaced = detection.replaced[1:-1]
    st.markdown(
        ctx.t(
            "aef_electra_rows",
            masked=md_highlighted([MASK_TOKEN if i + 1 in masked else w for i, w in enumerate(words)],
                                  [i + 1 in masked for i in range(len(words))]),
            read=md_highlighted(read, replaced.tolist()),
            n=int(replaced.sum()),
            kept=len(masked) - int(replaced.sum()),
        )
    )  # fmt: skip
    p = detection.p_replaced[1:-1]
    figure = detection_bars(
        read,
        p,
        replaced,
        ctx.t("aef_detection_title"),
        originals=words,
        presentation=ctx.presentation,
        y_title=ctx.t("aef_p_replaced"),
        legend=(ctx.t("aef_replaced"), ctx.t("aef_original")),
    )
    show_plotly(figure, "autoencoders", "electra", *words[:4], key="aef_detection")
    right_calls = int(((p > 0.5) == replaced).sum())
    st.caption(ctx.t("aef_detection_caption", right=right_calls, n=len(words)))

    st.subheader(ctx.t("aef_signal"))
    losses = np.stack([bert_loss[1:-1], detection.detection_loss[1:-1]])  # (2, words)
    signal = attention_heatmap(
        np.nan_to_num(losses),
        [ctx.t("aef_bert_row"), ctx.t("aef_electra_row")],
        words,
        ctx.t("aef_signal_title"),
        masked=np.isnan(losses),
        zmax=float(max(np.nanmax(losses), 1.0)),
        presentation=ctx.presentation,
        x_title=ctx.t("aef_word"),
        y_title="",
        colorbar_title=ctx.t("aef_loss"),
        masked_label=ctx.t("aef_no_loss"),
    )
    show_plotly(signal, "autoencoders", "signal", *words[:4], key="aef_signal")
    st.caption(ctx.t("aef_signal_caption", k=len(masked), n=len(words)))
    m = electra.metrics
    if "detection_auc" in m:
        st.markdown(
            ctx.t(
                "aef_detection_measured",
                n=m["heldout_sentences"],
                words=m["scored_words"],
                auc=m["detection_auc"],
                accuracy=m["detection_accuracy"],
                found=m["replaced_found"],
                flagged=m["originals_flagged"],
                share=m["replaced_share"],
                grammatical=m.get("replaced_sentences_still_grammatical", 0.0),
            )
        )


def electra_versus_section(ctx: PageContext) -> None:
    """The paper's claim at this scale, as measured when the checkpoint was trained: equal compute, then the
    discriminator's encoder against the masked LM's, fine-tuned and probed."""
    m = builtin_model(ELECTRA, str(ctx.device)).metrics
    if "pretraining_compute" not in m:
        st.info(ctx.t("aef_not_measured"), icon=":material/info:")
        return
    compute = m["pretraining_compute"]
    st.markdown(
        ctx.t(
            "aef_compute",
            electra=compute["gflops_per_step"]["electra"],
            mlm=compute["gflops_per_step"]["masked_lm"],
            electra_steps=compute["steps"]["electra"],
            mlm_steps=compute["steps"]["masked_lm"],
            share=compute["electra_share_of_masked_lm"],
        )
    )
    finetune = m["finetune_subject_number"]["accuracy"]
    charts = [("aef_finetune_title", finetune, "finetune")]
    charts += [(PROBE_TITLE_KEYS[task], curves, task) for task, curves in m["linear_probe"]["accuracy"].items()]
    for title_key, curves, tag in charts:  # one per row: three side by side cut their titles below a laptop's width
        rows = [
            {"step": int(n), "accuracy": accuracy, "series": ctx.t(START_NAME_KEYS[start])}
            for start, points in curves.items()
            for n, accuracy in points.items()
        ]
        chart = accuracy_curves(
            rows,
            ctx.t(title_key),
            x_title=ctx.t("aef_labelled"),
            y_title=ctx.t("ae_accuracy"),
            series_title=ctx.t("ae_encoder"),
            presentation=ctx.presentation,
            categorical_steps=True,
        )
        show_altair(chart, "autoencoders", "electra", tag, key=f"aef_curve_{tag}")
    st.markdown(ctx.t("aef_finding", **_finding(finetune, m["linear_probe"]["accuracy"])))
    st.caption(
        ctx.t(
            "aef_curves_method",
            steps=FINETUNE_STEPS,
            finetune_test=FINETUNE_TEST,
            probe_test=PROBE_TEST,
            draws=len(CURVE_SEEDS),
        )
    )


def _finding(finetune: dict, probes: dict) -> dict:
    """The numbers the finding sentence quotes: each curve's first and last point for the two encoders."""
    smallest, largest = min(finetune["electra"], key=int), max(finetune["electra"], key=int)
    grammatical = probes["grammatical"]
    probe_n, probe_small = max(grammatical["electra"], key=int), min(grammatical["electra"], key=int)
    return {
        "probe_small": probe_small,
        "electra_probe_small": grammatical["electra"][probe_small],
        "mlm_probe_small": grammatical["masked_lm"][probe_small],
        "small": smallest,
        "large": largest,
        "electra_small": finetune["electra"][smallest],
        "mlm_small": finetune["masked_lm"][smallest],
        "electra_large": finetune["electra"][largest],
        "mlm_large": finetune["masked_lm"][largest],
        "probe_n": probe_n,
        "electra_probe": grammatical["electra"][probe_n],
        "mlm_probe": grammatical["masked_lm"][probe_n],
        "random_probe": grammatical["random_init"][probe_n],
    }
