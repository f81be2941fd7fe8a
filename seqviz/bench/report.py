"""The report as tables (one list of rows per section), printed as text or written as Markdown, and the
issue's targets checked against the measurements."""

from __future__ import annotations

Table = tuple[str, list[str], list[list[str]]] | tuple[str, list[str], list[list[str]], str]  # title, header,
# rows, and optionally a note printed under the table (why the numbers come out as they do)


def _x(value) -> str:
    return "–" if value is None else f"{value:.2f}×"


def targets(report: dict) -> list[list[str]]:
    """[what, measured, target, met?] for every target the report has numbers for (targets of a full run
    on 2 CPU cores)."""
    rows = []

    def check(what, value, target: float, at_most: bool = False, unit: str = "×"):
        met = value is not None and (value <= target if at_most else value >= target)
        shown = "–" if value is None else f"{value:g}{unit}"
        if met:
            verdict = "met"
        elif value is None:
            verdict = "MISSED: not reached in the budget"
        else:
            verdict = f"MISSED by {abs(value - target):g}{unit} ({value / target:.0%} of the target)"
        rows.append([what, shown, f"{'≤' if at_most else '≥'} {target:g}{unit}", verdict])

    kv = report.get("kv_cache") or {}
    for length, target in (("512", 3), ("1024", 6)):
        if length in kv:
            check(f"KV cache speed-up, {length} tokens", kv[length]["speedup"], target)
    batch1 = (report.get("nar_vs_ar") or {}).get("batch1")
    if batch1:
        n = batch1["target_len"]
        check(f"NAT vs AR, batch 1, {n} tokens", batch1["nat"], 10)
        check(f"CTC vs AR, batch 1, {n} tokens", batch1["ctc"], 10)
        check(f"mask-predict (T = 10) vs AR, batch 1, {n} tokens", batch1["mask_predict_10"], 2)
    for key, value in (report.get("interaction_ms") or {}).items():
        if key.endswith("_p50"):  # the Inside page's budget is its issue's 300 ms; the older pages keep 150
            check(f"interaction {key}", value, 300 if key.startswith("inside_") else 150, at_most=True, unit=" ms")
    for page, r in ((report.get("page_cpu") or {}).get("pages") or {}).items():
        if r["budget"] is not None:
            check(
                f"page rerun, {page} ({r['interaction']})",
                r["times_minimal"],
                r["budget"],
                at_most=True,
                unit="× minimal",
            )
    for name, r in (report.get("train_to_bar") or {}).items():
        check(f"train {name} to its bar", r["seconds"], r["target_s"], at_most=True, unit=" s")
    if report.get("attention_512"):
        check("512-token attention figure build", report["attention_512"]["figure_build_s"], 1, at_most=True, unit=" s")
    if report.get("hf_peer"):
        check("ours / HF generate() time", report["hf_peer"]["ours_over_hf_generate"], 1, at_most=True)
    return rows


