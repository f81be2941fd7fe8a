"""Every page's main interaction, for the class scenario and for the server's CPU per interaction, page by page
(`python -m seqviz.load --per-page`): what a student does most on each page, with a new input each time
(a sentence typed is one the server has not seen in this run; a slider moves between two values)."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from .classroom import cpu_seconds
from .protocol import Run, Session

ADJECTIVES = ("small", "big", "old", "black", "white")
NOUNS = ("cat", "dog", "horse", "boy", "girl", "mouse")
VERBS = ("sleeps", "runs", "sees the dog", "likes the cat", "sees the old horse")


def fresh_sentence(i: int) -> str:
    """The i-th of 150 different toy-English sentences (every adjective, noun and verb phrase in turn)."""
    adjective = ADJECTIVES[i % len(ADJECTIVES)]
    noun = NOUNS[i // len(ADJECTIVES) % len(NOUNS)]
    verb = VERBS[i // (len(ADJECTIVES) * len(NOUNS)) % len(VERBS)]
    return f"the {adjective} {noun} {verb}"


@dataclass(frozen=True)
class PageInteraction:
    page: str  # the URL path ("Masks"; "" for the home page)
    what: str  # in words, for the reports
    act: Callable[[Session, int], Awaitable[Run]] | None  # the i-th interaction; None: the page is only opened


def _typing(key: str) -> Callable[[Session, int], Awaitable[Run]]:
    return lambda session, i: session.type(key, fresh_sentence(i))


PAGES = (
    PageInteraction("", "open the home page", None),
    PageInteraction("Lessons", "next step", lambda s, i: s.click("les_forward")),
    PageInteraction("Masks", "type a sentence", _typing("sentence")),
    PageInteraction("Autoencoding", "type a sentence", _typing("ae_sentence")),
    PageInteraction("Autoregressive", "next token", lambda s, i: s.click("ar_next")),
    PageInteraction("Recurrent", "type a sentence", _typing("rnn_sentence")),
    PageInteraction("Seq2Seq", "type a sentence", _typing("s2s_sentence")),
    PageInteraction("Parallel", "move the iterations slider", lambda s, i: s.set_slider("par_iterations", 9 + i % 2)),
    PageInteraction("Fusions", "type a T5 text", _typing("fu_t5_text")),
    PageInteraction("Diffusion", "new sample", lambda s, i: s.click("dif_new")),
    PageInteraction("Pixels", "next image", lambda s, i: s.click("pix_new")),
    PageInteraction("Positions", "move the positions slider", lambda s, i: s.set_slider("pos_positions", 16 + 8 * (i % 2))),
    PageInteraction("Inside", "move the example slider", lambda s, i: s.set_slider("ins_example", 2 + i % 2)),
    PageInteraction("Explorer", "open the page", None),
)


async def page_cost(server: str, pids: Sequence[int], interaction: PageInteraction, repeats: int, warmup: int) -> dict:
    """One session alone on the server: the page opened twice (the first open may load models), then its
    interaction warmup + repeats times; the server's CPU seconds (all threads) for each."""

    def cpu() -> float:
        return cpu_seconds(pids)

    async with Session(server, 300) as session:
        start = cpu()
        await session.open(interaction.page)
        first_open = cpu() - start
        start = cpu()
        await session.open(interaction.page)
        costs = [cpu() - start]
        if interaction.act is not None:
            costs = []
            for i in range(warmup + repeats):
                start = cpu()
                run = await interaction.act(session, i)
                if not run.ok:
                    raise RuntimeError(f"{interaction.page}: {interaction.what} failed: {run.exceptions}")
                if i >= warmup:
                    costs.append(cpu() - start)
    return {
        "interaction": interaction.what,
        "first_open_cpu_s": round(first_open, 3),
        "cpu_s_median": round(statistics.median(costs), 3),
        "cpu_s_max": round(max(costs), 3),
        "runs": len(costs),
    }


async def per_page(server: str, pids: Sequence[int], repeats: int = 7, warmup: int = 2) -> dict[str, dict]:
    """Every page in turn, one session at a time (nothing else competes): page -> its costs."""
    return {
        interaction.page or "home": await page_cost(server, pids, interaction, repeats, warmup)
        for interaction in PAGES
    }
