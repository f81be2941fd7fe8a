"""Speech-like frames, made by the package: short "utterances" of the toy language's words, each letter spoken
as a few frames of a small spectrogram, so that CTC can be shown where it was born (Graves et al. 2006).

The voice is seeded and fixed (VOICE_SEED): every letter has a spectral template over N_BINS mel-like bins,
two or three formant-like bumps, and an *onset* frame of its own before its steady frames. The onset marks
where each letter starts, so "ll" (two onsets) differs from a long "l" (one): the frames can show a double
letter, and CTC can write it only with a blank between the two. An utterance is 1–3 words drawn at random
from the toy vocabulary; each letter lasts a random number of frames divided by the speaking rate (faster
speech, fewer frames), the words are separated by silence (labelled by a space, the word separator), the
utterance starts and ends with unlabelled silence, and the speaker's voice is shifted up or down by a bin or two,
louder or softer and brighter or darker (a spectral tilt), and noise is added. A letter's first steady
frame still carries some of the letter before it (coarticulation), and the letters share formant places, so
some pairs are hard to tell apart in noise.

Splits: which words an utterance says decides whether it may be drawn for training (a hash of its words:
TEST_SHARE of all word sequences are never trained on), so a held-out utterance is a new draw *and* a word
sequence never heard in training. Training draws are made as they are needed from the training seed
(`training_batch`), held-out ones once (`held_out_utterances`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .toy_lexicon import EN_WORDS
from .vocab import Vocab

N_BINS = 24  # mel-like frequency bins per frame
VOICE_SEED = 7  # the one fixed voice: every letter's templates
SPACE = " "  # the word separator, spoken as a short silence between words
LETTERS = tuple(sorted({c for w in EN_WORDS for c in w}))  # the letters the toy words use (22)
SYMBOLS = (*LETTERS, SPACE)
SPEECH_SPECIALS = ("<blank>",)  # CTC's blank is id 0 (torch's CTCLoss default); no padding symbol is needed

# a letter's frames: BASE_FRAMES (drawn uniformly) divided by the speaking rate, at least one; its first frame
# is the onset. The training rates keep at least two frames per letter; faster speech can leave one.
BASE_FRAMES = (3, 6)  # inclusive
WORD_GAP = (2, 5)  # silent frames between two words, divided by the rate
EDGE_SILENCE = (2, 6)  # silent frames before the first word and after the last (not divided)
TRAIN_RATES = (0.7, 1.5)  # speaking rate: 1 normal, above 1 faster (fewer frames), below 1 slower
DEFAULT_RATE, DEFAULT_NOISE = 1.0, 0.15  # how the page and the slides speak a sentence unless told otherwise
TRAIN_NOISE = (0.05, 0.4)  # the noise's standard deviation (the templates peak near 1)
MAX_WORDS = 3
SHIFT = 2  # the speaker's voice: up to this many bins higher or lower, louder or softer, brighter or darker
LINGER = 0.4  # coarticulation: the previous letter's share of a letter's first steady frame
TEST_SHARE = 0.1  # the share of word sequences held out of training
RATE_BUCKETS = (("slow", 0.7, 0.95), ("normal", 0.95, 1.25), ("fast", 1.25, 1.5))  # [low, high) of TRAIN_RATES


@lru_cache(maxsize=1)
def speech_vocab() -> Vocab:
    """<blank> (id 0), then the letters, then the space."""
    return Vocab(SYMBOLS, specials=SPEECH_SPECIALS)


FORMANT_CENTRES = np.arange(2, N_BINS - 1, 2)  # few places for a bump: letters share some (confusable pairs)


def _bumps(rng: np.random.Generator, count: int, width: tuple[float, float], grid: bool = True) -> np.ndarray:
    bins = np.arange(N_BINS)
    out = np.zeros(N_BINS)
    centres = rng.choice(FORMANT_CENTRES, count, replace=False) if grid else rng.uniform(1, N_BINS - 2, count)
    for centre in centres:
        sigma = rng.uniform(*width)
        out += rng.uniform(0.5, 1.0) * np.exp(-0.5 * ((bins - centre) / sigma) ** 2)
    return out / out.max()


@dataclass(frozen=True)
class Voice:
    steady: np.ndarray  # (letters, N_BINS) each letter's steady spectrum, peak 1
    onset: np.ndarray  # (letters, N_BINS) each letter's first frame: a broad burst mixed with its own bumps


@lru_cache(maxsize=1)
def voice() -> Voice:
    """The fixed voice (VOICE_SEED): two or three formant-like bumps per letter, and an onset frame."""
    rng = np.random.default_rng(VOICE_SEED)
    steady = np.stack([_bumps(rng, int(rng.integers(2, 4)), (1.0, 2.5)) for _ in LETTERS])
    onset = np.stack([0.55 * _bumps(rng, 1, (4.0, 7.0), grid=False) + 0.45 * s for s in steady])
    for array in (steady, onset):
        array.flags.writeable = False
    return Voice(steady, onset)


@dataclass(frozen=True)
class Utterance:
    words: tuple[str, ...]
    frames: np.ndarray  # (T, N_BINS) float32: the spectrogram, one row per frame
    spans: tuple[tuple[str, int, int], ...]  # (symbol, first frame, end frame) of every spoken symbol, in order
    rate: float
    noise: float

    @property
    def text(self) -> str:
        return SPACE.join(self.words)

    @property
    def n_frames(self) -> int:
        return len(self.frames)


def render(
    words: Sequence[str], rate: float = 1.0, noise: float = 0.1, seed: int = 0, rng: np.random.Generator | None = None
) -> Utterance:
    """The words spoken at this rate with this noise; durations, silences, the speaker's shift and loudness
    and the noise are drawn from `rng` (else from `seed`). Raises ValueError for a letter the voice lacks."""
    words = tuple(words)
    if not words:
        raise ValueError("an utterance needs at least one word")
    if rate <= 0 or noise < 0:
        raise ValueError(f"the rate must be positive and the noise not negative, got {rate}, {noise}")
    unknown = sorted({c for w in words for c in w if c not in LETTERS})
    if unknown:
        raise ValueError(f"the voice has no letter {unknown[0]!r}; it speaks {''.join(LETTERS)}")
    rng = rng if rng is not None else np.random.default_rng(seed)
    v = voice()
    shift, loudness, tilt = int(rng.integers(-SHIFT, SHIFT + 1)), rng.uniform(0.7, 1.3), rng.uniform(-0.4, 0.4)
    rows: list[np.ndarray] = []
    spans: list[tuple[str, int, int]] = []

    def silence(n: int) -> None:
        rows.extend(np.zeros(N_BINS) for _ in range(n))

    silence(int(rng.integers(EDGE_SILENCE[0], EDGE_SILENCE[1] + 1)))
    for k, word in enumerate(words):
        if k:
            start = len(rows)
            silence(max(1, round(int(rng.integers(WORD_GAP[0], WORD_GAP[1] + 1)) / rate)))
            spans.append((SPACE, start, len(rows)))
        previous = None
        for letter in word:
            index = LETTERS.index(letter)
            n = max(1, round(int(rng.integers(BASE_FRAMES[0], BASE_FRAMES[1] + 1)) / rate))
            start = len(rows)
            rows.append(v.onset[index])
            steady = [v.steady[index] * (1 - 0.25 * j / n) for j in range(1, n)]  # fading a little
            if steady and previous is not None:  # coarticulation: the last letter lingers in the first frame
                steady[0] = (1 - LINGER) * steady[0] + LINGER * v.steady[previous]
            rows.extend(steady)
            spans.append((letter, start, len(rows)))
            previous = index
    silence(int(rng.integers(EDGE_SILENCE[0], EDGE_SILENCE[1] + 1)))
    bins = np.arange(N_BINS) / (N_BINS - 1)
    clean = np.roll(np.stack(rows) * loudness * (1 + tilt * (bins - 0.5)), shift, axis=1)  # the speaker's voice
    if shift > 0:
        clean[:, :shift] = 0
    elif shift < 0:
        clean[:, shift:] = 0
    frames = clean + noise * rng.standard_normal(clean.shape)
    return Utterance(words, frames.astype(np.float32), tuple(spans), float(rate), float(noise))


def labels(utterance: Utterance, vocab: Vocab | None = None) -> list[int]:
    """The CTC target: the letters and the spaces between words, as ids."""
    vocab = vocab or speech_vocab()
    return [vocab.id(symbol) for symbol in utterance.text]


def held_out_words(words: Sequence[str]) -> bool:
    """Whether this word sequence is one of the TEST_SHARE never trained on (a hash of its words)."""
    digest = hashlib.sha256(" ".join(words).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < TEST_SHARE


def draw(rng: np.random.Generator, held_out: bool, rates=TRAIN_RATES, noise=TRAIN_NOISE) -> Utterance:
    """One random utterance of 1–MAX_WORDS toy words whose word sequence is (held_out) or is not held out."""
    while True:
        n = int(rng.integers(1, MAX_WORDS + 1))
        words = tuple(EN_WORDS[i] for i in rng.integers(0, len(EN_WORDS), n))
        if held_out_words(words) == held_out:
            break
    return render(words, float(rng.uniform(*rates)), float(rng.uniform(*noise)), rng=rng)


def training_batch(size: int, seed: int) -> list[Utterance]:
    """`size` new training utterances from `seed` (the batch function draws one seed per step)."""
    rng = np.random.default_rng(seed)
    return [draw(rng, held_out=False) for _ in range(size)]


@lru_cache(maxsize=4)
def held_out_utterances(n: int, seed: int, rate: float | None = None) -> tuple[Utterance, ...]:
    """`n` held-out utterances (word sequences never trained on), drawn once from `seed`; with `rate` all are
    spoken at that rate (the rate sweep beyond the training range)."""
    rng = np.random.default_rng(seed)
    rates = TRAIN_RATES if rate is None else (rate, rate)
    return tuple(draw(rng, held_out=True, rates=rates) for _ in range(n))


def rate_bucket(rate: float) -> str:
    """slow, normal or fast for a training-range rate; "slower" or "faster" outside it."""
    for name, low, high in RATE_BUCKETS:
        if low <= rate < high:
            return name
    return "slower" if rate < TRAIN_RATES[0] else "faster" if rate > TRAIN_RATES[1] else "fast"
