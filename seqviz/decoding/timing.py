"""Honest timing: warm up, synchronise the device, repeat, report the median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from ..device import describe, synchronize


@dataclass(frozen=True)
class Timing:
    median_ms: float
    min_ms: float
    max_ms: float
    repeats: int
    warmup: int
    device: str

    def method(self) -> str:
        return (
            f"median of {self.repeats} runs after {self.warmup} warm-up runs on {self.device}, "
            "device synchronised before and after each run"
        )


def measure(fn: Callable[[], object], device: torch.device | str = "cpu", warmup: int = 2, repeats: int = 7) -> Timing:
    """Time fn() (which should run under torch.no_grad() if it is inference) and return the median."""
    return measure_together({"fn": fn}, device, warmup, repeats)["fn"]


def measure_together(
    runs: dict[str, Callable[[], object]], device: torch.device | str = "cpu", warmup: int = 2, repeats: int = 7
) -> dict[str, Timing]:
    """Time several functions in interleaved rounds (a, b, c, a, b, c, ...), so that a slow spell of a shared
    machine falls on all of them alike, and return each one's median. Use it for ratios."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    for fn in runs.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            synchronize(device)
            start = time.perf_counter()
            fn()
            synchronize(device)
            times[name].append((time.perf_counter() - start) * 1000.0)
    where = describe(device)
    return {name: Timing(statistics.median(t), min(t), max(t), repeats, warmup, where) for name, t in times.items()}
