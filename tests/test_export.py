"""The slide pack (`python -m seqviz.export`) and the figure composition it uses."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest
import torch
from PIL import Image

from seqviz.export import __main__ as export
from seqviz.export.deck import PNG_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH, Deck, sentence_words
from seqviz.export.slides import SLIDES, build_slides
from seqviz.viz.compose import figure_grid, wrapped
from seqviz.viz.parallel import log_ticks
from seqviz.viz.static_export import static_export_available

FAST = ["--speed-lengths", "4", "8", "--speed-repeats", "1"]


@pytest.fixture(scope="module")
def renderer():
    if not static_export_available():
        message = "the slide pack needs kaleido and Chromium (apt-get install chromium)"
        if os.environ.get("SEQVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _svg_size(path) -> tuple[float, float]:
    root = ET.parse(path).getroot()
    return float(root.get("width")), float(root.get("height"))


# Rendered by kaleido in the test: one slide of each kind of drawing (a grid of heatmaps, a tree of annotated
# points, log-scale curves, images, line charts); every slide is built at the slide's size below.
RENDERED = ("01_", "05_", "09_", "15_", "17_")


def test_pack_renders_slides_as_png_and_svg_of_the_stated_size(renderer, tmp_path, capsys):
    assert export.main(["--out", str(tmp_path), *FAST, "--only", *RENDERED]) == 0
    names = [name for name, _, _ in SLIDES if name.startswith(RENDERED)]
    assert len(names) == len(RENDERED)
    for name in names:
        png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
        with Image.open(png) as image:
            image.verify()  # a truncated or corrupt PNG raises
        with Image.open(png) as image:
            assert image.size == (SLIDE_WIDTH * PNG_SCALE, SLIDE_HEIGHT * PNG_SCALE) == (1920, 1080)
            colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is None or len(colours) > 20, f"{name}.png is (nearly) blank"
        assert _svg_size(svg) == (SLIDE_WIDTH, SLIDE_HEIGHT)
        assert svg.stat().st_size > 5_000
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert all(f"({name}.png)" in index for name in names)
    assert "the black cat sees the small dogs" in index
    assert f"{len(names)} slides ({2 * len(names)} files)" in capsys.readouterr().out


def test_every_slide_is_built_at_the_slide_size():
    deck = Deck("en", sentence_words("the black cat sees the small dogs"), torch.device("cpu"), (4, 8), speed_repeats=1)
    with torch.no_grad():
        slides = list(build_slides(deck))
    assert [slide.name for slide in slides] == [name for name, _, _ in SLIDES] and len(slides) == 25
    for slide in slides:
        assert (slide.figure.layout.width, slide.figure.layout.height) == (SLIDE_WIDTH, SLIDE_HEIGHT), slide.name
        assert slide.figure.data and slide.look, slide.name


def test_chinese_pack_draws_chinese_titles_and_the_given_sentence(renderer, tmp_path):
    assert (
        export.main(["--out", str(tmp_path), "--lang", "zh", "--sentence", "The dogs run.", "--only", "03_", "08_"])
        == 0
    )
    svg = (tmp_path / "03_attention_bidirectional_vs_causal.svg").read_text(encoding="utf-8")
    assert "双向注意力与因果注意力" in svg and ">dogs<" in svg and "query" not in svg
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "03_attention_bidirectional_vs_causal.png",
        "08_mask_predict_iterations.png",
    ]
    assert "句子" in (tmp_path / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("the cat sees the zebra", "'zebra'"),
        ("", "empty"),
        ("?!", "empty"),
        (" ".join(["the cat sleeps"] * 5), "at most 12"),
    ],
)
def test_bad_sentence_is_refused_with_a_reason_and_writes_nothing(tmp_path, capsys, sentence, reason):
    out = tmp_path / "pack"
    assert export.main(["--out", str(out), "--sentence", sentence]) == 2
    assert reason in capsys.readouterr().err
    assert not out.exists()


def test_missing_browser_stops_with_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export, "static_export_available", lambda: False)
    assert export.main(["--out", str(tmp_path / "pack")]) == 3
    err = capsys.readouterr().err
    assert "kaleido" in err and "chromium" in err.lower() and "BROWSER_PATH" in err


def test_sentence_words_normalises_case_and_final_punctuation():
    assert sentence_words("The Cats sleep.") == ["the", "cats", "sleep"]


def test_figure_grid_keeps_one_legend_and_one_colour_bar_and_titles_each_panel():
    def panel(title):
        return go.Figure(
            [go.Heatmap(z=[[0, 1], [1, 0]]), go.Scatter(x=[0], y=[0], name="swatch")],
            layout={"title": {"text": title}, "yaxis": {"scaleanchor": "x"}},
        )

    grid = figure_grid([panel("left"), panel("a rather long right-hand panel title")], 2, width=600, height=400)
    heatmaps = [t for t in grid.data if t.type == "heatmap"]
    assert [t.xaxis for t in heatmaps] == ["x", "x2"] and [t.yaxis for t in heatmaps] == ["y", "y2"]
    assert [t.showscale for t in heatmaps] == [False, None]  # only the last panel keeps its colour bar
    assert [t.showlegend for t in grid.data if t.type == "scatter"] == [None, False]
    assert grid.layout.yaxis2.scaleanchor == "x2"
    assert grid.layout.xaxis.domain[1] < grid.layout.xaxis2.domain[0]
    titles = [a.text for a in grid.layout.annotations]
    assert titles[0] == "left" and "<br>" in titles[1]


def test_wrapped_breaks_at_spaces_and_between_chinese_characters():
    assert wrapped("one two three", 10_000, 20) == "one two three"
    assert wrapped("one two three", 60, 20) == "one<br>two<br>three"
    lines = wrapped("掩码语言模型的双向注意力", 100, 20).split("<br>")
    assert len(lines) > 1 and "".join(lines) == "掩码语言模型的双向注意力"


def test_log_ticks_are_one_two_five_around_the_data():
    assert log_ticks([7.5, 190]) == [5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
    assert log_ticks([]) == []
