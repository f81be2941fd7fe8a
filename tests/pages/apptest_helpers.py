"""Opening pages in Streamlit's AppTest as a user would, and reading what they show."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # the first run imports torch and loads a model


def open_page(script: str, lang: str = "en", code_open: bool = False) -> AppTest:
    """Start from app.py (the entry point) and switch to the page, as a user following a link would; with
    code_open, its folded "The code that ran" section is open (as if the user had unfolded it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    if code_open:
        at.session_state[code_key(script)] = True
    at.run()
    if script != "app.py":
        at.switch_page(script)
        at.run()
    return at


def code_key(script: str) -> str:
    """The session-state key of a page's code section (seqviz.ui.code)."""
    address = "" if script == "app.py" else script.split("/")[-1].split("_", 1)[1].removesuffix(".py")
    return f"code_open_{address or 'home'}"


def as_read(markdown: str) -> str:
    """Markdown's text as a reader sees it: no ** or *, no list dashes, white space collapsed."""
    return " ".join(re.sub(r"^- ", "", markdown.replace("**", "").replace("*", ""), flags=re.M).split())


def all_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.header] + [e.value for e in at.subheader]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def assert_figures_export(at: AppTest, page: str) -> int:
    """Every figure on the page saves a 3x PNG (plotly's camera button; altair's menu also SVG) under its
    own name that starts with the page's; returns how many figures were checked."""
    names = []
    for chart in at.get("plotly_chart"):
        options = json.loads(chart.proto.config)["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 3, options
        names.append(options["filename"])
    for chart in at.get("vega_lite_chart"):
        embed = json.loads(chart.proto.spec)["usermeta"]["embedOptions"]
        assert embed["scaleFactor"] == 3 and embed["actions"]["export"] is True, embed
        names.append(embed["downloadFileName"])
    assert all(name.startswith(page + "_") and name.isascii() for name in names), names
    assert len(set(names)) == len(names), f"two figures would save under one name: {names}"
    assert_figures_described(at, len(names))
    return len(names)


def figure_descriptions(at: AppTest) -> list[str]:
    """The text alternatives placed before the page's figures (seqviz.ui.figures), as plain text."""
    bodies = [element.proto.body for element in at.get("html")]
    return [
        re.sub(r"<[^>]+>", "", html.unescape(body.split("</style>")[-1]))
        for body in bodies
        if 'class="seqviz-alt' in body
    ]


def assert_figures_described(at: AppTest, figures: int) -> None:
    """Every figure has its text alternative, in the page's language, that says more than its title."""
    described = figure_descriptions(at)
    assert len(described) == figures, (len(described), figures)
    for text in described:
        assert len(text) > 30, text
    if at.query_params.get("lang") in ("zh", ["zh"]):
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in described), described
