"""The autoencoders page's VAE section: a sentence's posterior, the latent map, a walk between two sentences,
sentences from the prior, and the three models side by side."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from ...data.toy import is_grammatical
from ...decoding.latent import decode_latent, encode_sentences, interpolate, prior_codes
from ...explain.latent import principal_plane
from ...models.checkpoint import Checkpoint
from ...training.recipes import VAE_DATA
from ...training.splits import TOY_DATA, english_split_head
from ...training.vae_evaluation import latent_map
from ...viz.autoencoders import latent_scatter, posterior_bars
from ..figures import show_plotly
from ..models import builtin_model
from ..page import PageContext
from ..text import md_token
from .common import next_draw, sentence_box, verdict

VAES = {"toy_vae": "aef_vae_annealed", "toy_vae_unannealed": "aef_vae_unannealed", "toy_ae": "aef_plain_ae"}
VAE_ABOUT_KEYS = {
    "toy_vae": "aef_vae_annealed_about",
    "toy_vae_unannealed": "aef_vae_unannealed_about",
    "toy_ae": "aef_plain_ae_about",
}
VAE_EXAMPLES = ("the black cat sleeps", "the girls do not swim")
MAP_DRAWN = 1000  # test sentences drawn for the latent map: about 220 of them have at most 10 words
VAE_MAX_WORDS = VAE_DATA["max_words"]  # the VAEs were trained on sentences of at most 10 words
PRIOR_SHOWN, POSTERIOR_SAMPLES, WALK_POINTS = 8, 4, 8


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
        words = sentence_box(ctx, "aef_vae_sentence", VAE_EXAMPLES[0], "aef_vae_sentence_label", VAE_MAX_WORDS)
    right.button(
        ctx.t("aef_new_draw"), icon=":material/casino:", key="aef_vae_draw", on_click=next_draw,
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
    lines = [ctx.t("aef_from_mean", sentence=" ".join(decoded[0]), verdict=verdict(ctx, decoded[0]))]
    lines += [
        ctx.t("aef_from_sample", i=i, sentence=" ".join(d), verdict=verdict(ctx, d))
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
    other = sentence_box(ctx, "aef_vae_other", VAE_EXAMPLES[1], "aef_walk_to", VAE_MAX_WORDS)
    walk = _walked(ckpt.model, ckpt.vocab, tuple(words), tuple(other), name, str(ctx.device))
    accepted = sum(is_grammatical(list(words)) for words in walk[1:-1])
    st.markdown("\n".join(f"{k}. {' '.join(md_token(w) for w in d)} {verdict(ctx, d)}" for k, d in enumerate(walk, 1)))
    st.caption(ctx.t("aef_walk_caption", accepted=accepted, n=len(walk) - 2, distinct=len(set(walk))))
    share = ckpt.metrics.get("interpolation_grammatical")
    if share is not None:
        st.caption(ctx.t("aef_walk_measured", share=share, pairs=ckpt.metrics.get("interpolation_pairs", "")))


def _prior(ctx: PageContext, ckpt: Checkpoint, name: str, seed: int) -> None:
    samples = _prior_samples(ckpt.model, ckpt.vocab, seed, name, str(ctx.device))
    st.markdown("\n".join(f"- {' '.join(md_token(w) for w in d)} {verdict(ctx, d)}" for d in samples))
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
