"""The generated speech-like utterances: seeded, labelled, split by word sequence, with double letters."""

import numpy as np
import pytest

from seqviz.data import speech
from seqviz.data.speech import (
    LETTERS,
    N_BINS,
    SPACE,
    held_out_utterances,
    held_out_words,
    labels,
    rate_bucket,
    render,
    speech_vocab,
    training_batch,
    voice,
)


def test_the_same_seed_gives_the_same_utterances():
    a, b = training_batch(8, seed=3), training_batch(8, seed=3)
    assert [u.words for u in a] == [u.words for u in b]
    assert all(np.array_equal(x.frames, y.frames) for x, y in zip(a, b, strict=True))
    assert [u.words for u in training_batch(8, seed=4)] != [u.words for u in a]
    assert np.array_equal(render(["the", "cat"], 1.0, 0.1, seed=5).frames, render(["the", "cat"], 1.0, 0.1, 5).frames)


def test_the_voice_is_fixed_and_every_letter_has_its_own_pattern():
    v = voice()
    assert v.steady.shape == v.onset.shape == (len(LETTERS), N_BINS)
    distances = np.linalg.norm(v.steady[:, None] - v.steady[None], axis=-1) + np.eye(len(LETTERS)) * 9
    assert distances.min() > 0.3  # no two letters sound alike without noise
    assert not v.steady.flags.writeable


def test_spans_cover_the_words_in_order_and_labels_spell_them():
    u = render(["see", "the", "small", "ball"], rate=1.0, noise=0.0, seed=1)
    symbols = [s for s, _, _ in u.spans]
    assert "".join(symbols) == "see the small ball" == u.text
    assert all(a < b for _, a, b in u.spans)
    assert all(b1 <= a2 for (_, _, b1), (_, a2, _) in zip(u.spans, u.spans[1:], strict=False))
    assert u.frames.shape == (u.n_frames, N_BINS) and u.frames.dtype == np.float32
    vocab = speech_vocab()
    assert vocab.blank_id == 0 and vocab.decode(labels(u)) == list(u.text)
    assert u.spans[0][1] > 0 and u.spans[-1][2] < u.n_frames  # silence at both ends


def test_a_double_letter_shows_two_onsets():
    """ "ll" is two letters with an onset each, so its frames differ from one long "l"."""
    u = render(["ball"], rate=1.0, noise=0.0, seed=2)
    (_, a1, b1), (_, a2, _) = [s for s in u.spans if s[0] == "l"]
    assert b1 == a2
    assert np.abs(u.frames[a2] - u.frames[a2 - 1]).sum() > 0.5  # the second onset is not the first l's steady


def test_rate_changes_the_frames_and_noise_the_values():
    slow, fast = render(["horses"], 0.7, 0.0, seed=3), render(["horses"], 1.5, 0.0, seed=3)
    assert slow.n_frames > fast.n_frames
    letters = [b - a for s, a, b in fast.spans if s != SPACE]
    assert min(letters) >= 2  # the training range keeps two frames per letter: room for a blank
    too_fast = render(["horses"], 2.5, 0.0, seed=3)
    assert min(b - a for _, a, b in too_fast.spans) == 1
    quiet, noisy = render(["cat"], 1.0, 0.0, seed=4), render(["cat"], 1.0, 0.5, seed=4)
    assert quiet.n_frames == noisy.n_frames and np.std(noisy.frames - quiet.frames) > 0.3


def test_training_never_says_a_held_out_word_sequence():
    batch = training_batch(300, seed=0)
    assert not any(held_out_words(u.words) for u in batch)
    held = held_out_utterances(50, seed=41)
    assert all(held_out_words(u.words) for u in held)
    assert 0.03 < np.mean([held_out_words((a, b)) for a in speech.EN_WORDS[:30] for b in speech.EN_WORDS[:30]]) < 0.2
    assert any("ll" in u.text or "ee" in u.text for u in batch)  # double letters occur in the data
    assert {len(u.words) for u in batch} == {1, 2, 3}


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least one word"):
        render([])
    with pytest.raises(ValueError, match="no letter"):
        render(["zebra"])
    with pytest.raises(ValueError, match="rate"):
        render(["cat"], rate=0)


def test_rate_buckets():
    assert [rate_bucket(r) for r in (0.5, 0.7, 1.0, 1.3, 1.5, 2.0)] == [
        "slower",
        "slow",
        "normal",
        "fast",
        "fast",
        "faster",
    ]
