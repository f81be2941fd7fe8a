"""A class opening the link the teacher just put on the wall: a freshly started server, sixteen sessions
asking for their pages at the same instant (released by one barrier, not staggered), several rounds with a
new server each. No session may show an exception box, and the server log must hold no traceback.

Before the start-up work moved ahead of the server (seqviz.ui.startup), this failed in every run:
plotly met a half-imported pandas, and two threads importing seqviz.viz deadlocked. The sessions speak
Streamlit's own websocket protocol (tests/protocol.py), so no browser stands between the barrier and the
server: every script run starts within a millisecond of the others."""

from __future__ import annotations

import json
import re

import pytest

from seqviz.load.protocol import open_together, run_sessions
from seqviz.ui.page import PAGES
from tests.browser.conftest import ARTIFACTS, Server
from tests.browser.test_pages_in_browser import ROUTES

pytestmark = pytest.mark.load

ZH = "lang=zh&present=1"
LESSON = ("", "Masks", "Seq2Seq", "Explorer")
# What the sixteen students of each round open, one round per fresh server: a lesson on masks and
# translation (before the fix, this mix failed in every round), every page in English and in Chinese
# presentation mode, and the lesson again, half of the class in Chinese.
CLASSES = (
    [(page, "") for _ in range(4) for page in LESSON],
    [(ROUTES[path], query) for path, *_ in PAGES for query in ("", ZH)],
    [(page, ZH if i % 2 else "") for i in range(4) for page in LESSON],
)
TROUBLE = re.compile(r"Traceback|Exception|Error\b|deadlock", re.IGNORECASE)


def test_a_fresh_server_survives_a_whole_class_opening_at_once():
    report = []
    for round_, pages in enumerate(CLASSES):
        assert len(pages) >= 16
        with Server(ARTIFACTS.parent / f"cold_start_{round_}.log") as server:
            runs = run_sessions(open_together(server.url, pages, timeout_s=300))
            log = server.log()
        report.append(
            {
                "round": round_,
                "slowest_s": round(max(r.seconds for r in runs), 1),
                "runs": [
                    {
                        "page": r.page or "home",
                        "query": r.query,
                        "title": r.title,
                        "s": round(r.seconds, 2),
                        "exceptions": r.exceptions,
                        "finished": r.finished,
                    }
                    for r in runs
                ],
            }
        )
        (ARTIFACTS.parent / "cold_start.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        for run in runs:
            where = f"round {round_}, page {run.page or 'home'!r} {run.query!r}"
            assert run.finished == "FINISHED_SUCCESSFULLY", f"{where}: the script run ended {run.finished or 'never'}"
            assert not run.exceptions, f"{where}: exception box {run.exceptions}"
            assert run.title.startswith("seqviz"), f"{where}: the page set no title: {run.title!r}"
        trouble = [line for line in log.splitlines() if TROUBLE.search(line)]
        assert not trouble, f"round {round_}: the server log reports trouble:\n" + "\n".join(trouble[:20])
        drawn = sum((run.elements for run in runs), start=type(runs[0].elements)())
        assert drawn["plotly_chart"] and drawn["vega_lite_chart"], (
            f"the class must draw plotly and altair figures: {drawn}"
        )
