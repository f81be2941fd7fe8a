"""Quality of the shipped translation models, measured again on held-out pairs (exact match with the
toy-language checker, which accepts every valid translation)."""

from __future__ import annotations

import time

from ..data.toy import check_translation
from ..decoding.seq2seq import greedy_decode
from ..models.checkpoint import load_builtin
from ..training.builtin import PARALLEL_DECODERS
from ..training.evaluation import evaluate_translation
from ..training.recipes import RECIPES
from ..training.splits import translation_split_head

NAR_QUALITY = {  # report key -> (checkpoint, decoder)
    "ar": ("toy_transformer_mt", greedy_decode),
    "nat_raw": ("nat_raw", PARALLEL_DECODERS["nat"]),
    "nat_distilled": ("nat_distilled", PARALLEL_DECODERS["nat"]),
    "ctc_raw": ("ctc_raw", PARALLEL_DECODERS["ctc"]),
    "ctc_distilled": ("ctc_distilled", PARALLEL_DECODERS["ctc"]),
    "mask_predict_10_raw": ("cmlm_raw", PARALLEL_DECODERS["cmlm"]),
    "mask_predict_10_distilled": ("cmlm_distilled", PARALLEL_DECODERS["cmlm"]),
}


def nar_quality(device, quick: bool) -> dict:
    """Exact match and mixed-translation rate of AR greedy and every parallel decoder on the first n
    held-out pairs (predicted length, length beam 1)."""
    pairs = translation_split_head("test", 100 if quick else 1000, **RECIPES["toy_transformer_mt"].data)
    out, detail = {}, {}
    for key, (name, decode) in NAR_QUALITY.items():
        ckpt = load_builtin(name, str(device))
        start = time.perf_counter()
        metrics = evaluate_translation(ckpt.model, ckpt.vocab, pairs, check_translation, decode)
        out[key] = metrics["exact_match"]
        detail[key] = {
            "checkpoint": name,
            "mixed_translation_rate": metrics["mixed_translation_rate"],
            "repeated_token_rate": metrics["repeated_token_rate"],
            "seconds": round(time.perf_counter() - start, 2),
        }
    return {**out, "heldout_pairs": len(pairs), "detail": detail}
