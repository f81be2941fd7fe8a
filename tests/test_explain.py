"""Scoring an explanation against the true alignment: a perfect map scores 1 and AER 0, a possible link
counts as right, the decoder row of a French word is the step that writes it."""

import pytest

from seqviz.data.alignment import align
from seqviz.explain.alignment import decoder_rows, score_alignment


def test_perfect_possible_and_wrong_picks():
    en, fr = "the dogs do not run".split(), "les chiens ne courent pas".split()
    truth = align(en, fr)
    perfect = score_alignment([[s for (s,) in truth.sure]], [truth])
    assert (perfect.accuracy, perfect.aer, perfect.words) == (1.0, 0.0, 5)
    with_auxiliary = score_alignment([[0, 1, 2, 4, 3]], [truth])  # "ne" on "do": a possible link only
    assert with_auxiliary.accuracy == 1.0 and 0 < with_auxiliary.aer < 0.2
    all_first = score_alignment([[0] * 5], [truth])
    assert all_first.accuracy == 0.2 and all_first.aer == pytest.approx(1 - 2 / 10)
    with pytest.raises(ValueError):
        score_alignment([[0]], [truth])


def test_the_decoder_row_of_a_french_word():
    pairs = [(("the", "cat", "sleeps"), ("le", "chat", "dort"))]
    assert decoder_rows(pairs) == [[0, 1, 2]]  # position t reads <bos> y_1 … y_t and writes y_{t+1}
    assert decoder_rows(pairs, "reading") == [[1, 2, 3]]
    with pytest.raises(ValueError):
        decoder_rows(pairs, "sideways")
