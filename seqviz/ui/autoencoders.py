"""The sections of the autoencoders page: ELECTRA's replaced-token detection, BART's denoising and a sentence
VAE's latent space. Each section is a fragment: a control moved in one redraws that section alone."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from ..data.text import MASK_TOKEN
from ..data.text_to_text import corrupt_spans, fill_spans, with_prefix
from ..data.toy import is_grammatical
from ..decoding.detection import detect_replacements, masked_lm_losses
from ..decoding.latent import decode_latent, encode_sentences, interpolate, prior_codes
from ..decoding.seq2seq import translate_batch, word_attention_maps
from ..explain.latent import principal_plane
from ..models.autoencoding import choose_positions
from ..models.bart import NOISES, noise
from ..models.checkpoint import Checkpoint
from ..training.electra_evaluation import CURVE_SEEDS, FINETUNE_STEPS, FINETUNE_TEST, PROBE_TEST
from ..training.recipes import VAE_DATA
from ..training.splits import TOY_DATA, english_split_head
from ..training.vae_evaluation import latent_map
from ..viz.attention import attention_heatmap
from ..viz.autoencoders import detection_bars, latent_scatter, posterior_bars
from ..viz.curves import accuracy_curves
from .figures import attention_views, show_altair, show_plotly
from .inputs import toy_words
from .models import builtin_model
from .page import PageContext
from .text import md_highlighted, md_token

ELECTRA, MLM, BART, T5 = "toy_electra", "toy_mlm", "toy_bart", "toy_t5"
VAES = {"toy_vae": "aef_vae_annealed", "toy_vae_unannealed": "aef_vae_unannealed", "toy_ae": "aef_plain_ae"}
VAE_ABOUT_KEYS = {
    "toy_vae": "aef_vae_annealed_about",
    "toy_vae_unannealed": "aef_vae_unannealed_about",
    "toy_ae": "aef_plain_ae_about",
}
NOISE_NAME_KEYS = {
    "mask": "aef_noise_mask",
    "delete": "aef_noise_delete",
    "infill": "aef_noise_infill",
    "shuffle": "aef_noise_shuffle",
}
NOISE_DID_KEYS = {
    "mask": "aef_mask_did",
    "delete": "aef_delete_did",
    "infill": "aef_infill_did",
    "shuffle": "aef_shuffle_did",
}
NOISE_LOOK_KEYS = {
    "mask": "aef_mask_look",
    "delete": "aef_delete_look",
    "infill": "aef_infill_look",
    "shuffle": "aef_shuffle_look",
}
PROBE_TITLE_KEYS = {"subject_number": "aef_probe_subject_number", "grammatical": "aef_probe_grammatical"}
BENEFIT_NAME_KEYS = {"pretrained": "aef_pretrained", "scratch": "aef_scratch"}
START_NAME_KEYS = {"electra": "aef_start_electra", "masked_lm": "aef_start_mlm", "random_init": "aef_start_random"}
MAX_WORDS = 12  # the sentences of this page: short enough for one row of bars on a phone
ELECTRA_EXAMPLE, BART_EXAMPLE = "the small cats chase the black dog", "the big dog chases the red ball"
VAE_EXAMPLES = ("the black cat sleeps", "the girls do not swim")
MAP_DRAWN = 1000  # test sentences drawn for the latent map: about 220 of them have at most 10 words
VAE_MAX_WORDS = VAE_DATA["max_words"]  # the VAEs were trained on sentences of at most 10 words
PRIOR_SHOWN, POSTERIOR_SAMPLES, WALK_POINTS = 8, 4, 8


def _sentence(ctx: PageContext, key: str, example: str, label: str, max_words: int = MAX_WORDS) -> list[str]:
    """A typed toy sentence: unknown words and [MASK]s left out, a long one cut, an empty one replaced by the
    example, each with a message."""
    text = st.text_input(ctx.t(label), example, key=key, max_chars=2000, help=ctx.t("aef_sentence_help", n=max_words))
    words = [w for w in toy_words(ctx, text, max_words) if w != MASK_TOKEN]
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t(label), fallback=example), icon=":material/edit_note:")
        words = example.split()
    return words


def _next_draw(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _verdict(ctx: PageContext, words) -> str:
    return ctx.t("fu_checked_right" if is_grammatical(list(words)) else "fu_checked_wrong")


# ---- ELECTRA ----------------------------------------------------------------------------------------------


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
    words = _sentence(ctx, "aef_electra_sentence", ELECTRA_EXAMPLE, "aef_electra_sentence_label")
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
        ctx.t("aef_new_draw"), icon=":material/casino:", key="aef_electra_draw", on_click=_next_draw,
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


# ---- BART -------------------------------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def _denoised(_model, _vocab, source: tuple[int, ...], name: str, device: str) -> list[int]:
    """An encoder-decoder's greedy output for one input (BART's reconstruction, T5's spans), shared by every
    session that gives the same model the same input."""
    return translate_batch(_model, torch.tensor([source], device=device), _vocab.bos_id, _vocab.eos_id)[0]


def _noised_words(vocab, words: list[str], name: str, seed: int):
    noised = noise(name, vocab.encode(words), random.Random(seed))
    return noised, vocab.decode(noised.ids)


@st.fragment  # a noise, a sentence or a draw redraws this section alone
def bart_section(ctx: PageContext) -> None:
    bart = builtin_model(BART, str(ctx.device))
    vocab = bart.vocab
    st.markdown(ctx.t("aef_bart_intro"))
    name = st.segmented_control(
        ctx.t("aef_noise"),
        list(NOISES),
        default="infill",
        required=True,
        format_func=lambda n: ctx.t(NOISE_NAME_KEYS[n]),
        key="aef_noise",
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        words = _sentence(ctx, "aef_bart_sentence", BART_EXAMPLE, "aef_bart_sentence_label")
    right.button(
        ctx.t("aef_new_noise"), icon=":material/casino:", key="aef_bart_draw", on_click=_next_draw,
        args=("aef_bart_seed",),
    )  # fmt: skip
    seed = st.session_state.get("aef_bart_seed", 0)
    noised, shown = _noised_words(vocab, words, name, seed)
    output = vocab.decode(_denoised(bart.model, vocab, tuple(noised.ids), BART, str(ctx.device)))
    st.markdown(ctx.t(NOISE_DID_KEYS[name], **_what_noise_did(ctx, noised, words)))
    st.markdown(ctx.t("aef_bart_input", sentence=" ".join(md_token(w) for w in shown)))
    restored = output == words
    st.markdown(
        ctx.t(
            "aef_bart_output",
            sentence=md_highlighted(output, _new_words(shown, output)),
            verdict=_verdict(ctx, output),
            same=ctx.t("aef_same_as_original" if restored else "aef_not_original"),
        )
    )
    st.caption(ctx.t(NOISE_LOOK_KEYS[name]))
    maps = word_attention_maps(bart.model, vocab, shown, output)  # rows: <bos> and each word, read
    cross = np.stack(maps.cross)  # (L, H, T, S)
    attention_views(
        ctx,
        cross,
        ["<bos>", *output],
        shown,
        ctx.t("aef_cross_title"),
        "aef_cross",
        ("autoencoders", "bart", name, *words[:3]),
        x_title=ctx.t("aef_noised_axis"),
        y_title=ctx.t("aef_written_axis"),
        default_view=1,
        default_layer=len(maps.cross) - 1,
    )
    _t5_beside(ctx, words, seed)
    _bart_measured(ctx, bart.metrics)


def _what_noise_did(ctx: PageContext, noised, words: list[str]) -> dict:
    """The numbers each noise's sentence names: the words masked or deleted, the spans' lengths."""
    if noised.spans:
        return {"spans": ctx.t("list_separator").join(str(length) for _, length in noised.spans)}
    if noised.order:
        moved = sum(1 for new, old in enumerate(noised.order) if new != old)
        return {"moved": moved, "n": len(words)}
    return {"words": ctx.t("list_separator").join(f"“{md_token(words[i])}”" for i in noised.positions)}


def _new_words(noised: list[str], output: list[str]) -> list[bool]:
    """Which words of the output the input did not have at that point: the words BART put back (a longest
    common subsequence of the two, everything outside it marked)."""
    n, m = len(noised), len(output)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            same = noised[i] == output[j]
            table[i][j] = table[i + 1][j + 1] + 1 if same else max(table[i + 1][j], table[i][j + 1])
    marked, i, j = [True] * m, 0, 0
    while i < n and j < m:
        if noised[i] == output[j]:
            marked[j], i, j = False, i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return marked


def _t5_beside(ctx: PageContext, words: list[str], seed: int) -> None:
    """T5's span corruption of the same sentence: its decoder writes only the dropped spans."""
    try:
        t5 = builtin_model(T5, str(ctx.device))
    except FileNotFoundError:
        return
    source, _ = corrupt_spans(words, random.Random(seed))
    prompt = tuple(t5.vocab.encode(list(with_prefix("fill", source))))
    written = t5.vocab.decode(_denoised(t5.model, t5.vocab, prompt, T5, str(ctx.device)))
    filled = fill_spans(source, written)
    st.markdown(
        ctx.t(
            "aef_t5_beside",
            source=" ".join(md_token(w) for w in source),
            written=" ".join(md_token(w) for w in written),
            n=len(written),
            bart_n=len(words) + 1,
            verdict=_verdict(ctx, filled) if filled is not None else ctx.t("aef_t5_unreadable"),
        )
    )


