"""The server's start-up work (seqviz.ui.startup) and first use under concurrency: after warm_up, opening
every page imports no new module, and the cached models and computations are made once however many
sessions ask for them at the same instant, and never seen half-built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from seqviz.viz.lazy_figure import CHECK_FIGURES
from tests.pages.apptest_helpers import ROOT

# Run in a fresh interpreter: this process has imported everything already, which would hide a gap.
PROBE = textwrap.dedent("""
    import json, sys, threading
    sys.path.insert(0, {root!r})

    def new_modules(action):
        before = set(sys.modules)
        action()
        return sorted(set(sys.modules) - before)

    def one_figure_of_each_kind():
        import numpy as np
        import plotly.io as pio
        from seqviz.viz.attention import attention_heatmap
        from seqviz.viz.curves import loss_curves
        pio.to_json(attention_heatmap(np.eye(2), ["a", "b"], ["a", "b"], "t"), validate=False)
        loss_curves([{{"step": 1, "loss": 1.0, "series": "a"}}]).to_dict()

    import seqviz.viz.attention, seqviz.viz.curves  # imported, not yet used: what plotly/altair do on first use
    result = {{"lazy_without_warm_up": new_modules(one_figure_of_each_kind)}}

    from seqviz.ui.startup import warm_up
    results, barrier = [], threading.Barrier(8)
    def call():
        barrier.wait()
        results.append(warm_up())
    threads = [threading.Thread(target=call) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    result["warm_up_objects"] = len({{id(r) for r in results}})
    result["warm_up"] = {{"seconds": results[0].seconds, "modules": results[0].modules, "threads": results[0].threads}}

    def open_every_page():
        from streamlit.testing.v1 import AppTest
        from seqviz.ui.page import PAGES
        for lang in ("zh",):  # the Chinese edition reads both catalogues (English is its fallback)
            at = AppTest.from_file({app!r}, default_timeout=120)
            at.query_params["lang"] = lang
            at.run()
            for path, *_ in PAGES[1:]:
                at.switch_page(path)
                at.run()
                assert not at.exception, (path, lang, at.exception)
        one_figure_of_each_kind()
        from seqviz.training.charlm import KINDS, train_char_model  # a live training's first optimiser step
        for kind in KINDS:
            train_char_model("the cat sleeps. " * 40, kind, seconds=5, max_steps=1)

    result["lazy_after_warm_up"] = new_modules(open_every_page)
    print("RESULT " + json.dumps(result))
""")


@pytest.fixture(scope="module")
def probe() -> dict:
    code = PROBE.format(root=str(ROOT), app=str(ROOT / "app.py"))
    served = {name: value for name, value in os.environ.items() if name != CHECK_FIGURES}  # as the server runs
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=served, capture_output=True, text=True, timeout=300
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("RESULT "))


def test_plotly_and_altair_import_modules_on_first_use(probe):
    """What the warm-up is for: without it, the first figure imports plotly's and altair's machinery (their
    dataframe layer, narwhals, among it) inside a session's script run. If this ever comes out empty, the
    next test proves nothing."""
    late = probe["lazy_without_warm_up"]
    assert any(m.startswith(("_plotly_utils", "plotly.")) for m in late), late
    assert any(m.startswith(("narwhals", "altair", "jsonschema")) for m in late), late


def test_after_the_warm_up_every_page_and_figure_imports_nothing_new(probe):
    """Streamlit's test harness brings its own modules; nothing else may arrive once a session runs."""
    late = [m for m in probe["lazy_after_warm_up"] if not m.startswith("streamlit.testing")]
    assert late == [], f"imported on first use, after the start-up: add them to seqviz.ui.startup: {late}"


def test_the_warm_up_runs_once_when_many_threads_ask_at_once(probe):
    assert probe["warm_up_objects"] == 1
    assert probe["warm_up"]["modules"] > 500 and probe["warm_up"]["threads"] >= 1


def _together(n: int, call) -> list:
    """Run `call` in n threads released at one instant; their results in order of finishing."""
    barrier, results = threading.Barrier(n), []

    def run():
        barrier.wait()
        results.append(call())

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_model_asked_for_by_a_whole_class_at_once_loads_once_and_whole(monkeypatch):
    from seqviz.models.checkpoint import load_builtin
    from seqviz.ui import models

    loads = []

    def slow_load(name, device):
        loads.append(name)
        ckpt = load_builtin(name, device)
        time.sleep(0.3)  # a wide window for a second session to slip in
        return ckpt

    monkeypatch.setattr(models, "load_builtin", slow_load)
    models.builtin_model.clear()
    try:
        got = _together(12, lambda: models.builtin_model("digits_reverse", "cpu"))
        assert loads == ["digits_reverse"], f"loaded {len(loads)} times"
        assert len(got) == 12 and all(ckpt is got[0] for ckpt in got)
        assert not any(p.requires_grad for p in got[0].model.parameters())  # frozen before anyone saw it
    finally:
        models.builtin_model.clear()


def test_a_cached_computation_asked_for_at_once_is_computed_once(monkeypatch):
    """st.cache_data keeps a lock per key: concurrent first calls wait for the one computing."""
    from seqviz.ui import autoregressive

    calls, real = [], autoregressive.generate

    def counted_generate(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(autoregressive, "generate", counted_generate)
    measure = autoregressive.measure_kv_cache
    try:
        measure.clear()
        alone = measure("cpu", (8, 16))
        once, calls[:] = len(calls), []
        measure.clear()
        got = _together(6, lambda: measure("cpu", (8, 16)))
        assert len(got) == 6 and all(result.keys() == alone.keys() for result in got)
        assert len(calls) == once, f"{len(calls)} generate calls where one computation makes {once}"
    finally:
        measure.clear()


def test_explorer_models_load_one_at_a_time(monkeypatch):
    """transformers imports an architecture's modules on its first load; loads must not overlap."""
    from seqviz.explorer import loading as explorer

    inside, overlaps = [0], []

    def fake_load(source, device):
        inside[0] += 1
        overlaps.append(inside[0])
        time.sleep(0.05)
        inside[0] -= 1
        return source

    monkeypatch.setattr(explorer, "transformers_available", lambda: True)
    monkeypatch.setattr(explorer, "prepare_transformers", lambda: None)
    monkeypatch.setattr(explorer, "_load", fake_load)
    got = _together(6, lambda: explorer.load_model(" models/tiny ", "cpu"))
    assert sorted(got) == ["models/tiny"] * 6 and max(overlaps) == 1