def tables(report: dict) -> list[Table]:
    out: list[Table] = []
    kv = report.get("kv_cache")
    if kv:
        out.append(
            (
                "KV cache: greedy generation after a one-token prompt, cached vs recomputing every prefix",
                ["model", "tokens", "cached ms", "recompute ms", "speed-up", "identical tokens"],
                [
                    [
                        name,
                        n,
                        f"{r['cached_ms']:.1f}",
                        f"{r['recompute_ms']:.1f}",
                        _x(r["speedup"]),
                        str(r["identical"]),
                    ]
                    for n, entry in kv.items()
                    for name, r in entry["by_model"].items()
                ],
            )
        )
    diffusion = report.get("diffusion_vs_ar")
    if diffusion:
        out.append(
            (
                f"Masked diffusion: one {diffusion['words']}-word sentence in S steps vs the causal LM "
                f"({diffusion['method']})",
                ["steps S", "diffusion ms", "causal LM ms", "diffusion / causal"],
                [
                    [s, f"{row['ms']:.2f}", f"{diffusion['ar_ms']:.2f}", _x(row["over_ar"])]
                    for s, row in diffusion["by_steps"].items()
                ],
            )
        )
    pixels = report.get("pixels_vs_one_shot")
    if pixels:
        out.append(
            (
                f"Images: PixelCNN ({pixels['passes']['pixelcnn']} passes) vs the one-shot rival (1 pass), per "
                f"16×16 image ({pixels['method']})",
                ["images at once", "PixelCNN ms", "one shot ms", "PixelCNN / one shot", "ms per pass"],
                [
                    [
                        b,
                        f"{row['pixelcnn_ms_per_image']:.2f}",
                        f"{row['one_shot_ms_per_image']:.3f}",
                        _x(row["pixelcnn_over_one_shot"]),
                        f"{row['pixelcnn_ms_per_pass']:.3f}",
                    ]
                    for b, row in pixels["by_batch"].items()
                ],
            )
        )
    recurrent = report.get("recurrent_vs_attention")
    if recurrent:
        ratios = recurrent["attention_over_recurrent"]
        out.append(
            (
                f"Recurrent vs attention: time per generated word, the shipped causal LMs ({recurrent['method']})",
                ["model", "layers × d", "parameters", "state per call", "ms per word", "sentence ms", "toy_clm / this"],
                [
                    [
                        name,
                        f"{r['layers']} × {r['d_model']}",
                        f"{r['parameters']:,}",
                        r["state"],
                        f"{r['ms_per_token']:.3f}",
                        f"{r['sentence_ms']:.1f}",
                        _x(ratios.get(name)),
                    ]
                    for name, r in recurrent["by_model"].items()
                ],
                "Why: a recurrent step costs the same at every position (one matrix product per layer on one "
                "fixed-size state), while the Transformer's cached step attends over every earlier position, so its "
                "cost grows with the length; at these sizes Python's per-step overhead is a large share of every "
                "step: what is timed is the whole generation step, the forward pass's module calls and the loop "
                "around it (logits processors, argmax, the step's record), not the matrix products alone.",
            )
        )
    forced = report.get("teacher_forcing")
    if forced:
        out.append(
            (
                f"Teacher forcing: one pass scores all {forced['tokens']} next tokens vs generating them one pass "
                f"per token ({forced['method']})",
                ["one pass ms", "one pass per token ms", "ratio"],
                [
                    [
                        f"{forced['one_pass_ms']:.2f}",
                        f"{forced['sequential_ms']:.2f}",
                        _x(forced["sequential_over_one_pass"]),
                    ]
                ],
            )
        )
    nar = report.get("nar_vs_ar")
    if nar:
        out.append(
            (
                f"Parallel vs autoregressive decoding ({nar['method']})",
                ["tokens", "batch", "AR ms", "NAT", "CTC", "mask-predict T=10"],
                [
                    [
                        str(r["tokens"]),
                        str(r["batch"]),
                        f"{r['ar_ms']:.1f}",
                        _x(r["nat_speedup"]),
                        _x(r["ctc_speedup"]),
                        _x(r["mask_predict_speedup"]),
                    ]
                    for r in nar["curve"]
                ],
            )
        )
    quality = report.get("nar_quality")
    if quality:
        out.append(
            (
                f"Translation quality of the shipped models, {quality['heldout_pairs']} held-out pairs",
                ["model", "exact match", "mixed translations", "repeated tokens"],
                [
                    [
                        key,
                        f"{quality[key]:.1%}",
                        f"{d['mixed_translation_rate']:.1%}",
                        f"{d['repeated_token_rate']:.2%}",
                    ]
                    for key, d in quality["detail"].items()
                ],
            )
        )
    fast = report.get("fast_path")
    if fast:
        out.append(
            (
                f"Attention with weights returned vs the fused kernel, one forward pass, {fast['tokens']} tokens, "
                f"{fast['model']}",
                ["explicit ms", "fused (SDPA) ms", "explicit / fused"],
                [[f"{fast['explicit_ms']:.1f}", f"{fast['sdpa_ms']:.1f}", _x(fast["explicit_over_sdpa"])]],
            )
        )
    inter = report.get("interaction_ms")
    if inter:
        out.append(
            (
                f"Page interactions, median of {inter['runs']} ({inter['note']})",
                ["interaction", "ms"],
                [[k, f"{v:.0f}"] for k, v in inter.items() if k.endswith("_p50")],
            )
        )
    pages = report.get("page_cpu")
    if pages:
        out.append(
            (
                f"Server CPU per rerun of each page's main interaction, in reruns of a minimal page "
                f"({pages['minimal_cpu_ms']:.1f} ms here); median of {pages['runs']} after {pages['warm_up_runs']} "
                "warm-up",
                ["page", "interaction", "CPU ms", "× minimal", "budget"],
                [
                    [
                        page,
                        r["interaction"],
                        f"{r['cpu_ms']:.0f}",
                        f"{r['times_minimal']:.1f}",
                        "—" if r["budget"] is None else f"{r['budget']:g}",
                    ]
                    for page, r in pages["pages"].items()
                ],
                pages["method"],
            )
        )
    att = report.get("attention_512")
    if att:
        out.append(
            (
                f"{att['tokens']}-token attention figure ({att['note']})",
                ["build + serialise s", "payload"],
                [[f"{att['figure_build_s']:.3f}", f"{att['payload_bytes'] / 1e6:.2f} MB"]],
            )
        )
        char = att.get("char_model")
        if char:
            out.append(
                (
                    f"Character page, long inputs: its Transformer ({char['parameters']:,} parameters, untrained "
                    f"weights), median after a warm-up",
                    ["sample 512 characters s", "attention along 512 characters s"],
                    [[f"{char['sample_512_s']:.2f}", f"{char['attention_512_s']:.2f}"]],
                )
            )
    training = report.get("train_to_bar")
    if training:
        out.append(
            (
                "Training from scratch to the quality bar: training seconds only (evaluation pauses excluded), "
                "the recipe's model and data with the peak learning rate doubled and the cosine decay fitted to "
                "90% of the target; measured every target/20 s on 200 held-out items, confirmed on the whole test "
                "split, so a time is an upper bound with that resolution; '–': not reached when the schedule ended",
                ["model", "bar", "reached in", "target", "value (at the bar, or the best)", "steps / scheduled"],
                [
                    [
                        name,
                        f"{r['metric']} ≥ {r['bar']}",
                        "–" if r["seconds"] is None else f"{r['seconds']:.0f} s",
                        f"≤ {r['target_s']} s",
                        f"{r['value']}",
                        f"{r['steps']} / {r.get('schedule_steps', '?')}",
                    ]
                    for name, r in training.items()
                ],
            )
        )
    spec = report.get("speculative")
    if spec:
        out.append(
            (
                f"Speculative decoding: toy_clm_draft ({spec['draft_parameters']:,} parameters) guesses k tokens, "
                f"toy_clm ({spec['target_parameters']:,}) checks them; {spec['note']}",
                [
                    "k",
                    "decoding",
                    "speed-up per token",
                    "guesses kept",
                    "tokens per target pass",
                    "ms/token",
                    "alone ms/token",
                    "identical to the target alone",
                ],
                [
                    [
                        k,
                        mode,
                        _x(r["speedup"]),
                        f"{r['acceptance']:.0%}",
                        f"{r['tokens_per_target_pass']:.2f}",
                        f"{r['speculative_ms_per_token']:.2f}",
                        f"{r['plain_ms_per_token']:.2f}",
                        "–" if r["identical"] is None else str(r["identical"]),
                    ]
                    for k, modes in spec["by_k"].items()
                    for mode, r in modes.items()
                ],
            )
        )
    peer = report.get("hf_peer")
    if peer:
        out.append(
            (
                f"Peer: {peer['note']}",
                ["ours ms", "HF generate() ms", "ours / HF"],
                [[f"{peer['ours_ms']:.1f}", f"{peer['hf_ms']:.1f}", _x(peer["ours_over_hf_generate"])]],
            )
        )
    checked = targets(report)
    if checked:
        out.append(("Targets", ["what", "measured", "target", ""], checked))
    return out


