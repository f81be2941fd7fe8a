"""The pixel figures: kernel and receptive-field states, a drawing with its next pixel framed, image grids."""

import numpy as np
import pytest

from seqviz.models.masks import pixel_kernel_mask
from seqviz.viz.pixels import drawing_figure, field_states, image_grid_figure, kernel_states, pixel_states_figure


def test_kernel_states_mark_the_predicted_pixel_only_for_type_a():
    a, b = kernel_states(pixel_kernel_mask(3, "A").numpy(), "A"), kernel_states(pixel_kernel_mask(3, "B").numpy(), "B")
    assert a.tolist() == [[1, 1, 1], [1, 0, 2], [2, 2, 2]]
    assert b.tolist() == [[1, 1, 1], [1, 1, 2], [2, 2, 2]]


def test_field_states_split_earlier_pixels_into_reached_and_not():
    field = np.zeros((3, 3), bool)
    field[0, 0] = field[1, 0] = True
    states = field_states(field, 1, 1)
    assert states.tolist() == [[1, 2, 2], [1, 0, 3], [3, 3, 3]]


def test_a_states_figure_has_a_swatch_per_state_and_refuses_unknown_states():
    fig = pixel_states_figure(np.array([[0, 1], [2, 1]]), ["a", "b", "<c>"], "t", legend_below=True)
    assert [trace.name for trace in fig.data[1:]] == ["a", "b", "&lt;c&gt;"]  # escaped, never markup
    with pytest.raises(ValueError):
        pixel_states_figure(np.array([[0, 3]]), ["a", "b"])


def test_the_drawing_frames_the_next_pixel_until_it_is_finished():
    image, p = np.zeros((4, 4), int), np.full((4, 4), np.nan)
    half = drawing_figure(image, p, 5)
    assert len(half.layout.shapes) == 2 and half.layout.shapes[0].x0 == 0.5 and half.layout.shapes[0].y0 == 0.5
    assert np.isnan(np.array(half.data[1].z, dtype=float)[1, 1])  # undrawn: no probability shown
    done = drawing_figure(image, np.zeros((4, 4)), 16)
    assert not done.layout.shapes and not done.layout.showlegend


def test_an_image_grid_lays_images_out_in_rows_with_gaps():
    fig = image_grid_figure(np.ones((12, 4, 4)), 5, column_labels=list("01234"))
    z = np.array(fig.data[0].z, dtype=float)
    assert z.shape == (3 * 5 - 1, 5 * 5 - 1) and np.isnan(z[4]).all() and np.isnan(z[-1, -1])
    assert list(fig.layout.xaxis.ticktext) == list("01234")
