"""Honest timing: warm up, synchronise the device, repeat, report the median."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

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
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    for _ in range(warmup):
        fn()
    synchronize(device)
    runs = []
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        fn()
        synchronize(device)
        runs.append((time.perf_counter() - start) * 1000.0)
    return Timing(statistics.median(runs), min(runs), max(runs), repeats, warmup, describe(device))
