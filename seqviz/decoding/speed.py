"""Autoregressive vs parallel decoding speed: wall-clock per method, target length and batch size.

Decoding cost does not depend on what the weights learned, so the models here have the shipped sizes and
random weights; that lets the target length run past what the toy language produces. Every method writes
exactly N target tokens for sources of N tokens (the toy French is as long as its English):
- AR: greedy, one decoder pass per token with the KV cache (N passes, no early <eos>); the source's
  cross-attention keys and values are computed once, as in every decoder here;
- NAT: the length head, then one pass over N [MASK]s;
- CTC: one pass over the source up-sampled ×2;
- mask-predict: T passes over N positions.
Timed without attention capture: warm-up, device synchronisation, the methods in interleaved rounds (so a slow
spell of a shared machine falls on all alike), median of the repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from ..data.vocab import SPECIALS
from ..models.autoregressive import CausalLM
from ..models.layers import ModelConfig
from ..models.nonautoregressive import CTCTransformer, NARTransformer
from ..models.seq2seq import TransformerSeq2Seq
from .autoregressive import generate
from .diffusion import diffuse, masked_start, word_suppressor
from .parallel import ctc_decode, mask_predict
from .timing import Timing, measure_together

MASK, BLANK = SPECIALS.index("[MASK]"), SPECIALS.index("<blank>")  # ids in every word vocabulary
# The four decoders timed side by side, with the catalogue entry (seqviz/locales) that names each.
METHOD_NAME_KEYS = {"ar": "par_ar", "nat": "par_nat", "ctc": "par_ctc", "mask_predict": "par_mask_predict"}


@dataclass(frozen=True)
class SpeedRow:
    method: str  # "ar", "nat", "ctc", "mask_predict"
    length: int  # target tokens per sentence
    batch: int
    median_ms: float
    passes: int  # decoder forward passes


def _models(size: dict, vocab_size: int, max_len: int, device) -> dict:
    config = dict(size, vocab_size=vocab_size, dropout=0.0, max_len=max_len, blank_id=BLANK)
    torch.manual_seed(0)
    return {
        "ar": TransformerSeq2Seq(ModelConfig(**config)).to(device).eval(),
        "nat": NARTransformer(ModelConfig(**config)).to(device).eval(),
        "ctc": CTCTransformer(ModelConfig(**{**config, "max_len": 2 * max_len})).to(device).eval(),
    }


@torch.no_grad()
def _ar_greedy(model, src: torch.Tensor, length: int) -> None:
    decoder, cache = model.decoder(model.encode(src)), model.new_cache()
    feed = torch.full((src.size(0), 1), 1, dtype=torch.long, device=src.device)  # <bos>
    for _ in range(length):
        feed = decoder(feed, cache=cache).logits[:, -1:].argmax(-1)  # (B, 1)


def decoding_speeds(
    size: dict, vocab_size: int, lengths, batches, iterations: int = 10, device="cpu", warmup: int = 1, repeats: int = 5
) -> list[SpeedRow]:
    """Median wall-clock of each method for every (target length, batch size)."""
    models = _models(size, vocab_size, max(lengths) + 1, device)
    generator = torch.Generator().manual_seed(0)
    rows = []
    for batch in batches:
        for length in lengths:
            src = torch.randint(8, vocab_size, (batch, length), generator=generator).to(device)
            runs = {  # each bound to this (src, length): timed before the loop moves on, but said explicitly
                "ar": lambda src=src, length=length: _ar_greedy(models["ar"], src, length),
                "nat": lambda src=src, length=length: mask_predict(models["nat"], src, MASK, 1, length=length),
                "ctc": lambda src=src: ctc_decode(models["ctc"], src),
                "mask_predict": lambda src=src, length=length: mask_predict(
                    models["nat"], src, MASK, iterations, length=length
                ),
            }
            passes = {"ar": length, "nat": 1, "ctc": 1, "mask_predict": runs["mask_predict"]().passes}
            timings = measure_together(runs, device, warmup, repeats)
            rows += [SpeedRow(method, length, batch, timings[method].median_ms, passes[method]) for method in runs]
    return rows


def speedups(rows: list[SpeedRow]) -> dict[tuple[int, int], dict[str, float]]:
    """AR time / method time for every (length, batch) — how many times faster than AR each method is."""
    ar = {(r.length, r.batch): r.median_ms for r in rows if r.method == "ar"}
    out: dict[tuple[int, int], dict[str, float]] = {}
    for r in rows:
        if r.method != "ar":
            out.setdefault((r.length, r.batch), {})[r.method] = round(ar[(r.length, r.batch)] / r.median_ms, 2)
    return out


@dataclass
class Decoded:
    tokens: list[int]  # the output ids
    passes: int  # decoder forward passes
    timing: object  # Timing of the whole decode (encoder included)
    detail: object = None  # the method's own result (iterations, length distribution, CTC path)


def _decoder_runs(models: dict, src: torch.Tensor, vocab, iterations: int, length: int | None) -> dict:
    from .seq2seq import translate_batch

    batch = src[None]
    return {
        "ar": lambda: translate_batch(models["ar"], batch, vocab.bos_id, vocab.eos_id),
        "nat": lambda: mask_predict(models["nat"], batch, vocab.mask_id, 1, length=length),
        "ctc": lambda: ctc_decode(models["ctc"], batch),
        "mask_predict": lambda: mask_predict(models["cmlm"], batch, vocab.mask_id, iterations, length=length),
    }


def decode_with(
    method: str, models: dict, src: torch.Tensor, vocab, iterations: int = 10, length: int | None = None
) -> Decoded:
    """Decode one source (S,) once with one method, untimed (timing None): "ar" (greedy, models["ar"]), "nat"
    (models["nat"]), "ctc" (models["ctc"]) or "mask_predict" (models["cmlm"], `iterations`). `length`
    overrides the predicted target length of NAT and mask-predict (CTC has no length to set)."""
    result = _decoder_runs(models, src, vocab, iterations, length)[method]()
    if method == "ar":
        return Decoded(result[0], len(result[0]) + 1, None)
    return Decoded(result.tokens[0], result.passes, None, result)


def decode_with_each(
    models: dict, src: torch.Tensor, vocab, iterations: int = 10, length: int | None = None
) -> dict[str, Decoded]:
    """decode_with for each of the four methods."""
    return {method: decode_with(method, models, src, vocab, iterations, length) for method in METHOD_NAME_KEYS}


def work_shape(src: torch.Tensor, decoded: dict[str, Decoded], iterations: int) -> tuple[int, ...]:
    """What decoding this source costs depends on, and nothing else: the source's length, the iterations, and
    the length each decoder wrote (AR's steps, NAT's and mask-predict's target lengths)."""
    return (len(src), iterations, *(len(decoded[m].tokens) for m in ("ar", "nat", "mask_predict")))


def time_decoders(
    models: dict, src: torch.Tensor, vocab, iterations: int = 10, length: int | None = None, warmup=1, repeats=5
) -> dict:
    """Each decoder's whole decode of one source (S,), timed together: method -> Timing (median after warm-up)."""
    return measure_together(_decoder_runs(models, src, vocab, iterations, length), src.device, warmup, repeats)


def compare_decoders(
    models: dict,
    src: torch.Tensor,
    vocab,
    iterations: int = 10,
    length: int | None = None,
    warmup: int = 1,
    repeats: int = 5,
) -> dict[str, Decoded]:
    """decode_with_each, each decoder timed as a whole (time_decoders)."""
    decoded = decode_with_each(models, src, vocab, iterations, length)
    timings = time_decoders(models, src, vocab, iterations, length, warmup, repeats)
    return {method: replace(result, timing=timings[method]) for method, result in decoded.items()}


# ---- the KV cache and teacher forcing (the autoregressive page and the benchmark) ----------------------

KV_MODELS = {  # decoder-only, random weights: the cost of decoding does not depend on what was learned
    "2 layers, d 64": dict(n_layers=2, d_model=64, n_heads=4, d_ff=256),  # the page's: quick on a laptop
    "4 layers, d 128": dict(n_layers=4, d_model=128, n_heads=4, d_ff=512),  # the toy LMs' size: the headline
}
HEADLINE_KV = "4 layers, d 128"
PAGE_KV = "2 layers, d 64"


def random_lm(size: dict, max_len: int, device) -> CausalLM:
    torch.manual_seed(0)
    return CausalLM(ModelConfig(vocab_size=64, max_len=max_len, dropout=0.0, **size)).to(device).eval()


@dataclass(frozen=True)
class KVPoint:
    tokens: int  # generated after a one-token prompt
    cached: Timing
    recompute: Timing
    identical: bool  # both wrote the same tokens


def kv_cache_latency(model: CausalLM, lengths, device, warmup: int = 1, repeats: int = 3) -> list[KVPoint]:
    """Greedy generation of N tokens with the KV cache and recomputing every prefix, in interleaved rounds."""
    prompt = torch.tensor([1], device=device)
    points = []
    for length in lengths:
        outputs = {}

        def run(use_cache: bool, length=length, outputs=outputs):
            outputs[use_cache] = generate(model, prompt, length, greedy=True, use_cache=use_cache)

        t = measure_together({"cached": lambda: run(True), "recompute": lambda: run(False)}, device, warmup, repeats)
        points.append(KVPoint(length, t["cached"], t["recompute"], bool(torch.equal(outputs[True], outputs[False]))))
    return points


TEACHER_FORCED_EXAMPLE = 5  # the example sentence (data.toy.example_sentences) the page and the benchmark time


@torch.no_grad()
def teacher_forcing_timing(
    model: CausalLM, ids: torch.Tensor, device, warmup: int = 1, repeats: int = 9
) -> dict[str, Timing]:
    """One teacher-forced pass over ids (T,) against generating them one pass per token (no cache), in
    interleaved rounds: "one_pass" and "sequential"."""
    return measure_together(
        {
            "one_pass": lambda: model(ids[None]),
            "sequential": lambda: generate(model, ids[:1], len(ids) - 1, use_cache=False),
        },
        device,
        warmup,
        repeats,
    )


# ---- masked diffusion against the causal LM --------------------------------------------------------------


DIFFUSION_TIMED = (12, (1, 2, 4, 8, 12))  # the page's and the benchmark's: words, and the step counts timed


def diffusion_timing(
    diffusion_model, clm, vocab, length: int, steps: tuple[int, ...], device, warmup: int = 2, repeats: int = 7
) -> dict[str, Timing]:
    """The time to write one sentence of `length` words: by the diffusion LM in each number of steps (LLaDA's
    confidence remasking; the strategy hardly changes the cost), and by the causal LM one word at a time with
    its KV cache; interleaved rounds, medians. Keys: "S=1", "S=2", ... and "ar"."""
    start = masked_start([length], vocab).to(device)
    prompt = torch.tensor([vocab.bos_id], device=device)
    suppress = word_suppressor(vocab)  # no <eos>: the causal LM writes exactly `length` words

    def diffusion_run(s: int):
        return lambda: diffuse(diffusion_model, start, vocab, s, "confidence")

    runs = {f"S={s}": diffusion_run(s) for s in steps}
    runs["ar"] = lambda: generate(clm, prompt, length, processors=[suppress], greedy=True)
    with torch.no_grad():
        return measure_together(runs, device, warmup, repeats)


# ---- recurrent against attention, one generated word at a time ----------------------------------------------


RECURRENT_TIMED_WORDS = 30  # the page's and the benchmark's: words written after <bos>, at batch 1
# the four causal LMs of one size compared (page, slide, benchmark), with the catalogue entry naming each
CAUSAL_LM_NAME_KEYS = {
    "toy_rnn_lm": "rnn_model_rnn",
    "toy_lstm_lm": "rnn_model_lstm",
    "toy_gru_lm": "rnn_model_gru",
    "toy_clm": "rnn_model_transformer",
}


def per_token_timing(models: dict, vocab, length: int, device, warmup: int = 2, repeats: int = 7) -> dict[str, Timing]:
    """Each causal LM writes `length` words after <bos> at batch 1, greedy, no <eos>, with its per-call state
    (a recurrent model carries one hidden state; a Transformer its KV cache, which grows with every word);
    interleaved rounds, medians of the whole sentence: divide by `length` for a word's time. {name: model}."""
    prompt = torch.tensor([vocab.bos_id], device=device)
    suppress = word_suppressor(vocab)

    def writer(model):
        return lambda: generate(model, prompt, length, processors=[suppress], greedy=True)

    with torch.no_grad():
        return measure_together({name: writer(model) for name, model in models.items()}, device, warmup, repeats)
