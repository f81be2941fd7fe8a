"""Peer comparison: our step decoder with the KV cache against Hugging Face transformers' `generate()`,
same GPT-2-style size, randomly initialised locally (nothing downloaded), greedy, same number of tokens."""

from __future__ import annotations

import torch

from ..decoding.autoregressive import generate
from ..decoding.speed import HEADLINE_KV, KV_MODELS, random_lm
from ..decoding.timing import measure_together

PEER_VOCAB = 64


def hf_peer(device, quick: bool) -> dict | None:
    """Ours / HF time for greedy generation of N tokens after a one-token prompt; None without transformers."""
    try:
        from transformers import GPT2Config, GPT2LMHeadModel
    except ImportError:
        return None
    size, tokens = KV_MODELS[HEADLINE_KV], 64 if quick else 256
    ours = random_lm(size, tokens + 1, device)
    config = GPT2Config(
        vocab_size=PEER_VOCAB,
        n_positions=tokens + 1,
        n_embd=size["d_model"],
        n_layer=size["n_layers"],
        n_head=size["n_heads"],
        n_inner=size["d_ff"],
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=1,
        eos_token_id=None,
        pad_token_id=0,
    )
    torch.manual_seed(0)
    peer = GPT2LMHeadModel(config).to(device).eval()
    prompt = torch.tensor([[1]], device=device)
    with torch.no_grad():
        t = measure_together(
            {
                "ours": lambda: generate(ours, prompt[0], tokens, greedy=True, use_cache=True),
                "hf": lambda: peer.generate(
                    prompt,
                    attention_mask=torch.ones_like(prompt),
                    max_new_tokens=tokens,
                    min_new_tokens=tokens,
                    do_sample=False,
                    use_cache=True,
                ),
            },
            device,
            2,
            5 if quick else 9,
        )
    import transformers

    return {
        "ours_over_hf_generate": round(t["ours"].median_ms / t["hf"].median_ms, 2),
        "ours_ms": round(t["ours"].median_ms, 2),
        "hf_ms": round(t["hf"].median_ms, 2),
        "tokens": tokens,
        "note": f"greedy generation of {tokens} tokens after a one-token prompt with the KV cache, {HEADLINE_KV}, "
        f"random weights; transformers {transformers.__version__} GPT2LMHeadModel.generate()",
    }
