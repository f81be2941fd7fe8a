"""Benchmarks: what the app claims, measured as ratios within one run.

    python -m seqviz.bench [--quick] [--device auto|cpu|cuda] [--threads N] [--json FILE]

So far: the KV cache (generation with the cache vs recomputing every prefix, identical tokens required),
the latency of one "Next token" click on the autoregressive page, and parallel decoding (NAT, CTC,
mask-predict) vs autoregressive greedy decoding at batch 1 and 64.
Method: fixed seeds and thread count, warm-up runs, device synchronisation around every run, the median
of the repeats; model building and input preparation stay outside the timed region.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys

import torch

from .decoding.autoregressive import generate
from .decoding.timing import measure_together
from .device import describe, pick_device
from .models.autoregressive import CausalLM
from .models.layers import ModelConfig

KV_MODELS = {  # decoder-only, random weights: the cost of decoding does not depend on what was learned
    "2 layers, d 64": dict(n_layers=2, d_model=64, n_heads=4, d_ff=256),
    "4 layers, d 128": dict(n_layers=4, d_model=128, n_heads=4, d_ff=512),
}


SECTIONS = ("kv", "interaction", "parallel")  # what `--only` can pick


def kv_cache(device: torch.device, lengths: tuple[int, ...], repeats: int, warmup: int) -> dict:
    """Greedy generation of N tokens after a one-token prompt, with and without the cache."""
    results = {}
    for name, size in KV_MODELS.items():
        torch.manual_seed(0)
        model = CausalLM(ModelConfig(vocab_size=64, max_len=max(lengths) + 1, dropout=0.0, **size)).to(device).eval()
        prompt = torch.tensor([1], device=device)
        for length in lengths:
            outputs = {}

            def run(use_cache):
                outputs[use_cache] = generate(model, prompt, length, greedy=True, use_cache=use_cache)

            timings = measure_together({"cached": lambda: run(True), "recompute": lambda: run(False)}, device, warmup, repeats)
            cached, recompute = timings["cached"], timings["recompute"]
            results.setdefault(name, {})[str(length)] = {
                "cached_ms": round(cached.median_ms, 2),
                "recompute_ms": round(recompute.median_ms, 2),
                "speedup": round(recompute.median_ms / cached.median_ms, 2),
                "identical": bool(torch.equal(outputs[True], outputs[False])),
                "cached_ms_per_token": round(cached.median_ms / length, 3),
            }
    return results


def machine(device: torch.device) -> dict:
    return {
        "device": device.type,
        "device_name": describe(device),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "python": platform.python_version(),
    }


def print_table(report: dict) -> None:
    m = report["machine"]
    print(f"seqviz benchmarks on {m['device_name']}, torch {m['torch']}, {m['threads']} threads")
    print(f"method: {report['method']}\n")
    if "kv_cache" in report:
        print(f"{'KV cache':<18}{'tokens':>8}{'cached ms':>12}{'recompute ms':>14}{'speedup':>9}{'identical':>11}")
        for name, by_length in report["kv_cache"].items():
            for length, r in by_length.items():
                print(f"{name:<18}{length:>8}{r['cached_ms']:>12.1f}{r['recompute_ms']:>14.1f}{r['speedup']:>8.1f}x"
                      f"{str(r['identical']):>11}")
    if "interaction_ms" in report:
        i = report["interaction_ms"]
        print(f"\n'Next token' click, median of {i['runs']}: step panel {i['ar_step_p50_ms']} ms, "
              f"whole page {i['ar_step_page_rerun_p50_ms']} ms")
        print(f"({i['note']})")
    if "parallel_decoding" not in report:
        return
    p = report["parallel_decoding"]
    print(f"\nParallel vs autoregressive decoding ({p['note']})")
    print(f"{'tokens':>7}{'batch':>7}{'AR ms':>10}{'NAT':>9}{'CTC':>9}{'mask-predict':>14}")
    for r in p["results"]:
        print(f"{r['tokens']:>7}{r['batch']:>7}{r['ar_ms']:>10.1f}{r['nat_speedup']:>8.1f}x{r['ctc_speedup']:>8.1f}x"
              f"{r['mask_predict_speedup']:>13.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqviz.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short lengths and few repeats (a smoke test)")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default cpu)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="run only these sections")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    lengths, repeats, warmup = ((64, 128), 3, 1) if args.quick else ((512, 1024), 5, 1)
    report = {
        "machine": machine(device),
        "method": f"median of {repeats} runs after {warmup} warm-up run(s), the compared runs in interleaved rounds, "
        "device synchronised around each run, greedy decoding from a one-token prompt, random-weight models",
    }
    if "kv" in args.only:
        report["kv_cache"] = kv_cache(device, lengths, repeats, warmup)
    if "interaction" in args.only:
        report["interaction_ms"] = interaction(5 if args.quick else 15)
    if "parallel" in args.only:
        report["parallel_decoding"] = parallel(quick=args.quick, device=device)
    print_table(report)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0 if all(r["identical"] for by_len in report.get("kv_cache", {}).values() for r in by_len.values()) else 1



def parallel(quick: bool, device: torch.device) -> dict:
    """AR greedy (KV cache) vs NAT, CTC and mask-predict (T = 10) writing the same number of tokens, with the
    shipped translation model's size and random weights."""
    from .decoding.speed import decoding_speeds, speedups
    from .recipes import RECIPES

    size = {k: v for k, v in RECIPES["toy_transformer_mt"].model.items() if k not in ("max_len", "dropout")}
    lengths, batches, repeats = ((8,), (1, 4), 2) if quick else ((8, 16, 32, 64), (1, 64), 9)
    rows = decoding_speeds(size, 176, lengths, batches, device=device, warmup=2, repeats=repeats)
    ms = {(r.method, r.length, r.batch): round(r.median_ms, 2) for r in rows}
    results = [{"tokens": n, "batch": b, **{f"{m}_ms": ms[(m, n, b)] for m in ("ar", *ratios)},
                **{f"{method}_speedup": ratio for method, ratio in ratios.items()}}
               for (n, b), ratios in speedups(rows).items()]
    return {"results": results, "note": "speed-up = AR time / method time, whole decode incl. the encoder, "
            f"2 warm-ups, median of {repeats} interleaved rounds, 3+3 layers d 128, random weights, mask-predict T = 10"}


