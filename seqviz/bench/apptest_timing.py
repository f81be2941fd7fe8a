"""Timing page interactions through Streamlit's AppTest (used by `python -m seqviz.bench`): the time from a
widget change to the end of the rerun it triggers, models loaded and caches warm."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def rerun_ms(page: str, interact: Callable[[AppTest, int], object], repeats: int, warmup: int = 2) -> float:
    """Median ms of `interact(app, i)` (a widget change that ends with .run()) on `page`, after warm-up."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.run()
    app.switch_page(page)
    app.run()
    if app.exception:
        raise RuntimeError(f"{page} raised on opening: {app.exception}")
    times = []
    for i in range(warmup + repeats):
        start = time.perf_counter()
        interact(app, i)
        if app.exception:
            raise RuntimeError(f"{page} raised: {app.exception}")
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def next_token_ms(repeats: int) -> float:
    """One "Next token" click on the autoregressive page."""
    return rerun_ms("pages/3_Autoregressive.py", lambda app, i: app.button(key="ar_next").click().run(), repeats)


def mask_predict_iteration_ms(repeats: int) -> float:
    """Moving the mask-predict iteration slider on the parallel page (alternately 9 and 10 iterations)."""
    return rerun_ms(
        "pages/5_Parallel.py", lambda app, i: app.slider(key="par_iterations").set_value(9 + i % 2).run(), repeats
    )


def masks_page_ms(repeats: int) -> float:
    """Choosing another mask in the masks page's scores-to-weights pipeline (alternately two masks)."""
    return rerun_ms(
        "pages/1_Masks.py", lambda app, i: app.selectbox(key="pipeline_mask").select_index(i % 2).run(), repeats
    )


def inside_example_ms(repeats: int) -> float:
    """Moving the held-out example slider on the Inside page (alternately pairs 2 and 3)."""
    return rerun_ms(
        "pages/10_Inside.py", lambda app, i: app.slider(key="ins_example").set_value(2 + i % 2).run(), repeats
    )


def inside_lens_ms(repeats: int) -> float:
    """Typing another sentence into the Inside page's logit lens (alternately two sentences)."""
    sentences = ("the small cat sees the dog", "the dogs that the cat sees run")
    return rerun_ms(
        "pages/10_Inside.py", lambda app, i: app.text_input(key="ins_lens_text").input(sentences[i % 2]).run(), repeats
    )


def inside_ablated_model_ms(repeats: int) -> float:
    """Switching the Inside page's ablation grid between the translator and the masked LM."""
    models = ("toy_mlm", "toy_transformer_mt")
    return rerun_ms(
        "pages/10_Inside.py",
        lambda app, i: app.segmented_control(key="ins_ablate_model").set_value(models[i % 2]).run(),
        repeats,
    )
