"""Figure cost: a 512-token attention heatmap, built and serialised as the page sends it to the browser."""

from __future__ import annotations

import statistics
import time

import numpy as np
import torch

from ..viz.attention import attention_heatmap
from .decoding import HEADLINE_KV, KV_MODELS, random_lm

FIGURE_TOKENS = 512


def attention_512(repeats: int) -> dict:
    """Median seconds to build the last layer's head-mean causal attention heatmap over 512 tokens and
    serialise it to JSON (the attention itself is computed once, outside the timed region), and its size."""
    model = random_lm(KV_MODELS[HEADLINE_KV], FIGURE_TOKENS, "cpu")
    ids = torch.randint(0, 64, (1, FIGURE_TOKENS), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        weights = model(ids, need_weights=True).self_attention[-1][0].mean(0).numpy()  # (T, T)
    labels = [f"t{i}" for i in range(FIGURE_TOKENS)]
    future = np.triu(np.ones_like(weights, dtype=bool), 1)
    times, payload = [], b""
    for _ in range(repeats + 1):  # the first is warm-up
        start = time.perf_counter()
        payload = attention_heatmap(weights, labels, labels, masked=future).to_json().encode()
        times.append(time.perf_counter() - start)
    return {"figure_build_s": round(statistics.median(times[1:]), 3), "payload_bytes": len(payload),
            "tokens": FIGURE_TOKENS, "note": "attention_heatmap + to_json, head mean of the last layer, causal mask"}
