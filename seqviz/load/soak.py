"""A soak: students come and go on one server (waves of sessions that open pages, type and leave), and the
server's memory is read after every wave; beside it, what an idle open session costs.

Memory first warms up, then stays flat: a closed session is not freed at once (Streamlit keeps up to 128
disconnected sessions for `server.disconnectedSessionTTL`, 120 s by default, in case the browser comes
back), caches fill with new sentences, and Python keeps freed memory for reuse. A leak keeps growing by a
whole session's worth (hundreds of KB) for every session closed. So the verdict is the growth per closed
session over the steady state only, after the warm-up:

- the ten-minute soak (`python -m seqviz.load --soak 600`, the documented figure) runs as a class would,
  every student with a sentence of their own and the default TTL, and takes the second half of the waves;
- CI's soak is bounded by counts, not time, so that no machine's speed moves the end of the warm-up: its
  server keeps disconnected sessions for a second, its students draw from a pool of sentences that the
  first waves fill every cache with, and the steady state starts after a fixed number of waves."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from itertools import combinations

from .classroom import resident_mb, sentence
from .protocol import Session

WAVE, MIN_WAVES = 8, 6  # sessions at once; waves at least, however short the soak
# CI's count-bound soak: a server that drops disconnected sessions after SHORT_TTL_S, students who reuse
# SENTENCE_POOL sentences, WARM_UP_WAVES waves (more than the pool's worth) before the steady state
SHORT_TTL_S, SENTENCE_POOL, WARM_UP_WAVES = 1, 16, 3
FLAT_KB = 100  # growth per closed session a flat server stays under (a few KB measured; a leaked session: hundreds)


async def visit(server: str, i: int, timeout_s: float = 180, pool: int | None = None) -> list[str]:
    """One student who comes, works on two pages and leaves -> the problems seen ("" for none). With a
    pool, student i takes sentence i % pool."""
    problems = []
    own = sentence(i if pool is None else i % pool)
    try:
        async with Session(server, timeout_s) as session:
            prompt = " ".join(own.split()[:3])  # "the old dog"
            runs = [await session.open("Masks"), await session.type("sentence", own)]
            runs += [await session.open("Autoregressive"), await session.type("ar_prompt", prompt)]
            runs += [await session.click("ar_next"), await session.click("ar_next")]
            problems += [f"{run.action}: {run.finished} {run.exceptions}" for run in runs if not run.ok]
            if not any(prompt.split()[-1] in text for text in runs[-1].texts):
                problems.append(f"session {i} did not see its own prompt")
    except (TimeoutError, ConnectionError, OSError, KeyError) as error:
        problems.append(f"session {i}: {type(error).__name__}: {error}")
    return problems


def growth_kb(points: Sequence[tuple[int, float]]) -> float:
    """Growth of (sessions closed, resident MB) in KB per session: the median of the slopes between every two
    readings (Theil-Sen), which one reading caught mid-collection cannot move."""
    slopes = [(y2 - y1) / (x2 - x1) for (x1, y1), (x2, y2) in combinations(points, 2) if x2 != x1]
    return 1024 * statistics.median(slopes) if slopes else 0.0


async def soak(
    server: str,
    pids: Sequence[int],
    seconds: float = 0.0,
    waves: int = MIN_WAVES,
    warm_up_waves: int | None = None,
    pool: int | None = None,
    wave: int = WAVE,
) -> dict:
    """Waves of `wave` sessions until `seconds` have passed and `waves` waves have run -> the report: memory
    after each wave, its growth per closed session over the steady state (the waves after `warm_up_waves`;
    the second half of them when None), and every problem. `pool`: students reuse that many sentences."""
    memory: list[tuple[int, float]] = []  # (sessions closed so far, resident MB of the server)
    problems: list[str] = []
    closed, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or len(memory) < max(waves, MIN_WAVES):
        seen = await asyncio.gather(*(visit(server, closed + k, pool=pool) for k in range(wave)))
        problems += [p for ps in seen for p in ps]
        closed += wave
        memory.append((closed, round(resident_mb(pids), 1)))
    warm_up = len(memory) // 2 if warm_up_waves is None else min(warm_up_waves, len(memory) - 2)
    steady = memory[max(warm_up - 1, 0) :]  # from the reading that ends the warm-up
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "sessions_closed": closed,
        "memory_mb": memory,
        "steady_from_session": steady[0][0],
        "growth_mb_steady": round(steady[-1][1] - steady[0][1], 1),
        "kb_per_closed_session": round(growth_kb(steady), 1),
        "problems": problems,
    }


def flat(report: dict, bound_kb: float = FLAT_KB) -> bool:
    """Whether a soak's steady state grew by less than bound_kb per closed session."""
    return report["kb_per_closed_session"] < bound_kb


async def idle_cost(server: str, pids: Sequence[int], sessions: int = 40) -> dict:
    """Resident memory an open idle session costs: `sessions` students open the masks page, type their own
    sentence, and stay."""
    before = resident_mb(pids)
    opened = [Session(server) for _ in range(sessions)]
    for session in opened:
        await session.__aenter__()

    async def settle_in(i: int, session: Session):
        await session.open("Masks")
        return await session.type("sentence", sentence(10_000 + i))

    try:
        runs = await asyncio.gather(*(settle_in(i, s) for i, s in enumerate(opened)))
        await asyncio.sleep(1)
        after = resident_mb(pids)
    finally:
        for session in opened:
            await session.__aexit__()
    return {
        "sessions": sessions,
        "failed": sum(not r.ok for r in runs),
        "rss_before_mb": round(before, 1),
        "rss_open_mb": round(after, 1),
        "mb_per_idle_session": round((after - before) / sessions, 2),
    }
