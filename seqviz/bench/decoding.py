"""Decoding speed: the KV cache, parallel vs autoregressive decoding, and the fused attention path."""

from __future__ import annotations

import torch

from ..data.text import tokenize
from ..data.toy import example_sentences
from ..decoding.pixels import pixel_timing
from ..decoding.speed import (
    CAUSAL_LM_NAME_KEYS,
    DIFFUSION_TIMED,
    HEADLINE_KV,
    KV_MODELS,
    RECURRENT_TIMED_WORDS,
    TEACHER_FORCED_EXAMPLE,
    decoding_speeds,
    diffusion_timing,
    kv_cache_latency,
    per_token_timing,
    random_lm,
    speedups,
    teacher_forcing_timing,
)
from ..decoding.timing import measure_together
from ..models.checkpoint import load_builtin
from ..training.recipes import RECIPES

RATIO_TOKENS = 32  # "about 30 target tokens"
NAR_METHODS = ("nat", "ctc", "mask_predict")


def kv_cache(device, lengths: tuple[int, ...], repeats: int, warmup: int) -> dict:
    """Greedy generation of N tokens after a one-token prompt, with the cache and recomputing every prefix,
    timed in interleaved rounds. Per length: the headline model's ratio, and every model under by_model."""
    results: dict[str, dict] = {str(n): {"by_model": {}} for n in lengths}
    for name, size in KV_MODELS.items():
        model = random_lm(size, max(lengths) + 1, device)
        for point in kv_cache_latency(model, lengths, device, warmup, repeats):
            results[str(point.tokens)]["by_model"][name] = {
                "cached_ms": round(point.cached.median_ms, 2),
                "recompute_ms": round(point.recompute.median_ms, 2),
                "speedup": round(point.recompute.median_ms / point.cached.median_ms, 2),
                "identical": point.identical,
            }
    for entry in results.values():
        entry.update(entry["by_model"][HEADLINE_KV], model=HEADLINE_KV)
    return results


def teacher_forcing(device, repeats: int) -> dict:
    """The autoregressive page's claim, by the page's own function on its sentence: one teacher-forced pass
    of the shipped toy_clm scores every next token, where generating them takes one pass per token."""
    ckpt = load_builtin("toy_clm", str(device))
    vocab = ckpt.vocab
    words = tokenize(example_sentences("en")[TEACHER_FORCED_EXAMPLE])
    ids = torch.tensor([vocab.bos_id, *vocab.encode(words), vocab.eos_id], device=device)  # (T,)
    with torch.no_grad():
        timed = teacher_forcing_timing(ckpt.model, ids, device, 2, repeats)
    one_pass, sequential = timed["one_pass"].median_ms, timed["sequential"].median_ms
    return {
        "tokens": len(ids) - 1,
        "one_pass_ms": round(one_pass, 2),
        "sequential_ms": round(sequential, 2),
        "sequential_over_one_pass": round(sequential / one_pass, 2),
        "method": f"2 warm-ups, median of {repeats} interleaved rounds, the shipped toy_clm, no KV cache",
    }


DIFFUSION_LENGTH, DIFFUSION_STEPS = DIFFUSION_TIMED  # the diffusion page's timing


def diffusion_vs_ar(device, repeats: int) -> dict:
    """The diffusion page's claim, by the page's own function: writing one 12-word sentence takes S passes
    of toy_diffusion over the whole sentence, against toy_clm's 12 cached passes."""
    diffusion, clm = load_builtin("toy_diffusion", str(device)), load_builtin("toy_clm", str(device))
    timed = diffusion_timing(
        diffusion.model, clm.model, diffusion.vocab, DIFFUSION_LENGTH, DIFFUSION_STEPS, device, 2, repeats
    )
    ar = timed["ar"].median_ms
    return {
        "words": DIFFUSION_LENGTH,
        "ar_ms": round(ar, 2),
        "by_steps": {
            str(s): {"ms": round(timed[f"S={s}"].median_ms, 2), "over_ar": round(timed[f"S={s}"].median_ms / ar, 2)}
            for s in DIFFUSION_STEPS
        },
        "method": f"2 warm-ups, median of {repeats} interleaved rounds, confidence remasking, toy_clm with KV cache",
    }


PIXEL_BATCHES = (1, 30)  # the page's drawing (one image) and its sample grid (3 of each digit)


def pixels_vs_one_shot(device, repeats: int, warmup: int = 1) -> dict:
    """The pixels page's claim, by the page's own function: PixelCNN draws a 16×16 image in 256 passes, the
    one-shot rival in one; per image, alone and in a batch of 30."""
    pixelcnn, rival = load_builtin("toy_pixelcnn", str(device)), load_builtin("pixels_one_shot", str(device))
    by_batch = {}
    for batch in PIXEL_BATCHES:
        timed = pixel_timing(pixelcnn.model, rival.model, device, warmup, repeats, batch)
        slow, fast = timed["pixelcnn"].median_ms / batch, timed["one_shot"].median_ms / batch
        by_batch[str(batch)] = {
            "pixelcnn_ms_per_image": round(slow, 3),
            "one_shot_ms_per_image": round(fast, 4),
            "pixelcnn_over_one_shot": round(slow / fast, 1),
            "pixelcnn_ms_per_pass": round(timed["pixelcnn"].median_ms / 256, 3),
        }
    return {
        "passes": {"pixelcnn": 256, "one_shot": 1},
        "by_batch": by_batch,
        "method": f"{warmup} warm-up, median of {repeats} interleaved rounds, sampling at T = 1, "
        "the shipped checkpoints",
    }


