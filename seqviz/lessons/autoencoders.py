"""BERT's relatives, three steps of the autoencoding lesson: ELECTRA flags replaced words, BART puts a deleted
word back, and a VAE trained without its cures ignores its code. Every answer is computed from the models."""

from __future__ import annotations

from ..data.toy_grammar import is_grammatical
from ..export.autoencoder_slides import (
    VAE_NAME_KEYS,
    bart_denoising,
    deck_deletion,
    deck_detection,
    deck_posteriors,
    electra_detection,
    vae_posteriors,
)
from ..export.deck import Deck
from .steps import Question, Step, ask, quoted

CHOICES = 4


def flagged_word(deck: Deck) -> Question | None:
    """Which word of the sentence the discriminator reads does it think most likely replaced? (None for a
    one-word sentence: one choice is no question.)"""
    if len(deck.words) < 2:
        return None
    detection, vocab = deck_detection(deck), deck.model("toy_electra").vocab
    read = vocab.decode(list(detection.read[1:-1]))
    p, replaced = detection.p_replaced[1:-1], detection.replaced[1:-1]
    order = sorted(range(len(read)), key=lambda i: -p[i])
    top = order[0]
    label = [f"{i + 1}. «{w}»" for i, w in enumerate(read)]
    swapped = [f"«{deck.words[i]}» → «{read[i]}»" for i in range(len(read)) if replaced[i]]
    return ask(
        deck.t("les_aef_electra_q", sentence=quoted(read)),
        label[top],
        [label[i] for i in order[1:CHOICES]],
        deck.t(
            "les_aef_electra_a",
            word=read[top],
            p=float(p[top]),
            truth=deck.t("les_aef_was_replaced" if replaced[top] else "les_aef_was_original"),
            swapped=", ".join(swapped),
            right=int(((p > 0.5) == replaced).sum()),
            n=len(read),
        ),
    )


def where_missing(deck: Deck) -> Question | None:
    """Where BART puts a word back into the sentence less its middle word."""
    if len(deck.words) < 3:
        return None
    deletion = deck_deletion(deck)
    noised, written = deletion.noised, deletion.written
    gaps = [deck.t("les_aef_gap", before=noised[i - 1], after=noised[i]) for i in range(1, len(noised))]
    # BART's gap: the first place its output leaves the input (the word it wrote there is the new one)
    at = next((i for i, (a, b) in enumerate(zip(noised, written, strict=False)) if a != b), len(noised))
    if len(written) != len(noised) + 1 or not 1 <= at < len(noised):
        right = deck.t("les_aef_no_gap")
    else:
        right = gaps[at - 1]
    nearby = sorted(range(len(gaps)), key=lambda i: abs(i - (deletion.deleted - 1)))
    return ask(
        deck.t("les_aef_bart_q", sentence=quoted(noised)),
        right,
        [*(gaps[i] for i in nearby[: CHOICES - 1]), deck.t("les_aef_no_gap")],  # a short sentence: 2 choices
        deck.t(
            "les_aef_bart_a",
            written=quoted(written),
            verdict=deck.t("les_bert_grammatical" if is_grammatical(written) else "les_bert_ungrammatical"),
            original=quoted(deck.words),
            word=deck.words[deletion.deleted],
        ),
    )


def which_vae_remembers(deck: Deck) -> Question:
    """Which of two VAEs, the same network trained with and without KL annealing and word dropout, writes the
    deck's sentence back from its code?"""
    posteriors = deck_posteriors(deck)
    back = {name: list(written) == list(deck.words) for name, (_, _, written) in posteriors.items()}
    names = {name: deck.t(key) for name, key in VAE_NAME_KEYS.items()}
    both, neither = deck.t("les_aef_both"), deck.t("les_aef_neither")
    annealed, unannealed = back["toy_vae"], back["toy_vae_unannealed"]
    right = (
        both
        if annealed and unannealed
        else neither
        if not (annealed or unannealed)
        else names["toy_vae" if annealed else "toy_vae_unannealed"]
    )
    written = {name: quoted(w) for name, (_, _, w) in posteriors.items()}
    return ask(
        deck.t("les_aef_vae_q", sentence=quoted(deck.words)),
        right,
        [names["toy_vae"], names["toy_vae_unannealed"], both, neither],
        deck.t(
            "les_aef_vae_a",
            annealed=written["toy_vae"],
            unannealed=written["toy_vae_unannealed"],
            kl=deck.model("toy_vae").metrics.get("kl") or 0.0,
            kl_collapsed=deck.model("toy_vae_unannealed").metrics.get("kl") or 0.0,
        ),
    )


STEPS = (
    Step("les_aef_electra_title", "les_aef_electra_text", question=flagged_word, answer_figure=electra_detection),
    Step("les_aef_bart_title", "les_aef_bart_text", question=where_missing, answer_figure=bart_denoising),
    Step("les_aef_vae_title", "les_aef_vae_text", question=which_vae_remembers, answer_figure=vae_posteriors),
)
