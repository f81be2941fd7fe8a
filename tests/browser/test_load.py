"""A classroom at once: 20 concurrent browser sessions on one server, each opening a page and driving it.
Every session must end with no exception box, show only its own input (no state crossing between
sessions) and make no request off the machine. Interaction latency (action -> page settled) is written to
artifacts/load.json with its p50 and p95, overall and per action, beside the CPU time the server used: the
twenty browsers run on the same cores here, where in a classroom each runs on a student's own laptop."""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from seqviz.load.classroom import NEXT_TOKENS, OTHER_PAGES, SO_FAR, sentence
from tests.browser.conftest import ARTIFACTS, CHROMIUM_ARGS, _chromium, note_outside, summarise
from tests.browser.test_pages_in_browser import _IDLE

pytestmark = [pytest.mark.browser, pytest.mark.load]

SESSIONS = 20
TIME_LIMIT_S = 1200  # a backstop against a hang, not a speed bound: the whole test takes about 3 minutes here
ROUTES = {
    "masks": "Masks",
    "autoencoding": "Autoencoding",
    "autoregressive": "Autoregressive",
    "seq2seq": "Seq2Seq",
    "parallel": "Parallel",
}  # what each session opens, in turn


async def settle(page, timeout_s: float = 240) -> None:
    waited, steady = 0.0, 0
    while steady < 2:
        if waited > timeout_s:
            raise AssertionError(f"page did not settle within {timeout_s} s")
        steady = steady + 1 if await page.evaluate(_IDLE) else 0
        await page.wait_for_timeout(400)
        waited += 0.4


async def timed(page, name: str, action, latencies: list[tuple[str, float]]) -> None:
    start = time.perf_counter()
    await action()
    await page.wait_for_timeout(300)  # let the rerun start before asking whether it has finished
    await settle(page)
    latencies.append((name, time.perf_counter() - start - 0.3))


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds used so far by one process (all its threads), or by the whole machine when pid is None."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is None:
        user, nice, system = (int(v) for v in open("/proc/stat").readline().split()[1:4])
        return (user + nice + system) / ticks
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def summary(seconds: list[float]) -> dict:
    seconds = sorted(seconds)
    return {
        "n": len(seconds),
        "p50_s": round(statistics.median(seconds), 2),
        "p95_s": round(seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))], 2),
    }


async def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    await box.fill(text)
    await box.press("Enter")


async def drive(context, server: str, i: int, latencies: list[tuple[str, float]]) -> dict:
    """One student, in a tab of their own (a session of their own on the server): open a page, interact,
    then check the page shows this session's own input."""
    outside: list[str] = []
    page = await context.new_page()
    note_outside(page, urlparse(server).netloc, outside)
    own = sentence(i)
    kind = tuple(ROUTES)[i % len(ROUTES)]
    route = ROUTES[kind]
    await timed(page, "open page", lambda: page.goto(f"{server}/{route}", timeout=240_000), latencies)
    if kind == "masks":
        await timed(page, "type a sentence", lambda: type_into(page, "Sentence", own), latencies)
        label = "Sentence"
    elif kind == "autoencoding":
        await timed(page, "type a sentence", lambda: type_into(page, "Sentence", own), latencies)
        word = page.get_by_role("button", name=own.split()[2], exact=True).first
        await timed(page, "mask a word", lambda: word.click(), latencies)
        label = "Sentence"
    elif kind == "autoregressive":
        own = " ".join(own.split()[:3])
        await timed(
            page, "type a sentence", lambda: type_into(page, "Prompt (empty = start of a sentence)", own), latencies
        )
        for _ in range(3):
            await timed(page, "next token", lambda: page.get_by_role("button", name="Next token").click(), latencies)
        if i % 10 == 2:  # two of the class start a short live training
            seconds = page.get_by_label("Training time per model (seconds)", exact=True)
            await timed(page, "set a slider", lambda: seconds.press("Home"), latencies)  # the shortest: 10 s
            await timed(
                page, "train 2 × 10 s", lambda: page.get_by_role("button", name="Train both").click(), latencies
            )
        label = "Prompt (empty = start of a sentence)"
    elif kind == "seq2seq":
        await timed(page, "type a sentence", lambda: type_into(page, "English sentence", own), latencies)
        label = "English sentence"
    else:
        await timed(page, "type a sentence", lambda: type_into(page, "English sentence", own), latencies)
        slider = page.get_by_label("Mask-predict iterations T", exact=True)
        await slider.focus()
        for _ in range(3):
            await timed(page, "set a slider", lambda: slider.press("ArrowLeft"), latencies)
        label = "English sentence"
    shown = await page.get_by_label(label, exact=True).input_value()
    exceptions = await page.locator('[data-testid="stException"]').count()
    await page.close()
    return {"session": i, "page": kind, "own": own, "shown": shown, "exceptions": exceptions, "outside": outside}


async def classroom(server: str) -> tuple[list[dict], list[tuple[str, float]]]:
    from playwright.async_api import async_playwright

    latencies: list[tuple[str, float]] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        # One browser profile, a tab per student: the server sees twenty sessions, and the browser compiles
        # the app's scripts once instead of twenty times (the machine's two cores are the server's too).
        context = await browser.new_context(viewport={"width": 1300, "height": 900})
        context.set_default_timeout(180_000)  # twenty sessions share 2 cores: everything waits its turn
        warm = await context.new_page()  # the teacher opens each page once before the class arrives: models load
        for route in ROUTES.values():
            await warm.goto(f"{server}/{route}", timeout=240_000)
            await settle(warm)
        await warm.close()
        results = await asyncio.wait_for(
            asyncio.gather(*(drive(context, server, i, latencies) for i in range(SESSIONS))), TIME_LIMIT_S
        )
        await browser.close()
    return results, latencies


