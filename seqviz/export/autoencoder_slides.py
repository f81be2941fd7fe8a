"""The autoencoder family's slides (and the lesson figures built from them): ELECTRA flagging the words its
generator replaced, BART putting a deleted word back, and two VAEs' posteriors, one collapsed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import torch

from ..decoding.detection import Detection, detect_replacements
from ..decoding.latent import encode_sentences, reconstruct
from ..decoding.seq2seq import translate_batch, word_attention_maps
from ..models.autoencoding import choose_positions
from ..viz.attention import attention_heatmap, mean_over_heads
from ..viz.autoencoders import detection_bars, posterior_bars
from .deck import FOOT_LEGEND, Deck, fitted, panels

DRAWS = 50  # seeds tried for a draw that replaces at least one word (a generator often samples the original)
VAE_PAIR = ("toy_vae", "toy_vae_unannealed")  # the same network, trained with and without the cures
VAE_NAME_KEYS = {"toy_vae": "aef_vae_annealed", "toy_vae_unannealed": "aef_vae_unannealed"}
VAE_PANEL_KEYS = {"toy_vae": "slide_vae_panel_annealed", "toy_vae_unannealed": "slide_vae_panel_unannealed"}


def deck_detection(deck: Deck) -> Detection:
    """ELECTRA on the deck's sentence: 15% of its words masked (seeded), and the first draw of the generator
    that replaces at least one of them."""
    ckpt = deck.model("toy_electra")
    vocab = ckpt.vocab
    ids = torch.tensor([vocab.cls_id, *vocab.encode(deck.words), vocab.sep_id])
    chosen = choose_positions(torch.ones(1, len(deck.words), dtype=torch.bool), torch.Generator().manual_seed(0))
    masked = (chosen[0].nonzero()[:, 0] + 1).tolist()  # positions in ids
    for seed in range(DRAWS):
        detection = detect_replacements(ckpt.model, ids, masked, seed)
        if detection.replaced.any():
            break
    return detection


def electra_detection(deck: Deck) -> go.Figure:
    detection, vocab = deck_detection(deck), deck.model("toy_electra").vocab
    figure = detection_bars(
        vocab.decode(list(detection.read[1:-1])),
        detection.p_replaced[1:-1],
        detection.replaced[1:-1],
        originals=deck.words,
        presentation=True,
        y_title=deck.t("aef_p_replaced"),
        legend=(deck.t("aef_replaced"), deck.t("aef_original")),
    )
    return fitted(figure, deck.t("slide_electra_title"), deck.t("slide_electra_axes"))


@dataclass(frozen=True)
class Deletion:
    noised: list[str]  # the deck's sentence less one word
    deleted: int  # the position of the word taken out
    written: list[str]  # what BART writes back


def deck_deletion(deck: Deck) -> Deletion:
    """BART on the deck's sentence with its middle word deleted (a sentence of one word keeps it)."""
    ckpt = deck.model("toy_bart")
    vocab, words = ckpt.vocab, deck.words
    deleted = len(words) // 2 if len(words) > 1 else 0
    noised = words[:deleted] + words[deleted + 1 :] if len(words) > 1 else list(words)
    src = torch.tensor([vocab.encode(noised)], device=deck.device)
    written = vocab.decode(translate_batch(ckpt.model, src, vocab.bos_id, vocab.eos_id)[0])
    return Deletion(noised, deleted, written)


def bart_denoising(deck: Deck) -> go.Figure:
    """BART's cross-attention (last layer, mean over heads) while it writes the sentence back from the deck's
    sentence less its middle word."""
    deletion = deck_deletion(deck)
    ckpt = deck.model("toy_bart")
    maps = word_attention_maps(ckpt.model, ckpt.vocab, deletion.noised, deletion.written)
    figure = attention_heatmap(
        mean_over_heads(maps.cross[-1]),
        ["<bos>", *deletion.written],
        deletion.noised,
        "",
        presentation=True,
        x_title=deck.t("aef_noised_axis"),
        y_title=deck.t("aef_written_axis"),
        colorbar_title=deck.t("weight"),
    )
    noised = deck.t("slide_bart_panel", noised=" ".join(deletion.noised))
    return fitted(figure, deck.t("slide_bart_title"), f"{noised} · {deck.t('slide_bart_axes')}")


def deck_posteriors(deck: Deck) -> dict[str, tuple[np.ndarray, np.ndarray, tuple[str, ...]]]:
    """For each of the two VAEs: μ and σ of the deck's sentence and the sentence it writes back from μ."""
    out = {}
    for name in VAE_PAIR:
        ckpt = deck.model(name)
        mu, logvar = encode_sentences(ckpt.model, ckpt.vocab, [deck.words])
        written = reconstruct(ckpt.model, ckpt.vocab, [deck.words])[0].words
        out[name] = (mu[0].numpy(), (0.5 * logvar[0]).exp().numpy(), written)
    return out


def vae_posteriors(deck: Deck) -> go.Figure:
    """The deck's sentence's posterior under the VAE trained with annealing and word dropout, and under the
    same VAE trained without them: one far from N(0, I), one sitting on it (posterior collapse)."""
    figures = [
        posterior_bars(
            mu,
            sigma,
            deck.t(VAE_PANEL_KEYS[name], kl=deck.model(name).metrics.get("kl", 0.0)),
            presentation=True,
            x_title=deck.t("aef_latent_dimension"),
        )
        for name, (mu, sigma, _) in deck_posteriors(deck).items()
    ]
    grid = panels(figures, 2, h_gap=0.1, legend=FOOT_LEGEND)
    return fitted(grid, deck.t("slide_vae_title"), deck.t("slide_vae_axes"))
