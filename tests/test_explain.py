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


@pytest.fixture(scope="module")
def translator():
    from seqviz.models.checkpoint import load_builtin

    return load_builtin("toy_transformer_mt")


PAIRS = [
    (("the", "cat", "sleeps"), ("le", "chat", "dort")),
    (("the", "small", "dogs", "do", "not", "run"), ("les", "petits", "chiens", "ne", "courent", "pas")),
]


@pytest.mark.parametrize("name", ["toy_transformer_mt", "toy_bahdanau_mt"])
def test_saliency_is_zero_on_padding_the_model_cannot_see(name):
    from seqviz.explain.attribution import saliency
    from seqviz.models.checkpoint import load_builtin

    ckpt = load_builtin(name)
    maps = saliency(ckpt.model, ckpt.vocab, PAIRS)  # the first source is padded to the second's length
    assert maps.shape == (2, 8, 6)
    assert (maps[0, :, 3:] == 0).all() and (maps[0, :4, :3] > 0).any(dim=-1).all()
    assert (maps[0, 4:] == 0).all()  # positions after <eos>: no word written, nothing attributed


def test_rollout_rows_are_distributions_over_the_real_source_tokens(translator):
    import torch

    from seqviz.explain.attribution import rollout

    mixed = rollout(translator.model, translator.vocab, PAIRS)
    assert mixed.shape == (2, 6, 6) and torch.allclose(mixed.sum(-1), torch.ones(2, 6), atol=1e-5)
    assert (mixed[0, :3, 3:] == 0).all()  # no real encoder state holds any padding
    assert (mixed.diagonal(dim1=1, dim2=2)[1] >= 0.5**3).all()  # the residual path: at least ½ per layer, 3 layers
