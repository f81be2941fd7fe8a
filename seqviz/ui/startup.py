"""Once per server process, before any session's script runs: every import and one-time initialisation the
pages need.

Why: a class opening the link at once starts one page script per student, each in its own thread, on a
server that has imported nothing yet. Python's per-module import locks do not make that first use safe.
Two threads importing a package and one of its submodules in different orders deadlock, and the import
system then hands one of them a half-initialised module. Libraries also import on first use, inside a
call: plotly asks for pandas while it builds a figure, and gets `partially initialized module 'pandas'`
when another session is still importing it. It then marks pandas as missing for the rest of the process.
Altair loads the Vega-Lite schema and its validators the first time it checks a chart. Kaleido,
transformers and torch's thread pool set themselves up on first use too. So the server does all of it in
one thread before it accepts a connection (`python -m seqviz.ui.serve`, which `make run` and the tests
use). `setup_page` calls `warm_up` as well: a no-op after the first time, and the same state for AppTest or
a bare `streamlit run app.py`, where it happens when the first page opens.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import PIL.Image
import torch

from .. import shared
from ..device import serving_threads

# Imported by the libraries inside a call (plotly, altair, Streamlit's chart and table elements, kaleido's
# export, safetensors' loader) rather than when they are imported. Optional ones are skipped when absent.
LAZY_IMPORTS = (
    "pandas",
    "pyarrow",
    "narwhals",
    "narwhals.stable.v1",
    "narwhals._pandas_like.dataframe",
    "plotly.io",
    "plotly.io._json",
    "plotly.io._templates",
    "plotly.tools",
    "plotly.utils",
    "plotly.subplots",
    "_plotly_utils.utils",
    "_plotly_utils.optional_imports",
    "altair",
    "altair.utils.schemapi",
    "jsonschema",
    "jsonschema.validators",
    "safetensors.torch",
    "torch.utils.serialization",
    "streamlit.emojis",
    "streamlit.material_icon_names",
    "streamlit.runtime.scriptrunner.magic_funcs",
    "streamlit.components.v2.manifest_scanner",
    "encodings.idna",
    "kaleido",
    "choreographer",
)

# the figure classes of the traces seqviz draws, and of the layout
PLOTLY_CLASSES = (
    "plotly.graph_objs.layout",
    "plotly.graph_objs.heatmap",
    "plotly.graph_objs.bar",
    "plotly.graph_objs.scatter",
)


@dataclass(frozen=True)
class WarmUp:
    seconds: float
    modules: int  # modules imported by the warm-up
    threads: int  # torch CPU threads of this process


_lock = threading.Lock()
_done: WarmUp | None = None


def warm_up() -> WarmUp:
    """Idempotent and thread-safe: the first caller does the work, any caller arriving meanwhile waits."""
    global _done
    if _done is not None:  # every page run asks: no lock once the work is done
        return _done
    with _lock:
        if _done is None:
            _done = _warm()
        return _done


def _warm() -> WarmUp:
    start, before = time.perf_counter(), len(sys.modules)
    torch.set_num_threads(serving_threads(shared=shared.current().on))  # sessions run side by side
    # the page modules' @st.cache_data decorators look for a runtime when they are applied; before the
    # server has started there is none yet, and Streamlit warns so (each cache binds to the runtime's
    # storage at its first call, not here)
    no_runtime = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    no_runtime.addFilter(_not_about_the_runtime)
    try:
        for name in LAZY_IMPORTS:
            if importlib.util.find_spec(name.split(".")[0]) is not None:
                importlib.import_module(name)
        for package in PLOTLY_CLASSES:  # plotly imports its figure classes on first attribute access
            _import_all(package)
        from .. import ui

        for module in pkgutil.walk_packages(ui.__path__, prefix=f"{ui.__name__}."):  # sub-packages too
            importlib.import_module(module.name)
    finally:
        no_runtime.removeFilter(_not_about_the_runtime)
    from ..explorer.loading import prepare_transformers

    prepare_transformers()
    _first_figures()
    _first_training_step()
    PIL.Image.preinit()  # the image plugins, loaded when a first PNG (the page icon) is saved
    return WarmUp(round(time.perf_counter() - start, 2), len(sys.modules) - before, torch.get_num_threads())


def _import_all(package: str) -> None:
    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        importlib.import_module(module.name)


def _first_training_step() -> None:
    """torch imports its compiler stack (torch._dynamo, ~800 modules, 1 s) when a first optimiser is made:
    two students pressing "Train" on a fresh server would otherwise import it at the same time."""
    with torch.random.fork_rng(devices=[]):  # the global generator stays as it was
        layer = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(layer.parameters())
    layer(torch.zeros(1, 2)).sum().backward()
    torch.nn.utils.clip_grad_norm_(layer.parameters(), 1.0)
    optimizer.step()


def _not_about_the_runtime(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("No runtime found")


def _first_figures() -> None:
    """One figure of each kind, serialised as Streamlit sends it: plotly's validators, templates and JSON
    encoder, and altair's schema validation, initialise here rather than in a session."""
    import plotly.io as pio
    import streamlit.elements.lib.streamlit_plotly_theme  # noqa: F401  (registers the "streamlit" template)

    from ..viz.attention import attention_heatmap, head_grid
    from ..viz.bars import topk_bars
    from ..viz.curves import accuracy_curves, loss_curves
    from ..viz.positions import line_figure
    from ..viz.static_export import static_export_available

    labels = ["a", "b"]
    weights = np.full((1, 1, 2, 2), 0.5)  # (L, H, Tq, Tk)
    figures = (
        attention_heatmap(weights[0, 0], labels, labels, "warm-up"),
        head_grid(weights, labels, labels, "warm-up"),
        topk_bars(["a", "b"], [0.6, 0.4], "warm-up"),
        line_figure({"a": ([0, 1], [0.0, 1.0])}, "warm-up"),
    )
    for fig in figures:
        pio.to_json(fig, validate=False)
        fig.to_json()
    for chart in (
        loss_curves([{"step": 1, "loss": 1.0, "series": "a"}]),
        accuracy_curves([{"step": 1, "accuracy": 0.5, "series": "a"}]),
    ):
        chart.to_dict()
    static_export_available()  # looks for a browser for kaleido once (the SVG buttons ask on every figure)
