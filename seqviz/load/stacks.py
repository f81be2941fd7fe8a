"""Where a loaded server's time goes, from py-spy's samples (`py-spy record --gil --format raw`: one line per
distinct stack, "frame;frame;...;frame count", outermost first). With --gil only the thread holding Python's
lock is sampled, which is what a GIL-bound server spends: each sample is put in the library its innermost
known frame belongs to, and in the page section (the innermost seqviz/ui or page frame) that called it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# (what the time is, where its frames live), innermost frame first: the first that matches names the sample
LIBRARIES = (
    ("torch: the models' tensor work", ("/torch/",)),
    ("figures to JSON for the browser", ("/plotly/io/", "/_plotly_utils/", "/json/", "/orjson", "/narwhals/")),
    ("building figures (plotly, altair, seqviz.viz)", ("/plotly/", "/altair/", "/seqviz/viz/", "/pandas/")),
    ("seqviz's own Python (decoding, models, data)", ("/seqviz/",)),
    ("Streamlit: script runs, widgets, messages", ("/streamlit/", "/google/protobuf/")),
    ("the server's network loop (websocket, asyncio)", ("/tornado/", "/asyncio/", "/websockets/", "/starlette/")),
)
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


def library_of(frames: list[tuple[str, str]]) -> str:
    for _, file in reversed(frames):
        for name, parts in LIBRARIES:
            if any(part in file for part in parts):
                return name
    return OTHER


def section_of(frames: list[tuple[str, str]]) -> str:
    """The innermost frame of the app's own pages: "ui/parallel.py: _decode_all", "pages/5_Parallel.py"."""
    for function, file in reversed(frames):
        for home in ("/seqviz/ui/", "/pages/"):
            if home in file:
                return f"{home.strip('/').split('/')[-1]}/{file.split(home, 1)[1]}: {function}"
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