def _bart_measured(ctx: PageContext, m: dict) -> None:
    if "reconstruction" not in m:
        return
    english = m["reconstruction"]["english"]
    rows = {
        ctx.t("aef_noise"): [ctx.t(NOISE_NAME_KEYS[n]) for n in NOISES],
        ctx.t("aef_exact"): [f"{english[n]['exact_match']:.1%}" for n in NOISES],
        ctx.t("aef_grammatical"): [f"{english[n]['grammatical']:.1%}" for n in NOISES],
        ctx.t("aef_explains"): [f"{english[n]['grammatical_and_explains_input']:.1%}" for n in NOISES],
    }
    st.subheader(ctx.t("aef_bart_measured", n=m["reconstruction"]["sentences_per_language"]))
    st.dataframe(rows, hide_index=True)
    benefit = m.get("finetune_translation")
    if benefit:
        rows = [
            {"step": int(n), "accuracy": value, "series": ctx.t(BENEFIT_NAME_KEYS[start])}
            for n, point in benefit["by_pairs"].items()
            for start, value in point.items()
        ]
        chart = accuracy_curves(
            rows,
            ctx.t("aef_benefit_title"),
            x_title=ctx.t("aef_pairs"),
            y_title=ctx.t("aef_exact"),
            series_title=ctx.t("ae_encoder"),
            presentation=ctx.presentation,
            categorical_steps=True,
        )
        show_altair(chart, "autoencoders", "bart", "pretraining", key="aef_benefit")
        st.caption(ctx.t("aef_benefit_caption", **{k: v for k, v in benefit.items() if k != "by_pairs"}))