def interaction(repeats: int) -> dict:
    """Latency of one "Next token" click: the step panel's work in-process, and the whole page through
    Streamlit's AppTest (which reruns every section, so it is an upper bound)."""
    from .ui.apptest_timing import next_token_page_rerun_ms

    return {"ar_step_page_rerun_p50_ms": next_token_page_rerun_ms(repeats), "ar_step_p50_ms": fragment_step(repeats),
            "runs": repeats, "note": "ar_step: one decoding step plus building and serialising the step panel's "
            "figures (what the fragment reruns); page_rerun: the whole page through AppTest (an upper bound)"}


def fragment_step(repeats: int) -> float:
    """Median ms of what one "Next token" click does in its fragment: one decoding step with the session's
    KV cache, then the distribution, growing-attention and cache figures built and serialised to JSON."""
    import statistics
    import time

    from .evaluation import text_suppressor
    from .recipes import load_builtin
    from .viz.attention import attention_heatmap
    from .viz.generation import cache_shapes_figure, distribution_before_after
    from .decoding.autoregressive import decode_step, sampling_processors

    ckpt = load_builtin("toy_clm")
    model, vocab = ckpt.model, ckpt.vocab
    processors = [text_suppressor(vocab), *sampling_processors(1.0)]
    ids, cache, rows, times = [vocab.bos_id, *vocab.encode(["the", "small"])], model.new_cache(), [], []
    for step in range(repeats + 2):
        start = time.perf_counter()
        record = decode_step(model, torch.tensor(ids), processors, False, torch.Generator().manual_seed(step), cache, True, step)
        ids.append(record.token_id)
        rows.append(record.attention[-1].mean(0).numpy())
        top = record.probs_before.topk(8).indices.tolist()
        grid = torch.full((len(rows), len(rows[-1])), float("nan"))
        for i, row in enumerate(rows):
            grid[i, : len(row)] = torch.from_numpy(row)
        labels = vocab.decode(ids)
        figures = (
            distribution_before_after(vocab.decode(top), record.probs_before[top].tolist(), record.probs_after[top].tolist()),
            attention_heatmap(grid.numpy(), labels[: len(rows)], labels[: len(rows[-1])], masked=torch.isnan(grid).numpy()),
            cache_shapes_figure(record.cache_shapes),
        )
        for fig in figures:
            fig.to_json()
        if step >= 2:  # the first two are warm-up
            times.append((time.perf_counter() - start) * 1000)
        if record.token_id == vocab.eos_id:
            ids, cache, rows = ids[:3], model.new_cache(), []
    return round(statistics.median(times), 1)


if __name__ == "__main__":
    sys.exit(main())
