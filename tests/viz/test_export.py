"""SVG export through kaleido and Chromium: skipped where they are missing (unless CI requires them)."""

import os

import numpy as np
import pytest

from seqviz.viz.masks import scores_pipeline_figure
from seqviz.viz.static_export import static_export_available, to_svg_bytes


def test_pipeline_figure_exports_to_svg():
    if not static_export_available():
        if os.environ.get("SEQVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("SVG export is required here but kaleido or Chromium is missing")
        pytest.skip("SVG export needs kaleido and a Chromium browser")
    mask = np.tril(np.ones((3, 3), dtype=bool))
    fig = scores_pipeline_figure(np.arange(9.0).reshape(3, 3), mask, ["我", "<b>", "cat"], ["我", "<b>", "cat"])
    svg = to_svg_bytes(fig).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "我" in svg and "<b>" not in svg  # Chinese kept, HTML-looking labels escaped


class _Figure:
    """A figure whose export fails with the given errors first."""

    def __init__(self, *errors):
        self.errors, self.calls = list(errors), 0

    def to_image(self, format, scale):  # noqa: A002 (plotly's name)
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return b"<svg/>"


def test_kaleidos_page_race_is_tried_again_once_and_other_errors_are_not():
    from seqviz.viz.static_export import _PAGE_RACE, _to_image

    race = RuntimeError(f"JavascriptError: ReferenceError: {_PAGE_RACE}")
    once = _Figure(race)
    assert _to_image(once, "svg", 1) == b"<svg/>" and once.calls == 2
    with pytest.raises(RuntimeError):
        _to_image(_Figure(race, race), "svg", 1)  # a second race is reported, not looped on
    other = _Figure(ValueError("no browser"))
    with pytest.raises(ValueError):
        _to_image(other, "svg", 1)
    assert other.calls == 1