# ---- the VAE ----------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=3)
def _latent_map(name: str, device: str):
    """The held-out sentences' μ on their principal plane, once per model and server, shared read-only: the
    short ones among the first MAP_DRAWN of the toy data's test split (held out from the VAEs too: their data
    is the same hash split)."""
    ckpt = builtin_model(name, device)
    held_out = english_split_head("test", MAP_DRAWN, **TOY_DATA)
    sentences = [s for s in held_out if len(s) <= VAE_MAX_WORDS]
    points = latent_map(ckpt.model, ckpt.vocab, sentences)
    return points, principal_plane(points.mu), sentences


@st.cache_data(max_entries=64, show_spinner=False)
def _posterior(_model, _vocab, words: tuple[str, ...], seed: int, name: str, device: str):
    """μ, σ of one sentence and the sentences decoded from μ and from a few samples of z ~ q(z|x)."""
    mu, logvar = encode_sentences(_model, _vocab, [words])
    sigma = None if logvar is None else (0.5 * logvar[0]).exp()
    codes = [mu[0]]
    if sigma is not None:
        noise_draws = torch.randn(POSTERIOR_SAMPLES, mu.size(1), generator=torch.Generator().manual_seed(seed))
        codes += list(mu[0] + sigma * noise_draws)
    decoded = decode_latent(_model, _vocab, torch.stack(codes))
    return mu[0].numpy(), None if sigma is None else sigma.numpy(), [d.words for d in decoded]


