"""Speculative decoding with the shipped models: toy_clm_draft guesses, toy_clm checks. Time per generated token
against toy_clm alone (its KV cache on), acceptance, and tokens per target pass, greedy and sampling."""

from __future__ import annotations

import torch

from ..decoding.processors import text_suppressor
from ..decoding.speculative import compare_with_plain
from ..models.checkpoint import load_builtin
from ..training.recipes import RECIPES
from ..training.splits import english_split_head

MODES = {"greedy": True, "sampling T=1": False}


def speculative(device, quick: bool) -> dict:
    target, draft = load_builtin("toy_clm", str(device)), load_builtin("toy_clm_draft", str(device))
    vocab = target.vocab
    n_prompts, ks, repeats = (4, (4,), 1) if quick else (20, (2, 4, 6), 3)
    # prompts: the first 1-3 words of held-out sentences, so greedy continuations differ
    sentences = english_split_head("test", n_prompts, **RECIPES["toy_clm"].data)
    prompts = [
        torch.tensor([vocab.bos_id, *vocab.encode(list(s)[: 1 + i % 3])], device=device)
        for i, s in enumerate(sentences)
    ]
    out = {
        "by_k": {},
        "draft_parameters": draft.metrics["parameters"],
        "target_parameters": target.metrics["parameters"],
        "prompts": n_prompts,
    }
    for k in ks:
        for mode, greedy in MODES.items():
            spec_ms = plain_ms = spec_tokens = plain_tokens = kept = guessed = passes = 0.0
            identical = True
            for seed, prompt in enumerate(prompts):
                c = compare_with_plain(
                    target.model,
                    draft.model,
                    prompt,
                    target.model.config.max_len,
                    k,
                    greedy,
                    [text_suppressor(vocab)],
                    vocab.eos_id,
                    seed,
                    warmup=1,
                    repeats=repeats,
                )
                spec_ms, plain_ms = spec_ms + c.speculative.median_ms, plain_ms + c.plain.median_ms
                spec_tokens += len(c.result.ids) - len(prompt)
                plain_tokens += len(c.plain_ids) - len(prompt)
                kept += sum(r.accepted for r in c.result.rounds)
                guessed += c.result.draft_passes
                passes += c.result.target_passes
                identical &= c.identical or not greedy
            out["by_k"].setdefault(str(k), {})[mode] = {
                "speedup": round((plain_ms / plain_tokens) / (spec_ms / spec_tokens), 2),
                "acceptance": round(kept / guessed, 3),
                "tokens_per_target_pass": round(spec_tokens / passes, 2),
                "speculative_ms_per_token": round(spec_ms / spec_tokens, 3),
                "plain_ms_per_token": round(plain_ms / plain_tokens, 3),
                "identical": identical if greedy else None,
            }
    headline = out["by_k"]["4"]
    out["speedup_k4_sampling"], out["speedup_k4_greedy"] = (
        headline["sampling T=1"]["speedup"],
        headline["greedy"]["speedup"],
    )
    out["acceptance_k4_sampling"] = headline["sampling T=1"]["acceptance"]
    out["note"] = (
        f"{n_prompts} prompts (the first 1-3 words of held-out sentences) continued to <eos> or the "
        f"48-token window; time per generated token, each prompt's runs interleaved, median of {repeats} "
        "after a warm-up; the target alone uses its KV cache"
    )
    return out
