"""Timing page interactions through Streamlit's AppTest (used by `python -m seqviz.bench`): the time from a
widget change to the end of the rerun it triggers, models loaded and caches warm."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def opened(page: str) -> AppTest:
    """The page opened from app.py, as a user following a link would."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.run()
    app.switch_page(page)
    app.run()
    if app.exception:
        raise RuntimeError(f"{page} raised on opening: {app.exception}")
    return app


def rerun_ms(app: AppTest, interact: Callable[[AppTest, int], object], repeats: int, warmup: int = 2) -> float:
    """Median ms of `interact(app, i)` (a widget change that ends with .run()) on an opened page, after
    warm-up."""
    times = []
    for i in range(warmup + repeats):
        start = time.perf_counter()
        interact(app, i)
        if app.exception:
            raise RuntimeError(f"the page raised: {app.exception}")
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def next_token_ms(repeats: int, warmup: int = 2) -> float:
    """One "Next token" click on the autoregressive page."""
    app = opened("pages/5_Autoregressive.py")
    return rerun_ms(app, lambda app, i: app.button(key="ar_next").click().run(), repeats, warmup)


def mask_predict_iteration_ms(repeats: int, warmup: int = 2) -> float:
    """Moving the mask-predict iteration slider on the parallel page (alternately 9 and 10 iterations)."""
    app = opened("pages/8_Parallel.py")
    return rerun_ms(app, lambda app, i: app.slider(key="par_iterations").set_value(9 + i % 2).run(), repeats, warmup)


def masks_page_ms(repeats: int, warmup: int = 2) -> float:
    """Choosing another mask in the masks page's scores-to-weights pipeline (alternately two masks)."""
    app = opened("pages/2_Masks.py")
    return rerun_ms(app, lambda app, i: app.selectbox(key="pipeline_mask").select_index(i % 2).run(), repeats, warmup)


LENS_SENTENCES = ("the small cat sees the dog", "the dogs that the cat sees run")
ABLATED_MODELS = ("toy_mlm", "toy_transformer_mt")


def inside_ms(repeats: int, warmup: int = 2) -> dict[str, float]:
    """Three interactions of the Inside page, one after another on one session: moving the held-out example
    slider (pairs 2 and 3 in turn), typing another logit-lens sentence (two in turn), and switching the
    ablation grid between the translator and the masked LM."""
    app = opened("pages/15_Inside.py")
    return {
        "example": rerun_ms(
            app, lambda app, i: app.slider(key="ins_example").set_value(2 + i % 2).run(), repeats, warmup
        ),
        "lens_text": rerun_ms(
            app, lambda app, i: app.text_input(key="ins_lens_text").input(LENS_SENTENCES[i % 2]).run(), repeats, warmup
        ),
        "ablated_model": rerun_ms(
            app,
            lambda app, i: app.segmented_control(key="ins_ablate_model").set_value(ABLATED_MODELS[i % 2]).run(),
            repeats,
            warmup,
        ),
    }
