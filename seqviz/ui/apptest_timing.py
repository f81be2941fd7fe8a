"""Timing a page interaction through Streamlit's AppTest (used by `python -m seqviz.bench`)."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest


def next_token_page_rerun_ms(repeats: int) -> float:
    """Median ms of one "Next token" click on the autoregressive page, whole-page rerun in AppTest."""
    app = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=300)
    app.run()
    app.switch_page("pages/3_Autoregressive.py")
    app.run()
    app.button(key="ar_next").click().run()  # warm-up: models loaded, caches filled
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        app.button(key="ar_next").click().run()
        times.append((time.perf_counter() - start) * 1000)
        if app.exception:
            raise RuntimeError(f"the page raised: {app.exception}")
    times.sort()
    return round(times[len(times) // 2], 1)