@st.fragment  # a model, a sentence or a draw redraws this section alone
def vae_section(ctx: PageContext) -> None:
    st.markdown(ctx.t("aef_vae_intro"))
    name = st.segmented_control(
        ctx.t("aef_vae_model"),
        list(VAES),
        default="toy_vae",
        required=True,
        format_func=lambda n: ctx.t(VAES[n]),
        key="aef_vae_model",
    )
    ckpt = builtin_model(name, str(ctx.device))
    st.caption(ctx.t(VAE_ABOUT_KEYS[name]))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        words = _sentence(ctx, "aef_vae_sentence", VAE_EXAMPLES[0], "aef_vae_sentence_label", VAE_MAX_WORDS)
    right.button(
        ctx.t("aef_new_draw"), icon=":material/casino:", key="aef_vae_draw", on_click=_next_draw,
        args=("aef_vae_seed",),
    )  # fmt: skip
    seed = st.session_state.get("aef_vae_seed", 0)
    mu, sigma, decoded = _posterior(ckpt.model, ckpt.vocab, tuple(words), seed, name, str(ctx.device))
    figure = posterior_bars(
        mu,
        sigma,
        ctx.t("aef_posterior_title", model=ctx.t(VAES[name])),
        presentation=ctx.presentation,
        x_title=ctx.t("aef_latent_dimension"),
    )
    show_plotly(figure, "autoencoders", "posterior", name, *words[:4], key="aef_posterior")
    lines = [ctx.t("aef_from_mean", sentence=" ".join(decoded[0]), verdict=_verdict(ctx, decoded[0]))]
    lines += [
        ctx.t("aef_from_sample", i=i, sentence=" ".join(d), verdict=_verdict(ctx, d))
        for i, d in enumerate(decoded[1:], start=1)
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))

    st.subheader(ctx.t("aef_map"))
    _latent_map_view(ctx, name, words, mu)
    st.subheader(ctx.t("aef_walk"))
    _walk(ctx, ckpt, name, words)
    st.subheader(ctx.t("aef_prior"))
    _prior(ctx, ckpt, name, seed)


LABEL_KEYS = {"subject_number": "aef_by_number", "length": "aef_by_length", "negation": "aef_by_negation"}


def _latent_map_view(ctx: PageContext, name: str, words: list[str], mu: np.ndarray) -> None:
    points, plane, sentences = _latent_map(name, str(ctx.device))
    colour = st.segmented_control(
        ctx.t("aef_colour_by"),
        list(LABEL_KEYS),
        default="subject_number",
        required=True,
        format_func=lambda k: ctx.t(LABEL_KEYS[k]),
        key="aef_colour_by",
    )
    groups = [_group(ctx, colour, value) for value in points.labels[colour]]
    coords = plane.project(points.mu)
    mine = plane.project(mu[None])[0]
    figure = latent_scatter(
        coords,
        groups,
        ctx.t("aef_map_title", n=len(sentences)),
        hover=[" ".join(s) for s in sentences],
        marked=[(mine[0], mine[1], " ".join(words))],
        presentation=ctx.presentation,
        x_title=ctx.t("aef_axis", i=1, share=plane.explained[0]),
        y_title=ctx.t("aef_axis", i=2, share=plane.explained[1]),
        legend_title=ctx.t(LABEL_KEYS[colour]),
    )
    show_plotly(figure, "autoencoders", "latent_map", name, colour, key="aef_map")
    st.caption(ctx.t("aef_map_caption"))


