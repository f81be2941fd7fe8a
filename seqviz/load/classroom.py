"""A classroom of protocol-level sessions on one server: every student runs a lesson's worth of interactions at
once — open a page, type a sentence, five times "next token", three moves of a slider — and each
interaction is timed on the server's side (message sent -> script run finished). The server's CPU and memory
are read from /proc while the class works, so nothing but the server competes for the cores."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .pages import PAGES
from .protocol import Run, Session

NOUNS = ("cat", "dog", "horse", "boy", "girl", "mouse")
ADJECTIVES = ("small", "big", "old", "black", "white")
NEXT_TOKENS, SLIDER_MOVES = 5, 3
TRAINERS_EVERY = 10  # one student in ten also trains the character models live (10 s each)
# then every student visits three of the other pages, each with its main interaction twice (student i starts at
# the i-th page, so a class goes through all of them)
OTHER_PAGES = [p for p in PAGES if p.page not in ("", "Masks", "Autoregressive", "Parallel")]
PAGES_EACH, ACTIONS_PER_PAGE = 3, 2
SO_FAR = "Text so far:"  # the autoregressive page's line with the prompt and the tokens generated
BUSY = "training a model on this server now"  # the refusal a shared server gives when its slots are taken


def sentence(i: int) -> str:
    """A different grammatical toy-English sentence for each student."""
    return f"the {ADJECTIVES[i // len(NOUNS) % len(ADJECTIVES)]} {NOUNS[i % len(NOUNS)]} sleeps"


@dataclass
class Student:
    """What one session did: its runs, and whether the pages showed its own input back."""

    index: int
    runs: list[Run] = field(default_factory=list)
    own_input_shown: bool = True
    generated: str = ""  # what the autoregressive page showed after the five next tokens ("Text so far: ...")
    trained: bool | None = None  # a trainer: whether the server let them train (None: not a trainer)
    error: str = ""  # a failure of the session itself (a timeout, a closed socket)


def _shows(run: Run, text: str) -> bool:
    return any(text in shown for shown in run.texts)


async def lesson(
    server: str,
    i: int,
    start: asyncio.Barrier | None = None,
    think_s: float = 0.0,
    timeout_s: float = 300,
    other_pages: int = PAGES_EACH,
) -> Student:
    """One student's lesson: the masks page with their own sentence, five next tokens after their own prompt
    (one in ten then trains the character models live for 10 s each), the parallel page's iteration slider
    moved three times, then `other_pages` other pages with their main interaction twice each
    (seqviz/load/pages.py); between two interactions the student thinks
    for think_s on average (0.5 to 1.5 times it, seeded per student)."""
    student = Student(i)
    own = sentence(i)
    pauses = random.Random(i)

    async def act(interaction) -> Run:
        if student.runs and think_s:
            await asyncio.sleep(think_s * pauses.uniform(0.5, 1.5))
        run = await interaction
        student.runs.append(run)
        return run

    try:
        async with Session(server, timeout_s) as session:
            if start is not None:
                await start.wait()
            await act(session.open("Masks"))
            await act(session.type("sentence", own))
            prompt = " ".join(own.split()[:3])
            await act(session.open("Autoregressive"))
            await act(session.type("ar_prompt", prompt))
            for _ in range(NEXT_TOKENS):
                last = await act(session.click("ar_next"))
            student.own_input_shown = _shows(last, prompt.split()[-1])
            student.generated = next((text for text in last.texts if text.startswith(SO_FAR)), "")
            if i % TRAINERS_EVERY == TRAINERS_EVERY // 2:
                await act(session.choose("char_seconds", "10"))
                trained = await act(session.click("char_train"))
                student.trained = trained.ok and not any(BUSY in text for text in trained.texts)
            await act(session.open("Parallel"))
            await act(session.type("s2s_sentence", own))
            for move in range(SLIDER_MOVES):
                await act(session.set_slider("par_iterations", 9 - move))
            for k in range(other_pages):
                page = OTHER_PAGES[(i + k) % len(OTHER_PAGES)]
                await act(session.open(page.page))
                for j in range(ACTIONS_PER_PAGE):
                    await act(page.on(session, i * ACTIONS_PER_PAGE + j))
    except (TimeoutError, ConnectionError, OSError, KeyError) as error:
        student.error = f"{type(error).__name__}: {error}"
    return student


def cpu_seconds(pids: Sequence[int]) -> float:
    """CPU seconds the processes have used so far, all their threads."""
    total = 0.0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def resident_mb(pids: Sequence[int]) -> float:
    """Resident memory of the processes together (MB)."""
    total = 0.0
    for pid in pids:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(seconds: list[float]) -> dict:
    return {
        "n": len(seconds),
        "p50_ms": round(1000 * statistics.median(seconds), 1) if seconds else None,
        "p95_ms": round(1000 * percentile(seconds, 0.95), 1) if seconds else None,
        "max_ms": round(1000 * max(seconds), 1) if seconds else None,
    }


TRAINING = "train live"  # reported on its own: it lasts as long as the training by design


def _kind(action: str) -> str:
    """ "open Masks" -> "open a page", "type sentence" -> "type a sentence", ..."""
    verb = action.split()[0]
    if action == "click char_train":
        return TRAINING
    if action == "click ar_next":
        return "next token"
    kinds = {"open": "open a page", "type": "type a sentence", "click": "click a button", "slide": "move a slider"}
    return kinds.get(verb, "set a slider")


async def _sample_memory(pids: Sequence[int], peak: list[float], every_s: float = 0.5) -> None:
    while True:
        peak[0] = max(peak[0], resident_mb(pids))
        await asyncio.sleep(every_s)


async def classroom(
    server: str,
    sessions: int,
    pid: int | Sequence[int] | None = None,
    think_s: float = 0.0,
    timeout_s: float = 300,
    other_pages: int = PAGES_EACH,
) -> dict:
    """`sessions` students at once (released together) on the server, each thinking think_s on average
    between interactions; with the server's pid (or its replicas' pids), their CPU and memory too. -> the
    level's report"""
    pids = (pid,) if isinstance(pid, int) else tuple(pid or ())
    start_barrier = asyncio.Barrier(sessions)
    cpu0, rss0, peak = cpu_seconds(pids), resident_mb(pids), [0.0]
    sampler = asyncio.create_task(_sample_memory(pids, peak)) if pids else None
    wall0 = time.perf_counter()
    students = await asyncio.gather(
        *(lesson(server, i, start_barrier, think_s, timeout_s, other_pages) for i in range(sessions))
    )
    wall = time.perf_counter() - wall0
    if sampler is not None:
        sampler.cancel()
    runs = [run for student in students for run in student.runs]
    by_kind: dict[str, list[float]] = {}
    for run in runs:
        by_kind.setdefault(_kind(run.action), []).append(run.seconds)
    report = {
        "sessions": sessions,
        "think_s": think_s,
        "interactions": summary([run.seconds for run in runs if _kind(run.action) != TRAINING]),
        "by_interaction": {kind: summary(seconds) for kind, seconds in by_kind.items()},
        "wall_s": round(wall, 1),
        "failed_runs": sum(not run.ok for run in runs),
        "failed_sessions": [s.error for s in students if s.error],
        "pages_visited": sorted({run.page for run in runs}),
        "own_input_not_shown": [s.index for s in students if not s.own_input_shown],
        "generated": [s.generated for s in students],  # a browser beside the class must see the same
        "trainers": sum(s.trained is not None for s in students),
        "trainers_refused": sum(s.trained is False for s in students),
    }
    if pids:
        report["server"] = {
            "processes": len(pids),
            "cpu_s": round(cpu_seconds(pids) - cpu0, 1),
            "cpu_share_of_one_core": round((cpu_seconds(pids) - cpu0) / wall, 2),
            "rss_before_mb": round(rss0, 1),
            "rss_peak_mb": round(peak[0], 1),
        }
    return report