ATTENTION_LM = "toy_clm"  # the one of CAUSAL_LM_NAME_KEYS's four that carries a KV cache, not a hidden state


def recurrent_vs_attention(device, repeats: int) -> dict:
    """The time per generated word at batch 1, by decoding.speed.per_token_timing (the page's and the
    benchmark's function): the tanh RNN, the LSTM and the GRU (one fixed-size hidden state) against toy_clm
    (its KV cache, one position longer after every word), all writing the same number of words in the
    same interleaved rounds; and toy_clm's time per word over each recurrent model's."""
    ckpts = {name: load_builtin(name, str(device)) for name in CAUSAL_LM_NAME_KEYS}
    words = RECURRENT_TIMED_WORDS
    timed = per_token_timing(
        {name: ckpt.model for name, ckpt in ckpts.items()}, ckpts[ATTENTION_LM].vocab, words, device, 2, repeats
    )
    per_token = {name: t.median_ms / words for name, t in timed.items()}
    return {
        "words": words,
        "repeats": repeats,
        "by_model": {
            name: {
                "ms_per_token": round(per_token[name], 4),
                "sentence_ms": round(timed[name].median_ms, 2),
                "parameters": ckpt.metrics["parameters"],
                "layers": ckpt.model.config.n_layers,
                "d_model": ckpt.model.config.d_model,
                "state": "KV cache" if name == ATTENTION_LM else "hidden state",
            }
            for name, ckpt in ckpts.items()
        },
        "attention_over_recurrent": {
            name: round(per_token[ATTENTION_LM] / ms, 2) for name, ms in per_token.items() if name != ATTENTION_LM
        },
        "method": f"greedy, batch 1, {words} words after the start token, the end token suppressed, per-call "
        f"state: the hidden state or {ATTENTION_LM}'s KV cache; 2 warm-ups, median of {repeats} interleaved rounds "
        f"of the whole sentence, divided by {words}; the shipped checkpoints",
    }


def nar_vs_ar(device, quick: bool) -> dict:
    """AR greedy (KV cache) vs NAT, CTC and mask-predict (T = 10) writing the same number of tokens, at the
    shipped translation model's size with random weights: the ratios at ~30 tokens, and the whole curve."""
    size = {k: v for k, v in RECIPES["toy_transformer_mt"].model.items() if k not in ("max_len", "dropout")}
    lengths, batches, repeats = ((8, RATIO_TOKENS), (1, 4), 3) if quick else ((8, 16, RATIO_TOKENS, 64), (1, 64), 9)
    rows = decoding_speeds(size, 176, lengths, batches, device=device, warmup=2, repeats=repeats)
    ms = {(r.method, r.length, r.batch): round(r.median_ms, 2) for r in rows}
    ratios = speedups(rows)
    curve = [
        {
            "tokens": n,
            "batch": b,
            **{f"{m}_ms": ms[(m, n, b)] for m in ("ar", *NAR_METHODS)},
            **{f"{m}_speedup": ratio for m, ratio in by_method.items()},
        }
        for (n, b), by_method in ratios.items()
    ]
    headline = {
        f"batch{b}": {
            "target_len": RATIO_TOKENS,
            "nat": ratios[(RATIO_TOKENS, b)]["nat"],
            "ctc": ratios[(RATIO_TOKENS, b)]["ctc"],
            "mask_predict_10": ratios[(RATIO_TOKENS, b)]["mask_predict"],
            "ar_ms": ms[("ar", RATIO_TOKENS, b)],
        }
        for b in batches
    }
    return {
        **headline,
        "curve": curve,
        "method": f"speed-up = AR time / method time, whole decode incl. the encoder, 2 warm-ups, median of "
        f"{repeats} interleaved rounds, 3+3 layers d 128, random weights, every method writing N tokens",
    }


def fast_path(device, quick: bool, repeats: int) -> dict:
    """One forward pass with attention weights returned (the explicit softmax(QK^T)V the pages draw) over
    one without (the fused scaled_dot_product_attention kernel), same model and input."""
    tokens = 128 if quick else 512
    model = random_lm(KV_MODELS[HEADLINE_KV], tokens, device)
    ids = torch.randint(0, 64, (1, tokens), generator=torch.Generator().manual_seed(0)).to(device)
    with torch.no_grad():
        t = measure_together(
            {"explicit": lambda: model(ids, need_weights=True), "sdpa": lambda: model(ids)}, device, 2, repeats
        )
    return {
        "explicit_over_sdpa": round(t["explicit"].median_ms / t["sdpa"].median_ms, 2),
        "explicit_ms": round(t["explicit"].median_ms, 2),
        "sdpa_ms": round(t["sdpa"].median_ms, 2),
        "tokens": tokens,
        "model": HEADLINE_KV,
    }