def _group(ctx: PageContext, label: str, value) -> str:
    if label == "subject_number":
        return ctx.t({"sg": "aef_singular", "pl": "aef_plural"}.get(value, "aef_no_subject"))
    if label == "negation":
        return ctx.t("aef_negated" if value else "aef_affirmative")
    low = (int(value) - 1) // 3 * 3 + 1  # 1–3, 4–6, 7–9, 10–12 words
    return ctx.t("aef_words_range", low=low, high=low + 2)


@st.cache_data(max_entries=64, show_spinner=False)
def _walked(_model, _vocab, start: tuple[str, ...], end: tuple[str, ...], name: str, device: str) -> list[tuple]:
    """The sentences decoded along the line between two sentences' μ, shared by the sessions that ask."""
    return [d.words for d in interpolate(_model, _vocab, start, end, WALK_POINTS)]


@st.cache_data(max_entries=64, show_spinner=False)
def _prior_samples(_model, _vocab, seed: int, name: str, device: str) -> list[tuple]:
    """PRIOR_SHOWN sentences decoded from z ~ N(0, I) with this seed, shared by the sessions that ask."""
    return [d.words for d in decode_latent(_model, _vocab, prior_codes(PRIOR_SHOWN, _model.config.latent, seed))]


def _walk(ctx: PageContext, ckpt: Checkpoint, name: str, words: list[str]) -> None:
    """The sentences on the straight line between two sentences' codes, each checked."""
    other = _sentence(ctx, "aef_vae_other", VAE_EXAMPLES[1], "aef_walk_to", VAE_MAX_WORDS)
    walk = _walked(ckpt.model, ckpt.vocab, tuple(words), tuple(other), name, str(ctx.device))
    accepted = sum(is_grammatical(list(words)) for words in walk[1:-1])
    st.markdown("\n".join(f"{k}. {' '.join(md_token(w) for w in d)} {_verdict(ctx, d)}" for k, d in enumerate(walk, 1)))
    st.caption(ctx.t("aef_walk_caption", accepted=accepted, n=len(walk) - 2, distinct=len(set(walk))))
    share = ckpt.metrics.get("interpolation_grammatical")
    if share is not None:
        st.caption(ctx.t("aef_walk_measured", share=share, pairs=ckpt.metrics.get("interpolation_pairs", "")))


def _prior(ctx: PageContext, ckpt: Checkpoint, name: str, seed: int) -> None:
    samples = _prior_samples(ckpt.model, ckpt.vocab, seed, name, str(ctx.device))
    st.markdown("\n".join(f"- {' '.join(md_token(w) for w in d)} {_verdict(ctx, d)}" for d in samples))
    _vae_table(ctx)


def _vae_table(ctx: PageContext) -> None:
    """The three models side by side, as measured on held-out sentences when each was trained."""
    columns = {
        "aef_kl": "kl",
        "aef_active_units": "active_units",
        "aef_reconstruction_exact": "exact_match",
        "aef_z_gap": "z_gap",
        "aef_prior_grammatical": "prior_grammatical",
        "aef_interpolation_grammatical": "interpolation_grammatical",
    }
    shares = {"exact_match", "prior_grammatical", "interpolation_grammatical"}
    rows = {ctx.t("aef_vae_model"): [ctx.t(VAES[name]) for name in VAES]}
    for label, metric in columns.items():
        values = [builtin_model(name, str(ctx.device)).metrics.get(metric) for name in VAES]
        shown = "{:.1%}" if metric in shares else "{:.2f}" if metric in ("kl", "z_gap") else "{}"
        rows[ctx.t(label)] = ["–" if v is None else shown.format(v) for v in values]
    st.dataframe(rows, hide_index=True)
    st.caption(ctx.t("aef_vae_table_caption"))
