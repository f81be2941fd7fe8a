"""Lesson 5: sequence to sequence — an encoder reads the English, a decoder writes the French; a GRU that
must squeeze the sentence into one vector, Bahdanau's attention that reads it again at every step, and the
Transformer's cross-attention."""

from __future__ import annotations

import torch

from ..decoding.seq2seq import (
    TRANSLATOR_NAME_KEYS,
    teacher_forcing_vs_free_running,
    time_encode_decode,
    translate_batch,
    word_attention_maps,
)
from ..device import describe
from ..export.deck import Deck
from ..export.slides import alignment, cross_attention, masks_seq2seq
from ..training.evaluation import LENGTH_BUCKETS, bucket_label
from .steps import Lesson, Question, Step, ask, band_of, quoted, share_labels

LONG = LENGTH_BUCKETS[-3]  # the held-out length band the GRU question is about (21–25 French words)
TIMING_REPEATS = 5


def _output(deck: Deck, name: str) -> list[str]:
    """A translator's greedy French for the deck sentence (without <eos>)."""
    ckpt = deck.model(name)
    src = torch.tensor([ckpt.vocab.encode(deck.words)], device=deck.device)  # (1, S)
    return ckpt.vocab.decode(translate_batch(ckpt.model, src, ckpt.vocab.bos_id, ckpt.vocab.eos_id)[0])


def french_length(deck: Deck) -> Question:
    n, m = len(deck.translation), len(deck.words)
    return ask(
        deck.t("les_s2s_length_q", sentence=quoted(deck.words), m=m),
        str(n),
        [str(k) for k in (m, m - 1, m + 1, m + 2) if k > 0],
        deck.t("les_s2s_length_a", french=quoted(deck.translation), n=n, m=m),
    )


def gru_on_long_sentences(deck: Deck) -> Question:
    label = bucket_label(*LONG)
    shares = {name: deck.model(name).metrics["exact_match_by_length"][label] for name in TRANSLATOR_NAME_KEYS}
    gru = shares["toy_gru_mt"]["exact_match"]
    bands = [(0.0, 0.1), (0.1, 0.5), (0.5, 0.9), (0.9, 1.01)]
    labels = share_labels(deck, bands)
    right = band_of(gru, bands, labels)
    by_model = "; ".join(
        f"{deck.t(key)} {shares[name]['exact_match']:.0%}" for name, key in TRANSLATOR_NAME_KEYS.items()
    )
    return ask(
        deck.t("les_s2s_gru_q", band=label),
        right,
        labels,
        deck.t("les_s2s_gru_a", band=label, n=shares["toy_gru_mt"]["n"], gru=gru, by_model=by_model),
    )


def gru_on_this_sentence(deck: Deck) -> Question:
    outputs = {name: _output(deck, name) for name in ("toy_gru_mt", "toy_bahdanau_mt")}
    right, wrong = deck.t("les_s2s_right"), deck.t("les_s2s_wrong")
    verdicts = {name: right if deck.translates(out) else wrong for name, out in outputs.items()}
    return ask(
        deck.t("les_s2s_sentence_q", sentence=quoted(deck.words), n=len(deck.words)),
        verdicts["toy_gru_mt"],
        [right, wrong],
        deck.t(
            "les_s2s_sentence_a",
            gru=quoted(outputs["toy_gru_mt"]),
            gru_verdict=verdicts["toy_gru_mt"],
            bahdanau=quoted(outputs["toy_bahdanau_mt"]),
            bahdanau_verdict=verdicts["toy_bahdanau_mt"],
        ),
    )


def bahdanau_looks_at(deck: Deck) -> Question | None:
    """The first French word written out of the English order (its strongest English word stands before the
    previous French word's: a moved adjective, «pas»), else the last: which English word does Bahdanau's
    attention read most while writing it?"""
    words, target = deck.words, deck.target
    if len(set(words)) < 2:
        return None
    ckpt = deck.model("toy_bahdanau_mt")
    weights = word_attention_maps(ckpt.model, ckpt.vocab, words, target).cross[0][0][: len(target)]  # (T, S)
    strongest = weights.argmax(-1).tolist()  # (T,)
    moved = [t for t in range(1, len(target)) if strongest[t] < strongest[t - 1]]
    row = moved[0] if moved else len(target) - 1
    looked = words[int(strongest[row])]
    others = [w for w in dict.fromkeys(words) if w != looked]
    return ask(
        deck.t("les_s2s_bahdanau_q", word=target[row], french=quoted(target)),
        looked,
        others[:3],
        deck.t("les_s2s_bahdanau_a", word=target[row], looked=looked, weight=float(weights[row].max())),
    )


def passes_to_write(deck: Deck) -> Question:
    ckpt = deck.model("toy_transformer_mt")
    vocab = ckpt.vocab
    src = torch.tensor(vocab.encode(deck.words), device=deck.device)
    compared = teacher_forcing_vs_free_running(ckpt.model, src, vocab.encode(deck.target), vocab.bos_id, vocab.eos_id)
    training, inference = compared.forward_passes
    return ask(
        deck.t("les_s2s_passes_q", french=quoted(deck.target)),
        str(inference),
        [str(k) for k in (training, len(deck.words), inference + 5)],
        deck.t("les_s2s_passes_a", training=training, inference=inference, n=len(compared.free_running)),
    )


def encoder_or_decoder(deck: Deck) -> Question:
    ckpt = deck.model("toy_transformer_mt")
    src = torch.tensor(ckpt.vocab.encode(deck.words), device=deck.device)
    timing = time_encode_decode(ckpt.model, src, ckpt.vocab.bos_id, ckpt.vocab.eos_id, TIMING_REPEATS)
    encoder_ms, decoder_ms = timing.encoder.median_ms, timing.decoder.median_ms
    encoder, decoder = deck.t("les_s2s_encoder"), deck.t("les_s2s_decoder")
    return ask(
        deck.t("les_s2s_time_q", sentence=quoted(deck.words)),
        decoder if decoder_ms > encoder_ms else encoder,
        [encoder, decoder],
        deck.t(
            "les_s2s_time_a",
            encoder_ms=encoder_ms,
            decoder_ms=decoder_ms,
            steps=timing.steps,
            device=describe(deck.device),
            repeats=TIMING_REPEATS,
        ),
    )


LESSON = Lesson(
    "seq2seq",
    "les_s2s_title",
    "les_s2s_summary",
    (
        Step("les_s2s_1_title", "les_s2s_1_text", figure=masks_seq2seq),
        Step("les_s2s_2_title", "les_s2s_2_text", question=french_length, answer_figure=cross_attention),
        Step("les_s2s_3_title", "les_s2s_3_text", question=gru_on_long_sentences),
        Step("les_s2s_4_title", "les_s2s_4_text", question=gru_on_this_sentence),
        Step("les_s2s_5_title", "les_s2s_5_text", question=bahdanau_looks_at, answer_figure=alignment),
        Step("les_s2s_6_title", "les_s2s_6_text", question=passes_to_write),
        Step("les_s2s_7_title", "les_s2s_7_text", question=encoder_or_decoder),
        Step("les_s2s_8_title", "les_s2s_8_text", figure=cross_attention),
    ),
)