async def warm_up(servers: Sequence[str], timeout_s: float = 600) -> None:
    """Before a measurement: on each server (each replica at its own address, past nginx) one student whose
    lesson visits every page, so that models are loaded and the pages' first-open work is done."""
    for server in servers:
        student = await lesson(server, 0, timeout_s=timeout_s, other_pages=len(OTHER_PAGES))
        if student.error:
            raise RuntimeError(f"the warm-up on {server} failed: {student.error}")


BURST_ACTIONS = 3


async def burst(server: str, sessions: int, pid: int | Sequence[int] | None = None, timeout_s: float = 300) -> dict:
    """A class that arrives at one instant and does not pause: `sessions` sessions released together, session i
    opening page i (in turn over every page) and doing its main interaction three times at once, a new input
    each time (seqviz/load/pages.py). -> latencies of the opens and of the interactions, and the server's CPU
    per interaction"""
    pids = (pid,) if isinstance(pid, int) else tuple(pid or ())
    start = asyncio.Barrier(sessions)

    async def one(i: int) -> tuple[list[Run], str]:
        page, runs = PAGES[i % len(PAGES)], []
        try:
            async with Session(server, timeout_s) as session:
                await start.wait()
                runs.append(await session.open(page.page))
                for j in range(BURST_ACTIONS):
                    runs.append(await page.on(session, i * BURST_ACTIONS + j))
        except (TimeoutError, ConnectionError, OSError, KeyError) as error:
            return runs, f"{type(error).__name__}: {error}"
        return runs, ""

    cpu0, wall0 = cpu_seconds(pids), time.perf_counter()
    results = await asyncio.gather(*(one(i) for i in range(sessions)))
    wall = time.perf_counter() - wall0
    runs = [run for session_runs, _ in results for run in session_runs]
    opens = [run.seconds for run in runs if run.action.startswith("open")]
    actions = [run.seconds for run in runs if not run.action.startswith("open")]
    report = {
        "sessions": sessions,
        "open a page": summary(opens),
        "main interaction": summary(actions),
        "wall_s": round(wall, 1),
        "failed_runs": sum(not run.ok for run in runs),
        "failed_sessions": [error for _, error in results if error],
    }
    if pids:
        cpu = cpu_seconds(pids) - cpu0
        report["server"] = {"cpu_s": round(cpu, 1), "cpu_s_per_interaction": round(cpu / max(1, len(runs)), 3)}
    return report
