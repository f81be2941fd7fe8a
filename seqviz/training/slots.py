"""Limits on live training for a shared server: a server-wide number of trainings at once (slots), and a
per-session number of trainings started within a window of time. Pure: the UI keeps a session's start
times in its session state and shows the verdicts."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class TrainingSlots:
    """At most `limit` trainings at once in this process. Taking a slot never waits: a student is told the
    server is busy rather than left staring at a page that hangs."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError(f"a training slot limit is a positive number, got {limit}")
        self.limit = limit
        self._free = threading.BoundedSemaphore(limit)
        self._count = threading.Lock()
        self._busy = 0

    @property
    def busy(self) -> int:
        """Slots taken now."""
        return self._busy

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields whether a slot was granted. A granted slot is given back however the block ends: an error,
        or Streamlit stopping the script mid-training (its StopException and RerunException are
        BaseExceptions, raised inside the training's progress callback)."""
        granted = self._free.acquire(blocking=False)
        if not granted:
            yield False
            return
        with self._count:
            self._busy += 1
        try:
            yield True
        finally:
            with self._count:
                self._busy -= 1
            self._free.release()


_servers: dict[int, TrainingSlots] = {}
_servers_lock = threading.Lock()


def server_slots(limit: int) -> TrainingSlots:
    """The process's one TrainingSlots for `limit` (under a lock: two sessions asking first at the same
    instant must share one, or each would count its own trainings)."""
    with _servers_lock:
        if limit not in _servers:
            _servers[limit] = TrainingSlots(limit)
        return _servers[limit]


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    wait_s: int  # whole seconds until another training may start; 0 when allowed
    recent: list[float]  # the start times still inside the window (what the session keeps)


def may_start(starts: list[float], now: float, limit: int, window_s: float) -> RateVerdict:
    """Whether a session that started trainings at `starts` (time.monotonic() values) may start another at
    `now`, at most `limit` per `window_s` seconds; if not, how long until the oldest one leaves the window."""
    recent = sorted(t for t in starts if now - t < window_s)
    if len(recent) < limit:
        return RateVerdict(True, 0, recent)
    oldest_to_leave = recent[len(recent) - limit]
    return RateVerdict(False, max(1, math.ceil(oldest_to_leave + window_s - now)), recent)
