"""The server's CPU per interaction, page by page (`python -m seqviz.load --per-page`): one protocol session
alone on the server opens each page and does its main interaction (pages.py) again and again, and the
server's CPU seconds (all its threads, from /proc) are read around each one."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from .classroom import cpu_seconds
from .pages import PAGES, PageInteraction
from .protocol import Session


async def page_cost(server: str, pids: Sequence[int], interaction: PageInteraction, repeats: int, warmup: int) -> dict:
    """One session alone on the server: the page opened twice (the first open may load models and fill caches),
    then its interaction warmup + repeats times (or the page opened again); the server's CPU seconds (all
    threads) for each."""

    def cpu() -> float:
        return cpu_seconds(pids)

    async with Session(server, 300) as session:
        start = cpu()
        await session.open(interaction.page)
        first_open = cpu() - start
        start = cpu()
        await session.open(interaction.page)  # as every later student opens it: models loaded, caches warm
        open_again = cpu() - start
        costs = []
        for i in range(warmup + repeats):
            start = cpu()
            run = await interaction.on(session, i)
            if not run.ok:
                raise RuntimeError(f"{interaction.page}: {interaction.what} failed: {run.exceptions or run.finished}")
            if i >= warmup:
                costs.append(cpu() - start)
    return {
        "interaction": interaction.what,
        "first_open_cpu_s": round(first_open, 3),
        "open_cpu_s": round(open_again, 3),
        "cpu_s_median": round(statistics.median(costs), 3),
        "cpu_s_max": round(max(costs), 3),
        "runs": len(costs),
    }


async def per_page(server: str, pids: Sequence[int], repeats: int = 7, warmup: int = 2) -> dict[str, dict]:
    """Every page in turn, one session at a time (nothing else competes): page -> its costs."""
    return {
        interaction.page or "home": await page_cost(server, pids, interaction, repeats, warmup) for interaction in PAGES
    }
