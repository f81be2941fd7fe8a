"""`python -m seqviz.load [--sessions 10 20 40] [--think 3] [--server URL --pid PID]`: how many students one
server holds. Each level releases that many protocol-level sessions at once, each running a lesson's worth
of interactions (seqviz/load/classroom.py); per interaction the server's latency (message sent -> script run
finished), and the server's CPU and memory. Without --server it starts its own (`python -m seqviz.ui.serve`
on a free loopback port) and stops it at the end. Writes a JSON report and a Markdown table."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from ..viz.load import latency_against_sessions
from ..viz.style import to_svg_bytes
from .classroom import classroom
from .protocol import run_sessions
from .server import own_server


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m seqviz.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20, 40], help="students per level")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds a student waits between actions")
    parser.add_argument("--server", help="a running server's address (default: start one)")
    parser.add_argument("--pid", type=int, help="that server's process id, to read its CPU and memory")
    parser.add_argument("--json", type=Path, default=Path("artifacts/load_protocol.json"), help="the report")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument("--chart", type=Path, help="also draw latency against students as SVG here (needs kaleido)")
    return parser.parse_args(argv)


def markdown(report: dict) -> str:
    columns = ["students", "think (s)", "p50 ms", "p95 ms", "max ms", "next token p95", "slider p95"]
    columns += ["server CPU (cores)", "RSS peak MB", "failed"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for level in report["levels"]:
        server = level.get("server", {})
        by = level["by_interaction"]
        lines.append(
            f"| {level['sessions']} | {level['think_s']:g} | {level['interactions']['p50_ms']} "
            f"| {level['interactions']['p95_ms']} | {level['interactions']['max_ms']} "
            f"| {by.get('next token', {}).get('p95_ms')} | {by.get('move a slider', {}).get('p95_ms')} "
            f"| {server.get('cpu_share_of_one_core', '—')} | {server.get('rss_peak_mb', '—')} "
            f"| {level['failed_runs'] + len(level['failed_sessions'])} |"
        )
    return "\n".join(lines) + "\n"


def page(report: dict, args: argparse.Namespace) -> str:
    """The report as a Markdown page: how it was measured, the table, and the chart when one was drawn."""
    lines = [
        "# seqviz under load: one server, many students",
        "",
        f"Measured {report['date']} on {report['cores']} cores with `python -m seqviz.load --sessions "
        f"{' '.join(map(str, args.sessions))} --think {args.think:g}`: each level releases that many sessions "
        "at once, speaking Streamlit's websocket protocol (no browsers compete for the cores). Each session opens "
        "the masks page and types its own sentence, opens the autoregressive page, types its own prompt and "
        "clicks *Next token* five times, then opens the parallel page, types its sentence and moves the "
        f"iteration slider three times, waiting {args.think:g} s on average (0.5–1.5×) between two interactions. "
        "Latency is the server's: the message sent until the script run finished. The server's CPU and peak "
        "memory are read from /proc.",
        "",
        markdown(report),
    ]
    if args.chart:
        lines += [f"![latency against students]({args.chart.name})", ""]
    return "\n".join(lines)


GOAL_P95_MS = 1000  # the bar: p95 of one second per interaction


def chart(report: dict):
    levels = report["levels"]
    return latency_against_sessions(
        [level["sessions"] for level in levels],
        [level["interactions"]["p50_ms"] for level in levels],
        [level["interactions"]["p95_ms"] for level in levels],
        f"One server, {report['cores']} cores: latency per interaction against students at once",
        goal_ms=GOAL_P95_MS,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    if min(args.sessions) < 1 or args.think < 0:
        print("seqviz.load: sessions must be at least 1 and think time not negative", file=sys.stderr)
        return 2

    def measure(url: str, pid: int | None) -> dict:
        report = {"cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d"), "levels": []}
        run_sessions(classroom(url, 1, pid))  # warm-up: every page once, its models loaded
        for n in args.sessions:
            level = run_sessions(classroom(url, n, pid, args.think))
            report["levels"].append(level)
            print(
                f"  {n:3d} students: p50 {level['interactions']['p50_ms']} ms, p95 {level['interactions']['p95_ms']} ms"
            )
        return report

    if args.server:
        report = measure(args.server, args.pid)
    else:
        with own_server() as (url, pid):
            report = measure(url, pid)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(page(report, args))
    if args.chart:
        args.chart.parent.mkdir(parents=True, exist_ok=True)
        args.chart.write_bytes(to_svg_bytes(chart(report)))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
