"""The home page's comparison of two paradigms' code, as a user drives it in both languages: each comparison
shows both sides' real source with exactly the differing lines marked."""

from __future__ import annotations

import html

import pytest

from seqviz.export.code import COMPARISONS, compare
from tests.pages.apptest_helpers import ROOT, TIMEOUT


def opened(lang: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.session_state["code_compare_open"] = True  # the user unfolded the comparison
    at.run()
    assert not at.exception, at.exception
    return at


def shown_sides(at) -> list[str]:
    return [
        block.proto.body for block in at.get("html") if "seqviz-diff" in block.proto.body and "<pre" in block.proto.body
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_comparison_shows_both_sources_with_the_differing_lines_marked(lang):
    at = opened(lang)
    for name, comparison in COMPARISONS.items():
        at.segmented_control(key="code_compare").set_value(name).run()
        assert not at.exception, at.exception
        rows = compare(comparison)
        left, right = shown_sides(at)
        for side, lines in ((left, [row.left for row in rows]), (right, [row.right for row in rows])):
            marked = [ln for ln in side.split("\n") if "seqviz-diff-marked" in ln]
            expected = [line for line, row in zip(lines, rows, strict=True) if line is not None and not row.same]
            assert len(marked) == len(expected)
            for line in expected:
                assert html.escape(line) in side


def test_folded_the_comparison_runs_nothing():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and not shown_sides(at) and not at.code
