"""Digit tasks for the quickest lessons: copy, reverse and sort a string of digits."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .vocab import Vocab

DIGIT_TASKS = ("copy", "reverse", "sort")
DIGITS = tuple("0123456789")


def digit_answer(task: str, src: Sequence[str]) -> tuple[str, ...]:
    """The correct target for ``src`` under ``task``."""
    _check_task(task)
    if task == "reverse":
        return tuple(reversed(src))
    if task == "sort":
        return tuple(sorted(src))
    return tuple(src)


def digit_pairs(
    task: str, n: int, seed: int, min_len: int = 3, max_len: int = 12
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """``n`` (source, target) pairs; source lengths uniform in [min_len, max_len]; seeded."""
    _check_task(task)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not 1 <= min_len <= max_len:
        raise ValueError(f"need 1 <= min_len <= max_len, got {min_len}, {max_len}")
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        src = tuple(rng.choices(DIGITS, k=rng.randint(min_len, max_len)))
        pairs.append((src, digit_answer(task, src)))
    return pairs


def digit_vocab() -> Vocab:
    return Vocab(DIGITS)


def _check_task(task: str) -> None:
    if task not in DIGIT_TASKS:
        raise ValueError(f"unknown digit task {task!r}; choose one of {', '.join(DIGIT_TASKS)}")
