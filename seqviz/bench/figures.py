"""Figure cost: a 512-token attention heatmap, built and serialised as the page sends it to the browser; and
the character page's long inputs: 512 sampled characters and its attention over them."""

from __future__ import annotations

import statistics
import time

import numpy as np
import torch

from ..decoding.speed import HEADLINE_KV, KV_MODELS, random_lm
from ..viz.attention import attention_heatmap

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
    return {
        "figure_build_s": round(statistics.median(times[1:]), 3),
        "payload_bytes": len(payload),
        "tokens": FIGURE_TOKENS,
        "note": "attention_heatmap + to_json, head mean of the last layer, causal mask",
        "char_model": character_page_512(repeats),
    }


def character_page_512(repeats: int) -> dict:
    """Median seconds, after a warm-up, of what the character page does with long inputs: sample 512
    characters from its Transformer (the page's size, untrained weights), and compute and draw that
    Transformer's attention along the 512 characters (window_attention + heatmap + to_json)."""
    from ..data.chars import CharVocab
    from ..models.checkpoint import Checkpoint
    from ..models.layers import ModelConfig
    from ..training.charlm import KINDS, sample, window_attention

    text = "the cat sleeps on the mat. 小猫在垫子上睡觉。\n"
    vocab = CharVocab.from_text(text)
    architecture, size = KINDS["transformer"]
    torch.manual_seed(0)
    model = architecture(ModelConfig(vocab_size=len(vocab), pad_id=vocab.pad_id, **size)).eval()
    ckpt = Checkpoint(model, vocab, {}, {"name": "char_transformer"})
    sample_s, attention_s, continuation = [], [], ""
    for _ in range(repeats + 1):  # the first is warm-up
        start = time.perf_counter()
        continuation = sample(ckpt, "the ", FIGURE_TOKENS, seed=0)
        sample_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        chars, weights = window_attention(ckpt, ("the " + continuation).ljust(FIGURE_TOKENS, "."))
        attention_heatmap(weights.numpy(), chars, chars).to_json()
        attention_s.append(time.perf_counter() - start)
    return {
        "sample_512_s": round(statistics.median(sample_s[1:]), 3),
        "attention_512_s": round(statistics.median(attention_s[1:]), 3),
        "characters": FIGURE_TOKENS,
        "parameters": sum(p.numel() for p in model.parameters()),
    }
