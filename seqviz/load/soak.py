"""A soak: students come and go for a while on one server (waves of sessions that open pages, type and
leave), and the server's memory is read after every wave; beside it, what an idle open session costs.

A closed session is not freed at once: Streamlit keeps up to 128 disconnected sessions for
`server.disconnectedSessionTTL` (120 s) in case the browser reconnects, caches fill with every new
sentence, and Python keeps freed memory for reuse. So memory grows for the first hundred-odd sessions and
then should stay flat: the bound is on the growth over the second half of the waves, per session closed
there (flat: a few KB; a leak: a whole session's worth, hundreds of KB, each time)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from .classroom import resident_mb, sentence
from .protocol import Session

WAVE, MIN_WAVES = 8, 6  # sessions at once; waves at least, however short the soak


async def visit(server: str, i: int, timeout_s: float = 180) -> list[str]:
    """One student who comes, works on two pages and leaves -> the problems seen ("" for none)."""
    problems = []
    try:
        async with Session(server, timeout_s) as session:
            prompt = " ".join(sentence(i).split()[:3])  # "the old dog"
            runs = [await session.open("Masks"), await session.type("sentence", sentence(i))]
            runs += [await session.open("Autoregressive"), await session.type("ar_prompt", prompt)]
            runs += [await session.click("ar_next"), await session.click("ar_next")]
            problems += [f"{run.action}: {run.finished} {run.exceptions}" for run in runs if not run.ok]
            if not any(prompt.split()[-1] in text for text in runs[-1].texts):
                problems.append(f"session {i} did not see its own prompt")
    except (TimeoutError, ConnectionError, OSError, KeyError) as error:
        problems.append(f"session {i}: {type(error).__name__}: {error}")
    return problems


def slope_kb(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope of (sessions closed, resident MB) in KB per session."""
    n = len(points)
    mean_x, mean_y = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return 1024 * sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


async def soak(server: str, pids: Sequence[int], seconds: float, wave: int = WAVE) -> dict:
    """Waves of `wave` sessions until `seconds` have passed (MIN_WAVES at least) -> the report: memory after
    each wave, its growth per closed session over the second half of the waves, and every problem."""
    memory: list[tuple[int, float]] = []  # (sessions closed so far, resident MB of the server)
    problems: list[str] = []
    closed, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or len(memory) < MIN_WAVES:
        seen = await asyncio.gather(*(visit(server, closed + k) for k in range(wave)))
        problems += [p for ps in seen for p in ps]
        closed += wave
        memory.append((closed, round(resident_mb(pids), 1)))
    second_half = memory[len(memory) // 2 - 1 :]
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "sessions_closed": closed,
        "memory_mb": memory,
        "second_half_from_session": second_half[0][0],
        "growth_mb_second_half": round(second_half[-1][1] - second_half[0][1], 1),
        "kb_per_closed_session": round(slope_kb(second_half), 1),
        "problems": problems,
    }


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
