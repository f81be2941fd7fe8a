"""A lesson's file as text, without a browser or a model: self-contained (plotly.js once, nothing fetched),
every step's text and question in it, the sentence's words escaped, the phone's figure beside the wide one,
the command line's answers to bad arguments. (tests/browser/test_lesson_files.py opens the real files.)"""

from __future__ import annotations

import json
import re
from functools import partial

import numpy as np
import plotly.graph_objects as go
import pytest

from seqviz.export.__main__ import main as export_main
from seqviz.i18n import tr
from seqviz.lessons import LESSONS, Question
from seqviz.lessons.html_file import SIZE_BUDGET, file_name, lesson_html, markdown, plotly_js
from seqviz.lessons.steps import revealed_text

LESSON = LESSONS["masks"]


def _figure():
    fig = go.Figure(layout={"title": {"text": "a <grid>"}, "height": 400})
    fig.add_heatmap(z=np.eye(3), x=["a", "b", "c"], y=["a", "b", "c"])
    fig.add_heatmap(z=np.eye(3), x=["a", "b", "c"], y=["a", "b", "c"], xaxis="x2", yaxis="y2")
    fig.update_layout(
        xaxis={"domain": [0, 0.45]},
        xaxis2={"domain": [0.55, 1], "anchor": "y2"},
        yaxis={"domain": [0, 1]},
        yaxis2={"domain": [0, 1], "anchor": "x2"},
    )
    return fig


QUESTION = Question("which <pad>?", ("«the <pad>»", "two"), 1, "because **two** — *after* the blank")


def _parts(index: int, name: str):
    """Every step with a figure, a question and an answer's figure; no model runs."""
    return QUESTION if name == "question" else _figure()


def _file(lang: str = "en") -> str:
    return lesson_html(LESSON, _parts, partial(tr, lang), lang, "the <b>cat", "2026-12-07", "CPU")


def test_a_file_holds_plotly_once_and_asks_for_nothing():
    page = _file()
    assert page.count(plotly_js()) == 1 and "</script" not in plotly_js().lower()  # nothing ends it early
    outside = re.findall(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=""", page, flags=re.I)
    assert outside == []  # no element of the file loads anything: plotly.js and the script are inline
    assert len(page.encode("utf-8")) < SIZE_BUDGET


def test_every_step_its_question_and_its_reveal_are_in_the_file():
    page = _file()
    t = partial(tr, "en")
    assert page.count('<section class="step"') == len(LESSON.steps)
    for step in LESSON.steps:
        assert f">{t(step.title)}</h2>" in page
    assert page.count(markdown(revealed_text(t, QUESTION))) == len(LESSON.steps)
    assert "&lt;pad&gt;" in page and "<pad>" not in page  # the words are text, never markup
    assert "the &lt;b&gt;cat" in page and "<b>cat" not in page
    assert "<strong>two</strong>" in page and "<em>after</em>" in page


def test_each_figure_keeps_its_data_once_and_a_phones_layout_beside_it():
    page = _file()
    figures = json.loads(re.search(r'id="seqviz-figures">(.*?)</script>', page, flags=re.S).group(1))
    assert len(figures) == 2 * len(LESSON.steps)  # a figure and an answer's figure per step
    for figure in figures:
        assert len(figure["data"]) == 2 and figure["phone"]["data"] == [{}, {}]  # the data is not repeated
        wide, phone = figure["layout"], figure["phone"]["layout"]
        assert wide["xaxis"]["domain"] == [0, 0.45] and phone["xaxis"]["domain"] == [0, 1]  # panels stacked
        assert phone["yaxis"]["domain"][0] > phone["yaxis2"]["domain"][1]  # the first panel above the second


def test_a_chinese_file_is_chinese_and_safe_inside_its_script_elements():
    page = _file("zh")
    assert '<html lang="zh-Hans">' in page
    assert tr("zh", "les_reveal") in page and tr("zh", "lf_keys") in page
    for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, flags=re.S):
        assert "<" not in data  # no text of a figure can close its script element early
        json.loads(data)


def test_markdown_is_the_catalogues_subset():
    assert markdown("a **b** *c*\n\nd < e") == "<p>a <strong>b</strong> <em>c</em></p><p>d &lt; e</p>"
    assert markdown("2 * 3 * 4") == "<p>2 * 3 * 4</p>"  # a lone star is not emphasis
    listed = "<p>seen:</p><ul><li>a &lt;b&gt;</li><li><strong>c</strong></li></ul>"
    assert markdown("seen:\n\n- a <b>\n- **c**") == listed


def test_the_command_line_names_what_is_wrong(tmp_path, capsys):
    assert export_main(["--html", str(tmp_path), "--lessons", "masks", "nope"]) == 2
    assert "no lesson nope" in capsys.readouterr().err
    assert export_main(["--html", str(tmp_path), "--sentence", "the zebra"]) == 2
    assert "zebra" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        export_main(["--html", str(tmp_path), "--out", str(tmp_path)])  # one kind of export at a time
    assert file_name(LESSON, "zh") == "seqviz_lesson_masks_zh.html"
