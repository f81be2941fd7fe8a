"""`python -m seqviz.load [--sessions 10 20 40] [--think 3] [--replicas N] [--server URL --pid PID ...]`: how
many students one server (or N replicas behind nginx) holds. Each level releases that many protocol-level
sessions at once, each running a lesson's worth of interactions (seqviz/load/classroom.py); per interaction
the server's latency (message sent -> script run finished), and the server's CPU and memory. Without
--server it starts its own (`python -m seqviz.ui.serve` on a free loopback port; with --replicas N, N of
them behind nginx as `make serve` runs them) and stops it at the end. Writes a JSON report and a Markdown
table.

`--capacity DIR` (`make capacity`) measures one server and two replicas behind nginx at the same levels,
both in shared-server mode, and writes the report to DIR/load.md, load.json and load_latency.svg.
`--soak SECONDS` lets students come and go that long instead and reports the server's memory.
`--per-page` measures the server's CPU per interaction on every page instead, one session alone at a time;
`--burst N` releases N sessions at one instant, each opening a page (in turn over all of them) and doing its
main interaction three times without a pause. `--capacity DIR` runs both as well.
`--profile FILE` samples the one server with py-spy (`pip install py-spy`) while the levels run and writes
where its time goes to FILE (seqviz/load/stacks.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from ..deploy.servers import deployment
from ..viz.load import LatencySeries, latency_against_sessions
from ..viz.static_export import to_svg_bytes
from .classroom import BURST_ACTIONS, TRAINERS_EVERY, burst, classroom, warm_up
from .per_page import per_page
from .protocol import run_sessions
from .soak import idle_cost, soak
from .stacks import markdown as stacks_markdown
from .stacks import where

GOAL_P95_MS = 1000  # the bar: p95 of one second per interaction
CAPACITY_LEVELS = [10, 20, 30, 40, 60]
CONFIGURATIONS = {1: "one server", 2: "two replicas behind nginx"}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m seqviz.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", help="students per level (default 10 20 40)")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds a student waits between actions")
    parser.add_argument("--server", help="a running server's address (default: start one)")
    parser.add_argument("--replicas", type=int, default=1, help="app servers behind nginx (1: one server, no proxy)")
    parser.add_argument("--shared", action="store_true", help="start the servers in shared-server mode")
    parser.add_argument("--pid", type=int, nargs="+", help="that server's process ids, to read CPU and memory")
    parser.add_argument("--capacity", type=Path, metavar="DIR", help="one server and two replicas; report in DIR")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="sample the server with py-spy; Markdown here")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="instead: students come and go this long")
    parser.add_argument("--per-page", action="store_true", help="instead: server CPU per interaction, every page")
    parser.add_argument("--burst", type=int, metavar="N", help="instead: N sessions at one instant, no pauses")
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


def sessions_at(report: dict, goal_ms: float) -> float | None:
    """How many students the levels hold at p95 = goal_ms: interpolated between the last level under the goal
    and the first over it (None when even the first level is over it; the largest level when none is)."""
    points = [(level["sessions"], level["interactions"]["p95_ms"]) for level in report["levels"]]
    if not points or points[0][1] > goal_ms:
        return None
    for (n0, p0), (n1, p1) in zip(points, points[1:], strict=False):
        if p0 <= goal_ms < p1:
            return round(n0 + (n1 - n0) * (goal_ms - p0) / (p1 - p0), 1)
    return float(points[-1][0])


def series(report: dict, name: str) -> LatencySeries:
    levels = report["levels"]
    return LatencySeries(
        name,
        [level["sessions"] for level in levels],
        [level["interactions"]["p50_ms"] for level in levels],
        [level["interactions"]["p95_ms"] for level in levels],
    )


def chart(reports: dict[str, dict], cores: int):
    """Latency against students, one pair of lines per configuration ({name: its report})."""
    return latency_against_sessions(
        [series(report, name) for name, report in reports.items()],
        f"{cores} cores: latency per interaction against students at once",
        goal_ms=GOAL_P95_MS,
    )


SCENARIO = (
    "each level releases that many sessions at once, speaking Streamlit's websocket protocol (no browsers "
    "compete for the cores). Each session opens the masks page and types its own sentence, opens the "
    "autoregressive page, types its own prompt and clicks *Next token* five times (one student in "
    f"{TRAINERS_EVERY} then trains the character models live, 10 s each), opens the parallel page, types "
    "its sentence and moves the iteration slider three times, then visits three of the other ten pages "
    "(student i starts at the i-th, so the class covers them all) and does each one's main interaction twice "
    "(seqviz/load/pages.py), waiting {think:g} s on average (0.5–1.5×) between two interactions. Latency is "
    "the server's: the message sent until the script run finished (the live training is reported apart: it "
    "lasts as long as it trains, by design). CPU and peak memory are read from /proc, all replicas together."
)


def measure(url: str, pids: list[int] | None, levels: list[int], think: float, warm: list[str]) -> dict:
    report = {"levels": []}
    run_sessions(warm_up(warm))  # every page once on every replica: models loaded, first opens done
    for n in levels:
        level = run_sessions(classroom(url, n, pids, think))
        report["levels"].append(level)
        print(f"  {n:3d} students: p50 {level['interactions']['p50_ms']} ms, p95 {level['interactions']['p95_ms']} ms")
    report["sessions_at_goal"] = sessions_at(report, GOAL_P95_MS)
    return report


def soak_report(url: str, pids: list[int] | None, seconds: float, warm: list[str]) -> dict:
    run_sessions(warm_up(warm))  # every page once on every replica: models loaded, first opens done
    report = {"idle": run_sessions(idle_cost(url, pids or []))}
    report.update(run_sessions(soak(url, pids or [], seconds)))
    return report


def profile_page(report: dict, levels: list[int], think: float) -> str:
    level = report["levels"][-1]
    return "\n".join(
        [
            "# Where a loaded server's time goes",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores with `python -m seqviz.load --sessions "
            f"{' '.join(map(str, levels))} --think {think:g} --shared --profile FILE`: py-spy (`record --gil`, "
            "100 Hz) samples the one server's thread that holds Python's lock while the class works (the "
            f"lesson of docs/load.md; at {level['sessions']} students p95 {level['interactions']['p95_ms']:.0f} "
            f"ms, the server at {level['server']['cpu_share_of_one_core']} cores). seqviz/load/stacks.py sorts "
            "each sample by the library of its innermost known frame, and by the page section that called it.",
            "",
            stacks_markdown(report["where"]),
        ]
    )


def profiled(url: str, pids: list[int], levels: list[int], think: float, out: Path, warm: list[str]) -> dict:
    """measure() with py-spy sampling the server's thread that holds the GIL; where() of it written to out."""
    import shutil
    import signal
    import subprocess
    import tempfile

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    run_sessions(warm_up(warm))  # outside the samples
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "stacks.txt"
        command = [spy, "record", "--gil", "--format", "raw", "-r", "100", "-o", str(raw)]
        sampler = subprocess.Popen([*command, "-p", str(pids[0])], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            report = measure(url, pids, levels, think, [])
        finally:
            sampler.send_signal(signal.SIGINT)
            sampler.wait(60)
        if not raw.exists():
            raise SystemExit(f"seqviz.load: py-spy wrote no samples: {sampler.stderr.read().decode()[-500:]}")
        report["where"] = where(raw.read_text().splitlines())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(profile_page(report, levels, think))
    print(stacks_markdown(report["where"]))
    return report


def per_page_report(url: str, pids: list[int]) -> dict:
    return {"pages": run_sessions(per_page(url, pids))}


def per_page_markdown(pages: dict, before: dict | None = None) -> str:
    """Server CPU per interaction, page by page; with `before` (an earlier --per-page report's pages), both."""
    columns = ["page", "interaction", "first open CPU-s", "open again CPU-s", "CPU-s per interaction (median)"]
    columns += ["before", "after / before"] if before else []
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for page, cost in pages.items():
        row = [page, cost["interaction"], f"{cost['first_open_cpu_s']:.2f}", f"{cost['open_cpu_s']:.3f}"]
        row.append(f"{cost['cpu_s_median']:.3f}")
        if before:
            then = (before.get(page) or {}).get("cpu_s_median")
            row += ["—", "—"] if not then else [f"{then:.3f}", f"{cost['cpu_s_median'] / then:.2f}×"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def burst_markdown(report: dict) -> str:
    columns = ["sessions at once", "what", "p50 ms", "p95 ms", "max ms", "server CPU-s per interaction", "failed"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for what in ("open a page", "main interaction"):
        r = report[what]
        cpu = report.get("server", {}).get("cpu_s_per_interaction", "—")
        failed = report["failed_runs"] + len(report["failed_sessions"])
        lines.append(
            f"| {report['sessions']} | {what} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {cpu} | {failed} |"
        )
    return "\n".join(lines) + "\n"


BURST = (
    "{n} sessions released at one instant on a warm server, session i opening page i (in turn over all "
    f"pages) and doing its main interaction {BURST_ACTIONS} times without a pause, a new sentence each time "
    "where the interaction is typing."
)


def capacity_page(report: dict) -> str:
    one, two = (report["configurations"][name] for name in CONFIGURATIONS.values())
    held = [c["sessions_at_goal"] for c in (one, two)]
    ratio = f"{held[1] / held[0]:.2f}×" if all(held) else "—"
    lines = [
        "# seqviz under load: one server, two replicas, many students",
        "",
        f"Measured {report['date']} on {report['cores']} cores with `make capacity` (`python -m seqviz.load "
        f"--capacity docs`, levels {' '.join(map(str, report['levels']))}, think {report['think_s']:g} s), both "
        "configurations in shared-server mode (`--shared`): " + SCENARIO.format(think=report["think_s"]),
        "",
        f"**Students at p95 = {GOAL_P95_MS / 1000:g} s:** one server {held[0] or '—'}, two replicas behind nginx "
        f"{held[1] or '—'} ({ratio}); interpolated between the levels on either side.",
        "",
    ]
    for name in CONFIGURATIONS.values():
        lines += [f"## {name[0].upper()}{name[1:]}", "", markdown(report["configurations"][name])]
    lines += ["![latency against students](load_latency.svg)", ""]
    if report.get("burst"):
        for name, result in report["burst"].items():
            lines += [f"## A burst: {BURST.format(n=result['sessions'])} ({name})", "", burst_markdown(result)]
    if report.get("pages"):
        lines += [
            "## Server CPU per interaction, page by page",
            "",
            f"`python -m seqviz.load --per-page` on {report['pages_date']}: one protocol session alone on a fresh "
            "server opens each page, then does the page's main interaction 2 + 7 times (a sentence typed is a new "
            "one each time; a slider moves between two positions); the median of the 7, the server's CPU from "
            "/proc, all threads. A widget inside a fragment reruns that fragment alone, as in a browser. "
            + ("*Before*: the same measurement on main before issue 36. " if report.get("pages_before") else ""),
            "",
            per_page_markdown(report["pages"], report.get("pages_before")),
        ]
    lines += [
        "Where a loaded server's time goes: [load_profile.md](load_profile.md) (`--profile FILE`, py-spy). Its "
        "memory while students come and go for ten minutes: [load_soak.json](load_soak.json) (`--soak 600`).",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    levels = args.sessions or (CAPACITY_LEVELS if args.capacity else [10, 20, 40])
    if min(levels) < 1 or args.think < 0 or args.replicas < 1:
        print("seqviz.load: sessions and replicas must be at least 1, think time not negative", file=sys.stderr)
        return 2
    header = {"cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d"), "think_s": args.think}

    def run(url: str, pids: list[int] | None, warm: list[str]) -> dict:
        if args.per_page:
            return per_page_report(url, pids or [])
        if args.burst:
            run_sessions(warm_up(warm))
            return {"burst": run_sessions(burst(url, args.burst, pids))}
        if args.soak is not None:
            return soak_report(url, pids, args.soak, warm)
        if args.profile:
            return profiled(url, pids, levels, args.think, args.profile, warm)
        return measure(url, pids, levels, args.think, warm)

    if args.capacity:
        with deployment(1, proxy=False, args=("--shared",)) as served:
            pages = per_page_report(served.url, served.pids)["pages"]
        configurations, bursts = {}, {}
        for replicas, name in CONFIGURATIONS.items():
            print(f"{name}:")
            with deployment(replicas, proxy=replicas > 1, args=("--shared",)) as served:
                configurations[name] = run(served.url, served.pids, [r.url for r in served.replicas])
                bursts[name] = run_sessions(burst(served.url, max(levels), served.pids))
        before_path = args.capacity / "load_pages_before.json"
        before = json.loads(before_path.read_text())["pages"] if before_path.exists() else None
        report = {**header, "levels": levels, "configurations": configurations, "burst": bursts}
        report.update(pages=pages, pages_date=header["date"], pages_before=before)
        args.capacity.mkdir(parents=True, exist_ok=True)
        (args.capacity / "load.json").write_text(json.dumps(report, indent=1))
        (args.capacity / "load.md").write_text(capacity_page(report))
        (args.capacity / "load_latency.svg").write_bytes(to_svg_bytes(chart(configurations, header["cores"])))
        print(capacity_page(report))
        return 0
    if args.server:
        report = {**header, "replicas": len(args.pid or []) or None, **run(args.server, args.pid, [args.server])}
    else:
        with deployment(args.replicas, proxy=args.replicas > 1, args=("--shared",) if args.shared else ()) as served:
            report = {
                **header,
                "replicas": args.replicas,
                **run(served.url, served.pids, [r.url for r in served.replicas]),
            }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    if args.soak is not None:
        print(json.dumps({k: v for k, v in report.items() if k != "memory_mb"}))
        return 0
    if args.per_page or args.burst:
        text = per_page_markdown(report["pages"]) if args.per_page else burst_markdown(report["burst"])
        if args.markdown:
            args.markdown.parent.mkdir(parents=True, exist_ok=True)
            args.markdown.write_text(text)
        print(text)
        return 0
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(report))
    if args.chart:
        args.chart.parent.mkdir(parents=True, exist_ok=True)
        args.chart.write_bytes(to_svg_bytes(chart({f"{args.replicas} replica(s)": report}, header["cores"])))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
