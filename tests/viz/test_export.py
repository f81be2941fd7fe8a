"""SVG export through kaleido and Chromium: skipped where they are missing (unless CI requires them)."""

import os

import numpy as np
import pytest

from seqviz.viz.masks import scores_pipeline_figure
from seqviz.viz.style import static_export_available, to_svg_bytes


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