def test_twenty_concurrent_sessions_keep_their_own_state(server_process, browser):
    """`browser` is requested only so that a missing Chromium skips (or, in CI, fails) this test clearly."""
    start, server_cpu, machine_cpu = time.perf_counter(), cpu_seconds(server_process.pid), cpu_seconds()
    with ThreadPoolExecutor(1) as pool:  # a thread of its own: the sync `browser` fixture holds this one's loop
        results, latencies = pool.submit(asyncio.run, classroom(server_process.url)).result()
    wall_s = time.perf_counter() - start
    server_cpu, machine_cpu = cpu_seconds(server_process.pid) - server_cpu, cpu_seconds() - machine_cpu
    report = {
        "sessions": SESSIONS,
        **summary([s for _, s in latencies]),
        "max_s": round(max(s for _, s in latencies), 2),
        "wall_s": round(wall_s, 1),
        "cores": os.cpu_count(),
        "server_cpu_s": round(server_cpu, 1),
        "machine_cpu_s": round(machine_cpu, 1),
        "server_share_of_cpu": round(server_cpu / machine_cpu, 2),
        "by_action": {name: summary([s for n, s in latencies if n == name]) for name in dict(latencies)},
    }
    ARTIFACTS.parent.mkdir(exist_ok=True)
    (ARTIFACTS.parent / "load.json").write_text(json.dumps({**report, "sessions_detail": results}, indent=1))
    summarise(f"load test: {report}")
    for r in results:
        assert r["exceptions"] == 0, r
        assert r["shown"] == r["own"], f"session {r['session']} shows another session's input: {r}"
        assert not r["outside"], r


PROTOCOL_SESSIONS, PROTOCOL_THINK_S = 12, 1.0  # a short protocol-level class for CI (python -m seqviz.load: more)
PROTOCOL_OTHER_PAGES = -(
    -len(OTHER_PAGES) // PROTOCOL_SESSIONS
)  # pages per student besides the lesson: the class covers them all
TWIN = 3  # the student whose lesson a real browser repeats beside the class


def shown_words(markdown_text: str) -> str:
    """ "Text so far: the old **:blue[cat]** ..." as a browser renders it: "Text so far: the old cat ..." """
    return " ".join(re.sub(r"\*\*:blue\[(.*?)\]\*\*", r"\1", markdown_text).replace("\\", "").split())


def browser_twin(browser, server: str, prompt: str) -> str:
    """A real browser does what the protocol student does on the autoregressive page -> its text so far."""
    from tests.browser.test_pages_in_browser import _wait_until_idle

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/Autoregressive", timeout=240_000)
        _wait_until_idle(page, 240)
        box = page.get_by_label("Prompt (empty = start of a sentence)", exact=True)
        box.fill(prompt)
        box.press("Enter")
        page.wait_for_timeout(500)
        _wait_until_idle(page, 240)
        for _ in range(NEXT_TOKENS):
            page.get_by_role("button", name="Next token").click()
            page.wait_for_timeout(500)
            _wait_until_idle(page, 240)
        return " ".join(page.get_by_text(SO_FAR).first.inner_text().split())
    finally:
        context.close()


def test_a_protocol_level_class_keeps_its_own_state_and_a_browser_beside_it_sees_the_same(server_process, browser):
    """Twelve sessions without browsers, released together, each a lesson's worth of interactions: none fails,
    each sees its own input; the report (latency per interaction, the server's CPU and memory) is written.
    Fidelity: a real browser repeats one student's prompt and five next tokens while the class runs, and its
    page must show what that student's protocol session was sent."""
    from seqviz.load.__main__ import markdown
    from seqviz.load.classroom import classroom

    with ThreadPoolExecutor(1) as pool:  # the class in a thread of its own; the browser in this one
        running = pool.submit(
            asyncio.run,
            classroom(
                server_process.url, PROTOCOL_SESSIONS, server_process.pid, PROTOCOL_THINK_S, 300, PROTOCOL_OTHER_PAGES
            ),
        )
        in_browser = browser_twin(browser, server_process.url, " ".join(sentence(TWIN).split()[:3]))
        level = running.result()
    report = {"cores": os.cpu_count(), "levels": [level]}
    (ARTIFACTS.parent / "load_protocol.json").write_text(json.dumps(report, indent=1))
    summarise(f"protocol load:\n{markdown(report)}\nbrowser twin: {in_browser}")
    assert level["failed_runs"] == 0 and not level["failed_sessions"], level
    assert not level["own_input_not_shown"], level
    interactions = level["by_interaction"]
    assert interactions["next token"]["n"] == PROTOCOL_SESSIONS * 5 and interactions["move a slider"]["n"] >= 36
    assert set(level["pages_visited"]) >= {page.page for page in OTHER_PAGES}, level["pages_visited"]
    assert level["server"]["rss_peak_mb"] > 0 and level["server"]["cpu_s"] > 0
    assert level["trainers"] == 1 and level["trainers_refused"] == 0, level  # a laptop server: no limits
    twin = shown_words(level["generated"][TWIN])
    assert twin.startswith(SO_FAR) and len(twin.split()) > len(SO_FAR.split()) + 3, twin
    assert in_browser == twin, f"the browser saw {in_browser!r}, its protocol twin {twin!r}"
