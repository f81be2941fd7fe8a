"""The page guard (`python -m seqviz.bench --only pages`): the CPU one rerun of each page's main interaction
costs (seqviz/load/pages.py: a new sentence typed, a slider moved, a button clicked), as a multiple of a minimal
page's rerun measured in the same run (MINIMAL_PAGE below), against a budget per page, so that a new page or a
heavier section cannot silently multiply what a class costs the server.

Through Streamlit's AppTest in this process: process CPU (all threads) around each rerun, models loaded and
caches warm, median after warm-up. AppTest reruns the whole page even where a browser would rerun one fragment,
so these are whole-page reruns; `python -m seqviz.load --per-page` measures what a served page costs."""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ..load.pages import PAGES, PageInteraction

ROOT = Path(__file__).resolve().parents[2]
# The floor: a minimal Streamlit page with one text box and a heatmap of the typed words, drawn the way seqviz
# draws figures. Run from this text by AppTest (a file in seqviz/ui would be imported, so run, by the warm-up).
MINIMAL_PAGE = """
import numpy as np
import streamlit as st

from seqviz.viz.attention import attention_heatmap

words = st.text_input("Sentence", "the small cat sees the dog", key="sentence").split() or ["(empty)"]
weights = np.tril(np.ones((len(words), len(words))))
weights /= weights.sum(-1, keepdims=True)  # (T, T) causal attention, uniform over what each word may see
st.plotly_chart(attention_heatmap(weights, words, words, "uniform causal attention"), key="heatmap")
"""
# page -> at most this many minimal reruns per rerun of its main interaction (whole page, AppTest): about twice
# what each page measured when the guard was set (issue 36, 2026-12-06), so that a doubling fails and noise
# does not. A new page needs its line here (the benchmark's test fails without one).
BUDGETS: dict[str, float] = {
    "home": 14,
    "Lessons": 35,
    "Masks": 25,
    "Autoencoding": 28,
    "Autoencoders": 35,  # 13.2 measured (quick, issue 39)
    "Autoregressive": 22,
    "Recurrent": 38,
    "Seq2Seq": 85,
    "Parallel": 25,
    "Fusions": 50,
    "Diffusion": 34,
    "Pixels": 30,
    "Signals": 45,  # 21.2 measured (issue 40): a new series is forecast five ways, 100 sampled paths
    "Positions": 42,
    "Prompt": 30,  # 13.9–15.2 measured (issue 41): a new sequence through the model, four 65 × 65 attention maps
    "Inside": 130,
    "Explorer": 10,
}


def script(page: str) -> str:
    """A page's file ("Masks" -> "pages/2_Masks.py"; "" -> "app.py")."""
    if not page:
        return "app.py"
    return next(path for path in (ROOT / "pages").glob(f"*_{page}.py")).relative_to(ROOT).as_posix()


def act(app: AppTest, interaction: PageInteraction, i: int) -> None:
    """The i-th main interaction, through AppTest."""
    if interaction.kind == "click":
        button = app.button(key=interaction.key)
        if not button.disabled:  # at a lesson's last step Next is disabled: the rerun alone is timed
            button.click()
    elif interaction.kind == "type":
        app.text_input(key=interaction.key).input(interaction.value(i))
    elif interaction.kind == "slide":
        app.slider(key=interaction.key).set_value(interaction.value(i))
    app.run()
    if app.exception:
        raise RuntimeError(f"{interaction.page or 'home'}: {interaction.what} raised {app.exception[0].message}")


def rerun_cpu_ms(app: AppTest, interaction: PageInteraction, repeats: int, warmup: int) -> float:
    """Median process CPU (ms) of one rerun, after warm-up. The garbage the pages measured before left is
    collected before each rerun, so a full collection of it is not charged to this page's interaction (in a
    quick run of one rerun per page, it once made a page cost three times its budget)."""
    costs = []
    for i in range(warmup + repeats):
        gc.collect()
        start = time.process_time()
        act(app, interaction, i)
        if i >= warmup:
            costs.append((time.process_time() - start) * 1000)
    return statistics.median(costs)


def opened(path: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    app.run()
    if path != "app.py":
        app.switch_page(path)
        app.run()
    if app.exception:
        raise RuntimeError(f"{path} raised on opening: {app.exception[0].message}")
    return app


def page_costs(repeats: int, warmup: int) -> dict:
    """Every page's rerun CPU (ms) and its multiple of the minimal page's, with the budgets."""
    minimal = AppTest.from_string(MINIMAL_PAGE, default_timeout=60)
    minimal.run()
    floor = PageInteraction("minimal", "type a sentence", "type", "sentence")
    minimal_ms = rerun_cpu_ms(minimal, floor, max(repeats, 5), warmup)  # the floor: the ratio's denominator
    pages = {}
    for interaction in PAGES:
        app = opened(script(interaction.page))
        ms = rerun_cpu_ms(app, interaction, repeats, warmup)
        name = interaction.page or "home"
        pages[name] = {
            "interaction": interaction.what,
            "cpu_ms": round(ms, 1),
            "times_minimal": round(ms / minimal_ms, 2),
            "budget": BUDGETS.get(name),
        }
    return {
        "minimal_cpu_ms": round(minimal_ms, 2),
        "pages": pages,
        "runs": repeats,
        "warm_up_runs": warmup,
        "method": "AppTest, process CPU around one whole-page rerun of the page's main interaction, median; "
        "budgets in reruns of a minimal page (a text box and one heatmap) measured in the same run",
    }
