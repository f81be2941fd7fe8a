"""Generated time series: several families of one signal each, and a "sensor array" of many related ones.

Every series is a window of CONTEXT + HORIZON steps: the forecaster reads the first CONTEXT (the past) and
predicts the next HORIZON (the future). Each family knows its season length m, the lag of the seasonal-naive
forecast and of MASE's scale (Hyndman & Koehler 2006); m = 1 for a series without a season (naive: the last
value again).

    seasonal     one daily-like season of 24 steps (a sine and a random second harmonic) + white noise
    two_seasons  the 24-step season and a second one of 10 steps (seasonal-naive at 24 misses the second)
    trend        the 24-step season on a straight trend (seasonal-naive lags it by one season)
    ar_noise     noise that is itself autoregressive: AR(2) with random stable roots (quasi-cycles), m = 1
    regime       the 24-step season whose level and amplitude change once, at a random step of the past
    sensor       one sensor of an array: shared factors (the daily season, a slow drift, an AR(1) swing)
                 through its own gains and lag, plus its own noise

Levels and scales are random (a level up to 100, a scale from 0.5 to 20), so a forecaster must be
scale-free: `normalise` divides each window by its context's mean and standard deviation, `denormalise`
undoes it. Held-out series are new draws: a split is generated from its own seed sequence ([split seed,
family]) and training batches from another ([TRAIN_STREAM, a number from the training generator]), so no
test series is ever a training series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

CONTEXT, HORIZON = 96, 24  # the past the models read (four seasons), the future they predict
LENGTH = CONTEXT + HORIZON
SEASON = 24  # the main season of the seasonal families
SECOND_SEASON = 10  # two_seasons' second period
FAMILIES: dict[str, int] = {  # family -> its season length m
    "seasonal": SEASON,
    "two_seasons": SEASON,
    "trend": SEASON,
    "ar_noise": 1,
    "regime": SEASON,
    "sensor": SEASON,
}
TRAIN_STREAM = 9_001  # the first word of every training batch's seed sequence (splits use their own seed)


@dataclass(frozen=True)
class SeriesSet:
    """N series of equal length with their families and season lengths; slicing gives a SeriesSet."""

    values: np.ndarray  # (N, L) float32
    family: np.ndarray  # (N,) int: index into FAMILIES
    m: np.ndarray  # (N,) int: season length

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index) -> SeriesSet:
        if isinstance(index, int | np.integer):
            index = slice(int(index), int(index) + 1)
        return SeriesSet(self.values[index], self.family[index], self.m[index])

    @property
    def context(self) -> np.ndarray:
        return self.values[:, :CONTEXT]

    @property
    def future(self) -> np.ndarray:
        return self.values[:, CONTEXT:]

    def family_names(self) -> list[str]:
        names = list(FAMILIES)
        return [names[i] for i in self.family]


def _season(t: np.ndarray, rng: np.random.Generator, n: int, period: float) -> np.ndarray:
    """A unit-ish season: a sine of the period and a random second harmonic, random phases. -> (n, L)"""
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    second = rng.uniform(0, 0.5, (n, 1))
    phase2 = rng.uniform(0, 2 * np.pi, (n, 1))
    angle = 2 * np.pi * t / period
    return np.sin(angle + phase) + second * np.sin(2 * angle + phase2)


def _noise(rng: np.random.Generator, n: int, length: int, low: float = 0.05, high: float = 0.3) -> np.ndarray:
    return rng.uniform(low, high, (n, 1)) * rng.standard_normal((n, length))


def _ar2(rng: np.random.Generator, n: int, length: int, burn_in: int = 100) -> np.ndarray:
    """AR(2) paths y_t = φ1 y_{t-1} + φ2 y_{t-2} + ε_t with complex roots of radius 0.8–0.97 (stationary,
    quasi-cycles of 8–60 steps), scaled to unit standard deviation. -> (n, length)"""
    radius = rng.uniform(0.8, 0.97, n)
    angle = rng.uniform(2 * np.pi / 60, 2 * np.pi / 8, n)
    phi1, phi2 = 2 * radius * np.cos(angle), -(radius**2)
    eps = rng.standard_normal((n, length + burn_in))
    y = np.zeros((n, length + burn_in))
    for t in range(2, length + burn_in):
        y[:, t] = phi1 * y[:, t - 1] + phi2 * y[:, t - 2] + eps[:, t]
    y = y[:, burn_in:]
    return y / y.std(axis=1, keepdims=True).clip(1e-6)


def _ar1(rng: np.random.Generator, n: int, length: int, phi: float = 0.9) -> np.ndarray:
    eps = rng.standard_normal((n, length))
    y = np.zeros((n, length))
    y[:, 0] = eps[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, length):
        y[:, t] = phi * y[:, t - 1] + eps[:, t]
    return y * np.sqrt(1 - phi**2)


def _sensors(
    rng: np.random.Generator, n: int, length: int, factors: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """Sensors reading shared factors (season (k, L + 8), drift (k, L), swing (k, L); k = 1 or n) through
    their own gains and a lag of 0–4 steps on the season, plus their own noise. -> (n, length)"""
    season, drift, swing = factors
    lag = rng.integers(0, 5, n)
    rows = np.arange(n) % len(season)
    lagged = np.stack([season[r, 4 - k : 4 - k + length] for r, k in zip(rows, lag, strict=True)])
    gains = rng.uniform([0.6, 0.2, 0.1], [1.4, 1.0, 0.6], (n, 3))
    return (
        gains[:, :1] * lagged
        + gains[:, 1:2] * drift[rows]
        + gains[:, 2:] * swing[rows]
        + _noise(rng, n, length, 0.05, 0.2)
    )


def _sensor_factors(rng: np.random.Generator, k: int, length: int):
    t = np.arange(length + 8)
    season = _season(t, rng, k, SEASON)
    drift = np.cumsum(rng.standard_normal((k, length)), axis=1) * 0.08
    return season, drift, _ar1(rng, k, length)


def _pattern(family: str, rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    """n unit-scale series of one family (before level and scale). -> (n, length)"""
    t = np.arange(length, dtype=np.float64)
    if family == "seasonal":
        return _season(t, rng, n, SEASON) + _noise(rng, n, length)
    if family == "two_seasons":
        second = rng.uniform(0.3, 0.8, (n, 1)) * np.sin(2 * np.pi * t / SECOND_SEASON + rng.uniform(0, 7, (n, 1)))
        return _season(t, rng, n, SEASON) + second + _noise(rng, n, length)
    if family == "trend":
        slope = rng.choice([-1, 1], (n, 1)) * rng.uniform(0.5, 3.0, (n, 1)) / length  # 0.5–3 amplitudes per window
        return _season(t, rng, n, SEASON) + slope * (t - CONTEXT) + _noise(rng, n, length)
    if family == "ar_noise":
        return _ar2(rng, n, length)
    if family == "regime":
        change = rng.integers(CONTEXT // 3, CONTEXT - 4, (n, 1))  # inside the past: the model must notice it
        after = t >= change
        jump = rng.choice([-1, 1], (n, 1)) * rng.uniform(1.0, 3.0, (n, 1))
        stretch = rng.uniform(0.4, 2.0, (n, 1))
        season = _season(t, rng, n, SEASON)
        return np.where(after, jump + stretch * season, season) + _noise(rng, n, length)
    if family == "sensor":
        return _sensors(rng, n, length, _sensor_factors(rng, n, length))
    raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")


def generate(family: str, n: int, seed: Sequence[int] | int, length: int = LENGTH) -> np.ndarray:
    """n series of one family with a random level and scale, from the seed sequence `seed`. -> (n, length)"""
    rng = np.random.default_rng(seed)
    pattern = _pattern(family, rng, n, length)
    level = rng.uniform(0, 100, (n, 1))
    scale = np.exp(rng.uniform(np.log(0.5), np.log(20), (n, 1)))
    return (level + scale * pattern).astype(np.float32)


def series_set(n_per_family: int, seed: int, families: Sequence[str] = tuple(FAMILIES)) -> SeriesSet:
    """n_per_family series of each family, interleaved (family 0, 1, …, 0, 1, …) so that any leading slice
    holds every family; family f comes from the seed sequence [seed, f]."""
    names = list(FAMILIES)
    blocks = [generate(f, n_per_family, [seed, names.index(f)]) for f in families]
    values = np.stack(blocks, axis=1).reshape(-1, LENGTH)  # (n·F, L): row i is family i % F
    family = np.tile([names.index(f) for f in families], n_per_family)
    return SeriesSet(values, family, np.array([FAMILIES[names[i]] for i in family]))


def series_splits(n_valid: int = 100, n_test: int = 400, seed: int = 11) -> dict[str, SeriesSet]:
    """Held-out series per family: valid from [seed, f], test from [seed + 1, f]. Training series are drawn
    fresh for every batch (`training_series`), from another stream."""
    return {"valid": series_set(n_valid, seed), "test": series_set(n_test, seed + 1)}


def training_series(n: int, generator: torch.Generator) -> SeriesSet:
    """A fresh batch of n training series, every family in turn, seeded by the training loop's generator."""
    draw = int(torch.randint(0, 2**62, (1,), generator=generator))
    names = list(FAMILIES)
    per_family = -(-n // len(names))
    blocks = [generate(f, per_family, [TRAIN_STREAM, draw, i]) for i, f in enumerate(names)]
    values = np.stack(blocks, axis=1).reshape(-1, LENGTH)[:n]
    family = np.tile(np.arange(len(names)), per_family)[:n]
    return SeriesSet(values, family, np.array([FAMILIES[names[i]] for i in family]))


def sensor_array(n: int, length: int = LENGTH, seed: int = 0) -> np.ndarray:
    """n related series: every sensor reads the same three factors (one draw of them) through its own gains,
    lag and noise, at its own level and scale. The "1,000 sensors" of the speed measure. -> (n, length)"""
    rng = np.random.default_rng([seed, 77])
    values = _sensors(rng, n, length, _sensor_factors(rng, 1, length))
    level = rng.uniform(0, 100, (n, 1))
    scale = np.exp(rng.uniform(np.log(0.5), np.log(20), (n, 1)))
    return (level + scale * values).astype(np.float32)


MIN_SCALE = 1e-3


def normalise(context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Each row's context as z-scores of its own mean and standard deviation. (B, C) -> (B, C), loc (B, 1),
    scale (B, 1). A flat context gets a small scale instead of a division by zero."""
    loc = context.mean(-1, keepdim=True)
    scale = context.std(-1, keepdim=True).clamp(min=MIN_SCALE)
    return (context - loc) / scale, loc, scale


def denormalise(values: torch.Tensor, loc: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Undo `normalise` on values (B, …) in the normalised units: loc and scale (B, 1) broadcast over the rest."""
    shape = (-1,) + (1,) * (values.dim() - 1)
    return values * scale.reshape(shape) + loc.reshape(shape)


def forecast_batches(batch_size: int):
    """The training batches of the forecasters: fresh series every step, each normalised by its context.
    -> next_batch(generator) -> {"context": (B, C), "target": (B, H)}"""

    def next_batch(generator: torch.Generator) -> dict[str, torch.Tensor]:
        values = torch.from_numpy(training_series(batch_size, generator).values)
        z, loc, scale = normalise(values[:, :CONTEXT])
        return {"context": z, "target": (values[:, CONTEXT:] - loc) / scale}

    return next_batch
