"""Benchmarks: what the app claims, measured as ratios within one run.

    python -m seqviz.bench [--quick] [--device auto|cpu|cuda] [--threads N] [--json FILE] [--only SECTION ...]

Sections: the KV cache (generation with the cache vs recomputing every prefix, identical tokens required),
parallel vs autoregressive decoding (speed at batch 1 and 64, and quality of the shipped models), the fast
attention path (fused kernel vs the explicit computation that returns weights), page interactions through
Streamlit's AppTest, a 512-token attention figure, training each built-in model to its quality bar (full
mode only) and a peer comparison with Hugging Face `generate()` (when transformers is installed).
Method: fixed seeds and thread count, warm-up runs, device synchronisation around every run, compared runs
in interleaved rounds, medians; model building, tokenisation and input preparation stay outside the timed
region. The full run also writes docs/benchmarks.md.
"""

from .cli import main

__all__ = ["main"]
