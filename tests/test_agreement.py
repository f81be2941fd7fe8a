"""The long-range agreement cases come from the grammar and are right: the verb's form in the case keeps the
sentence grammatical, its other form does not, and flipping the subject's number needs the other form."""

from __future__ import annotations

from collections import Counter

import pytest
import torch

from seqviz.data.agreement import (
    DISTANCE_BUCKETS,
    LONG_RANGE_EXAMPLE,
    agreement_cases,
    bucket_of,
    distance_label,
    flip_noun,
    sentence_cases,
)
from seqviz.data.toy import en_vocab
from seqviz.data.toy_generator import make_pairs
from seqviz.data.toy_grammar import is_grammatical
from seqviz.models.output import ModelOutput
from seqviz.training.evaluation import agreement_by_attractors, agreement_by_distance


def test_a_relative_clause_puts_the_main_verb_far_from_its_subject():
    cases = sentence_cases("the girl that the dogs see does not swim".split())
    found = {(c.right, c.wrong, c.words[c.subject], c.distance) for c in cases}
    assert found == {("see", "sees", "dogs", 1), ("does", "do", "girl", 5)}


def test_an_ungrammatical_sentence_or_one_without_agreement_gives_none():
    assert sentence_cases("the girl see".split()) == []
    assert sentence_cases("the fish swim".split()) == []  # "fish" shows no number: no subject to flip


def test_every_case_of_generated_sentences_is_checked_by_the_grammar():
    cases = agreement_cases(p.en for p in make_pairs(400, seed=7))
    assert len(cases) > 300
    for case in cases:
        words = list(case.words)
        assert is_grammatical(words) and words[case.verb] == case.right
        assert not is_grammatical(words[: case.verb] + [case.wrong] + words[case.verb + 1 :])
        flipped = flip_noun(words, case.subject)
        assert is_grammatical(flipped[: case.verb] + [case.wrong] + flipped[case.verb + 1 :])
    by_bucket = Counter(bucket_of(c.distance) for c in cases)
    assert set(by_bucket) <= set(DISTANCE_BUCKETS) and by_bucket[(1, 1)] > 0 and by_bucket[(5, 7)] > 0, by_bucket


class Oracle(torch.nn.Module):
    """Scores, after each prefix it was given, one verb form 1 and every other token 0."""

    def __init__(self, vocab, cases, pick):
        super().__init__()
        self.vocab, self.weight = vocab, torch.nn.Parameter(torch.zeros(1))
        self.choice = {case.words[: case.verb]: pick(case) for case in cases}

    def forward(self, ids):
        logits = torch.zeros(*ids.shape, len(self.vocab))
        for row, sequence in enumerate(ids.tolist()):
            words = self.vocab.decode([i for i in sequence if i not in (self.vocab.pad_id, self.vocab.eos_id)][1:])
            logits[row, len(words), self.vocab.encode([self.choice[tuple(words)]])[0]] = 1.0
        return ModelOutput(logits, None, None)


def test_agreement_is_measured_per_distance_from_the_words_before_the_verb():
    vocab = en_vocab()
    cases = agreement_cases(p.en for p in make_pairs(60, seed=3))
    cases = list({case.words[: case.verb]: case for case in cases}.values())  # one case per prefix
    right = agreement_by_distance(Oracle(vocab, cases, lambda c: c.right), vocab, cases)
    wrong = agreement_by_distance(Oracle(vocab, cases, lambda c: c.wrong), vocab, cases)
    assert sum(b["n"] for b in right.values()) == len(cases) and set(right) <= {"1", "2", "3–4", "5–7", "8+"}
    assert all(b["accuracy"] == 1.0 for b in right.values()) and all(b["accuracy"] == 0.0 for b in wrong.values())
    # the oracle's logits differ by 1 between the forms: p(right) / (p(right) + p(wrong)) = sigmoid(±1)
    assert all(b["right_share"] == pytest.approx(0.7311, abs=1e-4) for b in right.values())
    assert all(b["right_share"] == pytest.approx(0.2689, abs=1e-4) for b in wrong.values())
    assert distance_label((8, 99)) == "8+" and distance_label((3, 4)) == "3–4" and distance_label((2, 2)) == "2"
    by_attractors = agreement_by_attractors(Oracle(vocab, cases, lambda c: c.right), vocab, cases)
    far = [c for c in cases if c.distance >= 3]
    assert sum(b["n"] for b in by_attractors.values()) == len(far) and set(by_attractors) <= {"0", "1+"}
    assert by_attractors.get("1+", {"n": 0})["n"] == sum(1 for c in far if c.attractors)


def test_attractors_are_the_nouns_of_the_other_number_between_subject_and_verb():
    words = LONG_RANGE_EXAMPLE.split()  # the girl that the dogs on the big red bike see does not swim
    found = {(case.words[case.subject], case.right): case.attractors for case in sentence_cases(words)}
    assert found == {("dogs", "see"): 1, ("girl", "does"): 1}  # "bike" pulls "see"; "dogs" pulls "does"
    two = "the boys that the black cat under the big table chases are on the red bike".split()
    assert {case.right: case.attractors for case in sentence_cases(two)} == {"chases": 0, "are": 2}