def print_table(report: dict) -> None:
    m = report["machine"]
    print(f"seqviz benchmarks ({report['mode']}) on {m['device_name']}, torch {m['torch']}, {m['threads']} threads")
    for title, header, rows, *note in tables(report):
        widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
        print(f"\n{title}")
        for row in (header, *rows):
            print("  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)))
        if note:
            print(note[0])
    if report.get("hf_peer") is None and "hf_peer" in report:
        print("\nPeer comparison skipped: transformers is not installed.")


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        "# seqviz benchmarks",
        "",
        f"Measured on {report['date']} with `{report['command']}` ({report['mode']} run).",
        "",
        f"Machine: {m['device_name']}, torch {m['torch']}, {m['threads']} threads, Python {m['python']}.",
        "",
        "Method: fixed seeds and thread count, warm-up runs, device synchronisation around every run, the "
        "compared runs in interleaved rounds, medians; model building, tokenisation and data preparation "
        "outside the timed region. Seconds per section: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in report["seconds"].items())
        + ".",
    ]
    for title, header, rows, *note in tables(report):
        lines += ["", f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        lines += ["", note[0]] if note else []
    if report.get("hf_peer") is None and "hf_peer" in report:
        lines += ["", "Peer comparison skipped: transformers is not installed."]
    return "\n".join(lines) + "\n"
