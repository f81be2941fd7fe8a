"""The pixels page as a user drives it: the kernels and a receptive field at the image's corners, a digit
drawn one pixel, one row and then to the end (the same clicks giving the same image), the rival's samples and
the measured table."""

from __future__ import annotations

import pytest

from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/11_Pixels.py"


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def _line(at, start: str) -> str:
    return next(m.value for m in at.markdown if m.value.strip().startswith(start))


def _click(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_every_figure_exports(page):
    # kernel A, kernel B, the raster mask, the receptive field, the drawing, two sample grids, the marginals
    assert assert_figures_export(page, "pixels") == 8


@pytest.mark.parametrize(("row", "col", "earlier"), [(0, 0, 0), (15, 15, 255), (8, 3, 131), (5, 8, 88)])
def test_the_receptive_field_counts_earlier_pixels_and_the_blind_spot(page, row, col, earlier):
    page.slider(key="pix_field_row").set_value(row).run()
    page.slider(key="pix_field_col").set_value(col).run()
    counts = _line(page, f"**{earlier}** pixels come before this one")
    reaches, blind, far = (int(part) for part in counts.split("**")[3:8:2])
    assert reaches + blind + far == earlier
    assert (blind > 0) == (0 < row and col < 15)  # no wedge on the top row or at the far right
    # the stack reaches 9 rows up and 9 columns to each side (3 for the 7×7 type-A kernel, 1 per type-B layer)
    assert (far > 0) == (row > 9 or (row > 0 and (col > 9 or col < 15 - 9)))


def test_a_digit_is_drawn_pixel_by_pixel_then_a_row_then_to_the_end(page):
    page.segmented_control(key="pix_digit").set_value(7).run()
    assert "Nothing drawn yet" in all_text(page)
    _click(page, "pix_step_pixel")
    assert "Forward passes so far: **1**" in _line(page, "**Last pixel** (0, 0)")
    _click(page, "pix_step_row")
    assert "Forward passes so far: **16**" in _line(page, "**Last pixel** (0, 15)")
    _click(page, "pix_step_end")
    assert "Forward passes so far: **256**" in _line(page, "**Last pixel** (15, 15)")
    finished = _line(page, "**Finished.**")
    assert "The classifier reads it as" in finished and page.button(key="pix_step_pixel").disabled


def test_the_same_clicks_draw_the_same_image_and_a_new_drawing_another():
    def drawn(at) -> str:
        _click(at, "pix_step_end")
        return str(at.get("plotly_chart")[4].proto.spec)  # the drawing figure

    at = open_page(PAGE)
    first = drawn(at)
    _click(at, "pix_restart")
    assert drawn(at) == first
    _click(at, "pix_new")
    assert drawn(at) != first
    at.segmented_control(key="pix_digit").set_value(0).run()  # another digit starts afresh
    assert "Nothing drawn yet" in all_text(at)
    at.segmented_control(key="pix_mode").set_value("greedy").run()
    assert at.button(key="pix_new").disabled and not at.exception  # most likely pixels: one image per digit


def test_the_rival_samples_and_the_measured_table(page):
    text = all_text(page)
    assert text.count("the classifier names the digit asked for in") == 2
    assert "Why the rival fails" in text and "median of" in text
    table = page.table[0].value
    assert list(table.iloc[:, 0]) == ["PixelCNN, pixel by pixel", "One shot, pixels independent"]
    assert list(table["forward passes per image"]) == [256, 1]
    _click(page, "pix_new_samples")
