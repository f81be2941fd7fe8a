"""A lesson as one HTML file that needs no server: every step's text, question, reveal and figures, computed
once for one sentence, with plotly.js and the file's own small script inside (no request of any kind).

A teacher posts it to a learning platform, mails it or carries it on a USB stick; a student opens it at
home, on a phone, offline. It behaves like the Lessons page: → / ← / space, Back / Reveal / Next,
presentation mode, student mode (the score is kept in the open page only). The answers cannot change in a
file (no model runs there): the file says on which sentence, when and on which device they were computed.

`lesson_html` writes a file from a lesson's built parts; where they come from is the caller's: the Lessons
page passes its own cached builds (so the file shows the page's figures and answers), the command line
(`python -m seqviz.export --html DIR`) builds them with `built_parts`."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ..export.deck import Deck, on_page
from ..viz.compose import for_phone
from ..viz.describe import describe_plotly, figure_spec, plotly_tables
from ..viz.style import plotly_config
from .steps import LETTERS, Lesson, Question, lettered, revealed_text

SIZE_BUDGET = 6_000_000  # bytes per lesson file, plotly.js (about 4.8 MB) included
WALL_FIGURE_PX = 640  # an answer's figure beside its question on a 1080-px wall (the page's and a file's)
HERE = Path(__file__).parent
LANG_TAGS = {"zh": "zh-Hans"}  # the root element's lang, where it is not the catalogue's name

# (step index, "figure" | "question" | "answer") -> the step's figure (for a page column), its question, or None
Parts = Callable[[int, str], object]


def built_parts(lesson: Lesson, deck: Deck) -> Parts:
    """A lesson's parts built here and now, as the Lessons page builds them: a slide's figure on a page column."""

    def part(index: int, name: str):
        step = lesson.steps[index]
        build = {"figure": step.figure, "question": step.question, "answer": step.answer_figure}[name]
        if build is None:
            return None
        return build(deck) if name == "question" else on_page(build(deck))

    return part


def phone_figure(figure) -> go.Figure:
    """A step's figure remade for a phone's width, from a copy (the Lessons page's and the file's alike)."""
    return for_phone(go.Figure(figure_spec(figure)))


def file_name(lesson: Lesson, lang: str) -> str:
    return f"seqviz_lesson_{lesson.id}_{lang}.html"


def lesson_html(
    lesson: Lesson, parts: Parts, t: Callable[..., str], lang: str, sentence: str, made: str, device: str
) -> str:
    """The lesson as one self-contained HTML document in the language `t` speaks. `made` (a date) and `device`
    say when and where its answers were computed."""
    figures: list[dict] = []  # every figure's plotly spec, rendered by the file's script when its step shows

    def figure(index: int, name: str) -> str:
        wide = parts(index, name)
        if wide is None:
            return ""
        figures.append(_figure_entry(wide, phone_figure(wide)))
        return _figure_html(len(figures) - 1, wide, t, name)

    steps = []
    for index, step in enumerate(lesson.steps):
        question = parts(index, "question")
        title = t(step.title)
        steps.append(
            _step_html(
                index,
                title,
                markdown(t(step.text, sentence=sentence)),
                figure(index, "figure"),
                question,
                figure(index, "answer"),
                t,
            )
        )
    values = {
        "lang": LANG_TAGS.get(lang, lang),
        "title": html.escape(t(lesson.title)),
        "brand": html.escape(t("page_lessons")),
        "present": html.escape(t("presentation")),
        "student": html.escape(t("les_student")),
        "student_help": html.escape(t("lf_student_help")),
        "about": markdown(t("lf_about", sentence=sentence, date=made, device=device)),
        "noscript": html.escape(t("lf_noscript")),
        "summary": html.escape(t(lesson.summary)),
        "steps": "\n".join(steps),
        "back": html.escape(t("les_previous")),
        "reveal": html.escape(t("les_reveal")),
        "next": html.escape(t("les_next")),
        "keys": html.escape(t("lf_keys")),
        "choose_first": html.escape(t("les_choose_first")),
        "finished": html.escape(t("lf_finished")),
        "strings": _json({key: t(key, **fill) for key, fill in _SCRIPT_TEXTS.items()}),
        "figures": _json(figures),
        "config": _json(plotly_config(f"seqviz_{lesson.id}")),
        "wall_px": WALL_FIGURE_PX,
        "css": _asset("html_file.css"),
        "plotly": plotly_js(),
        "script": _asset("html_file.js"),
    }
    return _asset("html_file.html").format(**values)


# The texts the file's script fills in as the class goes: the placeholders it replaces stay in braces.
_SCRIPT_TEXTS = {
    "les_step_of": {"i": "{i}", "n": "{n}"},
    "les_right": {"answer": "{answer}"},
    "les_wrong": {"answer": "{answer}"},
    "les_score": {"right": "{right}", "asked": "{asked}"},
    "les_score_none": {},
}


def _step_html(index: int, title: str, text: str, figure: str, question: Question | None, answer: str, t) -> str:
    """A step as the file's section: heading, narrative, figure, question with its reveal, answer figure.
    Hidden until the script shows it (a page without scripts shows the notice and every step's text)."""
    number = index + 1
    parts = [
        f'<section class="step" id="step-{number}" data-step="{number}" aria-labelledby="step-{number}-title">',
        f'<h2 id="step-{number}-title" tabindex="-1">{html.escape(title)}</h2>',
        f'<div class="narrative">{text}</div>',
        f'<div class="stage{" asks" if question is not None else ""}{" has-answer-figure" if answer else ""}">',
        f'<div class="main-figure">{figure}</div>' if figure else "",
        '<div class="side">',
    ]
    if question is not None:
        choices = "\n".join(
            f'<li><label><input type="radio" name="q{number}" value="{i}"> '
            f"<b>{LETTERS[i]}</b> · {html.escape(choice)}</label></li>"
            for i, choice in enumerate(question.choices)
        )
        parts += [
            f'<fieldset class="question" data-answer="{question.answer}" '
            f'data-answer-text="{html.escape(lettered(question, question.answer))}">',
            f"<legend>{html.escape(t('les_question', question=question.prompt))}</legend>",
            f'<ol class="choices">{choices}</ol>',
            "</fieldset>",
        ]
    parts.append('<div class="nav-slot"></div>')
    if question is not None:
        parts += [
            '<p class="verdict" hidden></p>',
            f'<div class="answer" hidden>{markdown(revealed_text(t, question))}</div>',
        ]
    parts.append("</div>")  # side
    if answer:
        parts.append(f'<div class="answer-figure" hidden>{answer}</div>')
    parts += ["</div>", "</section>"]  # stage, step
    return "\n".join(p for p in parts if p)


def _figure_html(k: int, fig, t, name: str) -> str:
    """A figure's place: the plot the script draws, named by its text alternative; its numbers, folded."""
    alt = describe_plotly(fig, t)
    tables = "".join(_table_html(title, columns) for title, columns in plotly_tables(fig))
    numbers = (
        f'<details class="numbers"><summary>{html.escape(t("figure_table_label"))}</summary>{tables}</details>'
        if tables
        else ""
    )
    return (
        f'<figure class="plot-figure of-{name}"><div class="sv-plot" data-figure="{k}"></div>'
        f'<figcaption class="alt">{html.escape(alt)}</figcaption>{numbers}</figure>'
    )


def _table_html(title: str, columns: dict[str, list]) -> str:
    head = "".join(f"<th scope=col>{html.escape(str(name))}</th>" for name in columns)
    rows = zip(*columns.values(), strict=True)
    body = "".join("<tr>" + "".join(_cell(i, value) for i, value in enumerate(row)) + "</tr>" for row in rows)
    caption = f"<caption>{html.escape(title)}</caption>" if title else ""
    table = f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-box" tabindex="0">{table}</div>'


def _cell(i: int, value) -> str:
    return f"<th scope=row>{html.escape(str(value))}</th>" if i == 0 else f"<td>{html.escape(str(value))}</td>"


def _figure_entry(wide, phone: go.Figure) -> dict:
    """The figure as plotly's dict, and what a phone's version changes in it: its layout and, per trace, only
    the properties that differ (the data is the bulk of a figure and is the same)."""
    spec = json.loads(pio.to_json(figure_spec(wide), validate=False))
    small = json.loads(pio.to_json(phone, validate=False))
    phone_traces = [
        {key: value for key, value in trace.items() if wide_trace.get(key) != value}
        for wide_trace, trace in zip(spec.get("data", []), small.get("data", []), strict=True)
    ]
    return {
        "data": spec.get("data", []),
        "layout": spec.get("layout", {}),
        "phone": {"layout": small.get("layout", {}), "data": phone_traces},
    }


_BOLD, _ITALIC = re.compile(r"\*\*(.+?)\*\*"), re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_STRONG, _EM = r"<strong>\1</strong>", r"<em>\1</em>"


def markdown(text: str) -> str:
    """The catalogue's markdown (paragraphs, lists of "- " lines, **bold**, *italic*) as HTML, everything else
    escaped: a lesson's texts are ours, but the words in them are the sentence's."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [_inline(line.strip()) for line in block.strip().splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            blocks.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        elif lines:
            blocks.append(f"<p>{' '.join(lines)}</p>")
    return "".join(blocks)


def _inline(line: str) -> str:
    return _ITALIC.sub(_EM, _BOLD.sub(_STRONG, html.escape(line, quote=False)))


def _json(value) -> str:
    """JSON safe inside a <script> element (no "</script>" or "<!--" can end it early)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@cache
def plotly_js() -> str:
    """plotly.js as the plotly package ships it (minified; inlined once per file, never fetched)."""
    return get_plotlyjs()


@cache
def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def lessons_index(files: Sequence[tuple[str, str, str]], t: Callable[..., str], lang: str) -> str:
    """index.html beside the files: a link to each (file name, title, summary), for a USB stick."""
    items = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(title)}</a><br>{html.escape(summary)}</li>'
        for name, title, summary in files
    )
    return _asset("html_index.html").format(
        lang=LANG_TAGS.get(lang, lang), title=html.escape(t("lf_index_title")), items=items
    )
