"""The command: run the sections, print the table, write the JSON and (full run) docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import torch

from ..device import describe, pick_device
from .decoding import (
    diffusion_vs_ar,
    fast_path,
    kv_cache,
    nar_vs_ar,
    pixels_vs_one_shot,
    recurrent_vs_attention,
    teacher_forcing,
)
from .report import markdown, print_table

SECTIONS = (
    "kv",
    "teacher_forcing",
    "nar",
    "diffusion",
    "pixels",
    "recurrent",
    "quality",
    "fast_path",
    "interaction",
    "pages",
    "attention",
    "training",
    "speculative",
    "peer",
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def machine(device: torch.device) -> dict:
    return {
        "device": device.type,
        "device_name": describe(device),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "python": platform.python_version(),
    }


def interaction(repeats: int, warmup: int) -> dict:
    """Page interactions through Streamlit's AppTest: widget change -> rerun done, median after warm-up."""
    from .apptest_timing import inside_ms, mask_predict_iteration_ms, masks_page_ms, next_token_ms

    inside = inside_ms(repeats, warmup)
    return {
        "ar_step_p50": next_token_ms(repeats, warmup),
        "mask_predict_iter_p50": mask_predict_iteration_ms(repeats, warmup),
        "masks_page_rerun_p50": masks_page_ms(repeats, warmup),
        **{f"inside_{name}_p50": ms for name, ms in inside.items()},
        "runs": repeats,
        "warm_up_runs": warmup,
        "note": "AppTest: a widget change until its whole-page rerun is done (models loaded, caches warm)",
    }


def run_sections(sections, device: torch.device, quick: bool) -> dict:
    repeats = 5 if quick else 9  # quick: a smoke test of every section; its heavy ones repeat least of all
    report: dict = {
        "machine": machine(device),
        "mode": "quick" if quick else "full",
        "date": time.strftime("%Y-%m-%d"),
        "seconds": {},
    }
    work = {
        "kv": ("kv_cache", lambda: kv_cache(device, (64, 128) if quick else (512, 1024), 2 if quick else 5, 1)),
        "teacher_forcing": ("teacher_forcing", lambda: teacher_forcing(device, repeats)),
        "nar": ("nar_vs_ar", lambda: nar_vs_ar(device, quick)),
        "diffusion": ("diffusion_vs_ar", lambda: diffusion_vs_ar(device, repeats)),
        "pixels": ("pixels_vs_one_shot", lambda: pixels_vs_one_shot(device, *((1, 0) if quick else (repeats, 1)))),
        "recurrent": ("recurrent_vs_attention", lambda: recurrent_vs_attention(device, repeats)),
        "quality": ("nar_quality", lambda: _lazy("quality", "nar_quality")(device, quick)),
        "fast_path": ("fast_path", lambda: fast_path(device, quick, repeats)),
        "interaction": ("interaction_ms", lambda: interaction(*((1, 0) if quick else (15, 2)))),  # quick: no warm-up
        "pages": ("page_cpu", lambda: _lazy("page_cost", "page_costs")(*((1, 1) if quick else (7, 2)))),
        "attention": ("attention_512", lambda: _lazy("figures", "attention_512")(1 if quick else repeats)),
        "training": ("train_to_bar", lambda: None if quick else _lazy("training", "train_to_bar")(device)),
        "speculative": ("speculative", lambda: _lazy("speculative", "speculative")(device, quick)),
        "peer": ("hf_peer", lambda: _lazy("peer", "hf_peer")(device, quick)),
    }
    for section in sections:
        key, run = work[section]
        start = time.perf_counter()
        report[key] = run()
        report["seconds"][section] = round(time.perf_counter() - start, 1)
        if key == "train_to_bar":
            report["train_to_bar_s"] = (
                None if report[key] is None else {n: r["seconds"] for n, r in report[key].items()}
            )
    return report


def _lazy(module: str, name: str):
    """A section's function, imported only when it runs (AppTest, transformers and training are heavy)."""
    import importlib

    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqviz.bench", description="Measure what the app claims.")
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats: a smoke test (< 2 min)")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default cpu)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="run only these sections")
    parser.add_argument(
        "--markdown",
        help=f"write the report as Markdown here (a full run of every section writes "
        f"{DOCS.relative_to(DOCS.parents[1])} unless told otherwise)",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    report = run_sections([s for s in SECTIONS if s in args.only], device, args.quick)
    report["command"] = "python -m seqviz.bench " + " ".join(sys.argv[1:] if argv is None else argv)
    print_table(report)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    target = args.markdown or (DOCS if not args.quick and set(args.only) == set(SECTIONS) else None)
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(markdown(report), encoding="utf-8")
        print(f"\nwrote {target}")
    identical = [
        r["identical"] for entry in (report.get("kv_cache") or {}).values() for r in entry["by_model"].values()
    ]
    return 0 if all(identical) else 1
