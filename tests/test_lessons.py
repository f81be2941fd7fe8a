"""The lessons as data: their shape, and answers that come from the model or the mask — another sentence,
another answer, each checked here against the model computed another way."""

from __future__ import annotations

import pytest
import torch

from seqviz.export.deck import Deck
from seqviz.lessons import LESSONS, masks
from seqviz.lessons import autoregressive as ar
from seqviz.lessons.steps import ask

SENTENCES = ("the black cat sees the small dogs", "a dog runs", "the cats that the dog sees do not sleep")


@pytest.fixture(scope="module")
def models():
    return {}  # one load per model for the whole module, shared by every deck


def _deck(models, sentence: str, lang: str = "en") -> Deck:
    return Deck(lang, sentence.split(), torch.device("cpu"), models=models)


def test_every_lesson_has_six_to_twelve_steps_and_most_ask_something():
    for lesson in LESSONS.values():
        assert 6 <= len(lesson.steps) <= 12, lesson.id
        assert sum(step.question is not None for step in lesson.steps) >= len(lesson.steps) // 2, lesson.id
        assert all(step.figure or step.question for step in lesson.steps), lesson.id


def test_a_choice_list_is_stable_and_keeps_its_right_answer():
    first = ask("?", "b", ["a", "c", "b", "a"], "")
    assert first == ask("?", "b", ["a", "c", "b"], "")  # the same question looks the same
    assert sorted(first.choices) == ["a", "b", "c"] and first.choices[first.answer] == "b"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_causal_question_follows_the_sentence(models, sentence):
    deck = _deck(models, sentence)
    question = masks.causal_row(deck)
    i = min(2, len(deck.words) - 1)
    assert question.choices[question.answer] == "«" + " ".join(deck.words[: i + 1]) + "»"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_padding_question_counts_the_shorter_sentences_pads(models, sentence):
    deck = _deck(models, sentence)
    question = masks.padded_columns(deck)
    n = len(deck.words)
    assert int(question.choices[question.answer]) == abs(n - 3)  # the second sentence has 3 words


def test_the_blocked_weight_is_the_models_and_exactly_zero(models):
    question = masks.blocked_weight(_deck(models, SENTENCES[0]))
    assert question.choices[question.answer] == "exactly 0"
    assert "0.000" in question.explanation


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_first_word_is_the_models_most_probable_word(models, sentence):
    deck = _deck(models, sentence)
    clm = deck.model("toy_clm")
    prompt = [clm.vocab.bos_id, *clm.vocab.encode(deck.words[:2])]
    with torch.no_grad():
        logits = clm.model(torch.tensor([prompt])).logits[0, -1]  # (V,)
    ranked = [w for w in clm.vocab.decode(logits.argsort(descending=True).tolist()) if w.isalpha()]
    question = ar.first_choice(deck)
    assert question.choices[question.answer] == ranked[0]
    assert len(question.choices) == 4 and set(question.choices) <= set(ranked[:4])


def test_another_prompt_gives_another_answer(models):
    questions = [ar.first_choice(_deck(models, s)) for s in SENTENCES]
    assert len({q.choices[q.answer] for q in questions}) > 1  # "the black" and "a dog" are not continued alike


def test_a_lower_temperature_raises_the_top_word_and_the_cache_runs_one_position(models):
    deck = _deck(models, SENTENCES[0])
    question = ar.temperature_effect(deck)
    assert question.choices[question.answer] == "it goes up"
    cached = ar.positions_with_cache(deck)
    assert cached.choices[cached.answer] == "1"
    without = ar.positions_without_cache(deck)
    assert without.choices[without.answer] == str(3 + ar.CACHE_STEPS - 1)  # <bos>, 2 prompt words, 3 written


def test_beam_and_greedy_answer_by_comparing_the_two_searches(models):
    for sentence in SENTENCES:
        question = ar.beam_against_greedy(_deck(models, sentence))
        greedy, best = question.explanation.split("; ")
        same = greedy.split("writes ")[1] == best.split("best is ")[1].rstrip(".")
        assert question.choices[question.answer] == ("yes" if same else "no")


def test_the_chinese_deck_asks_in_chinese(models):
    question = masks.causal_row(_deck(models, SENTENCES[0], "zh"))
    assert "因果掩码" in question.prompt
