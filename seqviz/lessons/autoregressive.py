"""Lesson 3: autoregressive generation — one word at a time, how the word is chosen, beam search, and the
KV cache that keeps each step cheap."""

from __future__ import annotations

import plotly.graph_objects as go
import torch

from ..data.toy import EN_WORDS
from ..decoding.autoregressive import beam_search, generate, generate_steps, sampling_processors, strip_eos
from ..decoding.processors import text_suppressor
from ..export.deck import BEAM_STEPS, BEAM_WIDTH, TOP_K, Deck, fitted
from ..export.slides import ar_step, beam, next_word, prompt_of
from ..viz.generation import cache_shapes_figure
from .prompt import STEPS as LEARNING_FROM_THE_PROMPT
from .steps import Lesson, Question, Step, ask, band_of, one_mask, quoted

SAMPLES = 10  # sentences sampled in the sampling step
CACHE_STEPS = 4  # words written before the cache is shown


def _prompt(deck: Deck) -> tuple[torch.Tensor, list[str]]:
    clm = deck.model("toy_clm")
    ids, shown = prompt_of(deck, clm.vocab)
    return torch.tensor(ids, device=deck.device), shown.split()


def _ranked_words(deck: Deck, probs: torch.Tensor) -> list[str]:
    """Words of the toy language by the model's probability, most probable first."""
    vocab = deck.model("toy_clm").vocab
    return [w for w in vocab.decode(probs.argsort(descending=True).tolist()) if w in EN_WORDS]


def first_choice(deck: Deck) -> Question:
    record, _ = next_word(deck)
    words, (_, prompt) = _ranked_words(deck, record.probs_before), _prompt(deck)
    vocab = deck.model("toy_clm").vocab
    return ask(
        deck.t("les_ar_first_q", prompt=quoted(prompt)),
        words[0],
        words[1:4],
        deck.t(
            "les_ar_first_a",
            word=words[0],
            p=float(record.probs_before[vocab.encode([words[0]])[0]]),
            k=TOP_K,
            sampled=vocab.token(record.token_id),
        ),
    )


def _temperature(deck: Deck) -> go.Figure:
    _, shown = _prompt(deck)
    return fitted(next_word(deck, 0.5, 0)[1], deck.t("les_ar_temperature_title", prompt=quoted(shown)))


def temperature_effect(deck: Deck) -> Question:
    record, _ = next_word(deck, 0.5, 0)
    top = int(record.probs_before.argmax())
    before, after = float(record.probs_before[top]), float(record.probs_after[top])
    up, down, same = deck.t("les_ar_up"), deck.t("les_ar_down"), deck.t("les_ar_same")
    right = up if after > before + 1e-6 else down if after < before - 1e-6 else same
    word = deck.model("toy_clm").vocab.token(top)
    return ask(
        deck.t("les_ar_temperature_q", word=word),
        right,
        [up, down, same],
        deck.t("les_ar_temperature_a", word=word, before=before, after=after),
    )


def _sampled(deck: Deck) -> list[str]:
    clm = deck.model("toy_clm")
    prompt, _ = _prompt(deck)
    processors = [text_suppressor(clm.vocab), *sampling_processors(1.0)]
    generator = torch.Generator().manual_seed(0)
    sentences = []
    for _ in range(SAMPLES):
        ids = generate(
            clm.model, prompt, 20, processors=processors, greedy=False, generator=generator, eos_id=clm.vocab.eos_id
        )
        sentences.append(" ".join(strip_eos(clm.vocab.decode(ids[1:].tolist()), clm.vocab)[0]))
    return sentences


def distinct_samples(deck: Deck) -> Question:
    sentences = _sampled(deck)
    distinct = len(set(sentences))
    bands = [(1, 3), (4, 7), (8, SAMPLES)]
    labels = [deck.t("les_ar_band", low=low, high=high) for low, high in bands]
    right = band_of(distinct, [(low, high + 1) for low, high in bands], labels)  # whole numbers, both ends in
    listed = "\n".join(f"- {s}" for s in sentences)
    _, prompt = _prompt(deck)
    return ask(
        deck.t("les_ar_samples_q", n=SAMPLES, prompt=quoted(prompt)),
        right,
        labels,
        deck.t("les_ar_samples_a", distinct=distinct, n=SAMPLES) + "\n\n" + listed,
    )


def beam_against_greedy(deck: Deck) -> Question:
    clm = deck.model("toy_clm")
    prompt, shown = _prompt(deck)
    greedy = generate(clm.model, prompt, BEAM_STEPS, eos_id=clm.vocab.eos_id)
    best = beam_search(clm.model, prompt, BEAM_WIDTH, BEAM_STEPS, 1.0, clm.vocab.eos_id).ids
    same = greedy.tolist() == best.tolist()
    yes, no = deck.t("les_yes"), deck.t("les_no")

    def words(ids):
        return quoted(clm.vocab.decode(ids[1:].tolist()))

    return ask(
        deck.t("les_ar_beam_q", width=BEAM_WIDTH, prompt=quoted(shown)),
        yes if same else no,
        [yes, no],
        deck.t("les_ar_beam_a", greedy=words(greedy), best=words(best)),
    )


def _records(deck: Deck, use_cache: bool) -> list:
    clm = deck.model("toy_clm")
    prompt, _ = _prompt(deck)
    return list(generate_steps(clm.model, prompt, CACHE_STEPS, use_cache=use_cache))


def positions_without_cache(deck: Deck) -> Question:
    record = _records(deck, use_cache=False)[-1]  # the last word written
    right = record.positions_computed
    return ask(
        deck.t("les_ar_nocache_q", step=CACHE_STEPS),
        str(right),
        [str(k) for k in (1, right + 1, 20)],
        deck.t("les_ar_nocache_a", n=right),
    )


def positions_with_cache(deck: Deck) -> Question:
    record = _records(deck, use_cache=True)[-1]
    right = record.positions_computed
    return ask(
        deck.t("les_ar_cache_q", step=CACHE_STEPS),
        str(right),
        [str(k) for k in (1, record.cache_shapes[0][2], 20)],
        deck.t("les_ar_cache_a", n=right, cached=record.cache_shapes[0][2]),
    )


def _cache(deck: Deck) -> go.Figure:
    record = _records(deck, use_cache=True)[-1]
    fig = cache_shapes_figure(record.cache_shapes, presentation=True, layer_label=deck.t("layer"))
    return fitted(fig, deck.t("ar_cache_shapes", step=CACHE_STEPS))


LESSON = Lesson(
    "ar",
    "les_ar_title",
    "les_ar_summary",
    (
        Step("les_ar_1_title", "les_ar_1_text", figure=one_mask("causal", "les_ar_1_title")),
        Step("les_ar_2_title", "les_ar_2_text", question=first_choice, answer_figure=ar_step),
        Step("les_ar_3_title", "les_ar_3_text", question=temperature_effect, answer_figure=_temperature),
        Step("les_ar_4_title", "les_ar_4_text", question=distinct_samples),
        Step("les_ar_5_title", "les_ar_5_text", question=beam_against_greedy, answer_figure=beam),
        Step("les_ar_6_title", "les_ar_6_text", question=positions_without_cache),
        Step("les_ar_7_title", "les_ar_7_text", question=positions_with_cache, answer_figure=_cache),
        *LEARNING_FROM_THE_PROMPT,  # induction heads: the phase change, switching them off, few-shot
        Step("les_ar_8_title", "les_ar_8_text", figure=ar_step),
    ),
)
