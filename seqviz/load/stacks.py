"""Where a loaded server's time goes, from py-spy's samples (`py-spy record --gil --format raw`: one line per
distinct stack, "frame;frame;...;frame count", outermost first). With --gil only the thread holding Python's
lock is sampled, which is what a GIL-bound server spends: each sample is put in the library its innermost
known frame belongs to, and in the page section (the innermost seqviz/ui or page frame) that called it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# (what the time is, where its frames live: py-spy names a file by its path below site-packages or the
# standard library), innermost frame first: the first that matches names the sample
LIBRARIES = (
    ("torch: the models' tensor work", ("torch/",)),
    ("figures to JSON for the browser", ("plotly/io/_json", "_plotly_utils/utils.py", "json/", "orjson/")),
    (
        "building figures (plotly, altair, seqviz.viz)",
        ("plotly/", "_plotly_utils/", "altair/", "seqviz/viz/", "pandas/", "narwhals/", "jsonschema/"),
    ),
    ("seqviz's own Python (decoding, models, data)", ("seqviz/",)),
    ("Streamlit: script runs, widgets, messages", ("streamlit/", "google/protobuf/")),
    ("the server's network loop (websocket, asyncio)", ("tornado/", "asyncio/", "websockets/", "starlette/")),
)
PAGE_SCRIPT = re.compile(r"(^|/)(\d+_\w+|app)\.py$")  # pages/5_Autoregressive.py, named by its file alone
OTHER = "other"
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]*)(?::\d+)?\)$")


def parse(lines: Iterable[str]) -> list[tuple[list[tuple[str, str]], int]]:
    """Raw py-spy lines -> [(frames as (function, file), outermost first; samples)]."""
    stacks = []
    for line in lines:
        line = line.strip()
        if not line or " " not in line:
            continue
        stack, count = line.rsplit(" ", 1)
        frames = []
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            frames.append((match["function"], match["file"]) if match else (frame, ""))
        stacks.append((frames, int(count)))
    return stacks


def _in(file: str, part: str) -> bool:
    return file.startswith(part) or f"/{part}" in file


def library_of(frames: list[tuple[str, str]]) -> str:
    for _, file in reversed(frames):
        for name, parts in LIBRARIES:
            if any(_in(file, part) for part in parts):
                return name
    return OTHER


def section_of(frames: list[tuple[str, str]]) -> str:
    """The innermost frame of the app's own pages: "ui/parallel.py: _decode_all", "8_Parallel.py: <module>"."""
    for function, file in reversed(frames):
        if _in(file, "seqviz/ui/serve.py") or _in(file, "seqviz/ui/startup.py"):
            continue  # the server's own thread, started from serve.main
        if _in(file, "seqviz/ui/"):
            return f"ui/{file.split('seqviz/ui/', 1)[1]}: {function}"
        if PAGE_SCRIPT.search(file):
            return f"{file.rsplit('/', 1)[-1]}: {function}"
    return "outside the pages (server, messages, start-up)"


def where(lines: Iterable[str], top: int = 12) -> dict:
    """The samples' shares by library and by page section (the `top` largest)."""
    stacks = parse(lines)
    total = sum(count for _, count in stacks) or 1
    libraries, sections = Counter(), Counter()
    for frames, count in stacks:
        libraries[library_of(frames)] += count
        sections[section_of(frames)] += count

    def shares(counter: Counter) -> list[tuple[str, float]]:
        return [(name, round(n / total, 3)) for name, n in counter.most_common(top)]

    return {"samples": total, "by_library": shares(libraries), "by_section": shares(sections)}


def markdown(found: dict) -> str:
    lines = [f"{found['samples']} samples of the thread holding Python's lock.", ""]
    for title, key in (("what the time is", "by_library"), ("the page section that asked for it", "by_section")):
        lines += [f"| {title} | share |", "|---|---|"]
        lines += [f"| {name} | {100 * share:.1f}% |" for name, share in found[key]]
        lines.append("")
    return "\n".join(lines)
