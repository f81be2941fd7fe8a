"""The long-range agreement cases come from the grammar and are right: the verb's form in the case keeps the
sentence grammatical, its other form does not, and flipping the subject's number needs the other form."""

from __future__ import annotations

from collections import Counter

from seqviz.data.agreement import DISTANCE_BUCKETS, _flip_noun, agreement_cases, bucket_of, sentence_cases
from seqviz.data.toy import make_pairs
from seqviz.data.toy_grammar import is_grammatical


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
        flipped = _flip_noun(words, case.subject)
        assert is_grammatical(flipped[: case.verb] + [case.wrong] + flipped[case.verb + 1 :])
    by_bucket = Counter(bucket_of(c.distance) for c in cases)
    assert set(by_bucket) <= set(DISTANCE_BUCKETS) and by_bucket[(1, 1)] > 0 and by_bucket[(5, 7)] > 0, by_bucket
