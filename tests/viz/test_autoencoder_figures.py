"""The autoencoder page's figures say what they show: ELECTRA's bars marked right or wrong by the threshold
(not by colour alone), a VAE's posterior with or without its spread, the latent map one trace per group."""

import numpy as np
import pytest

from seqviz.explain.latent import principal_plane
from seqviz.viz.autoencoders import (
    ORIGINAL_COLOR,
    REPLACED_COLOR,
    detection_bars,
    latent_scatter,
    posterior_bars,
)
from seqviz.viz.describe import figure_spec


def test_detection_bars_mark_each_call_and_colour_the_truth():
    fig = figure_spec(
        detection_bars(
            ["the", "dog", "sleeps"], [0.1, 0.9, 0.7], [False, True, False], originals=["the", "cat", "sleeps"]
        )
    )
    bars = fig["data"][0]
    assert bars["text"] == ["10% ✓", "90% ✓", "70% ✗"]
    assert bars["marker"]["color"] == [ORIGINAL_COLOR, REPLACED_COLOR, ORIGINAL_COLOR]
    assert fig["layout"]["xaxis"]["ticktext"][1] == "cat → dog"  # a replaced word names its original
    with pytest.raises(ValueError):
        detection_bars(["the"], [0.1, 0.2], [False, False])


def test_posterior_bars_have_whiskers_only_for_a_distribution():
    with_sigma = figure_spec(posterior_bars([0.5, -1.0], [0.2, 0.3]))
    assert with_sigma["data"][0]["error_y"]["array"] == [0.2, 0.3]
    assert "error_y" not in figure_spec(posterior_bars([0.5, -1.0], None))["data"][0]


def test_latent_scatter_one_trace_per_group_and_the_marked_point():
    coords = np.array([[0, 0], [1, 1], [2, 2]])
    fig = figure_spec(latent_scatter(coords, ["a", "b", "a"], marked=[(0.5, 0.5, "mine")]))
    assert [t.get("name") for t in fig["data"][:2]] == ["a", "b"]
    assert fig["data"][0]["x"] == [0, 2] and fig["data"][2]["text"] == ["mine"]
    assert {t["marker"]["symbol"] for t in fig["data"][:2]} == {"circle", "square"}  # never colour alone


def test_principal_plane_keeps_the_spread_and_is_deterministic():
    rng = np.random.default_rng(0)
    along = rng.normal(size=(200, 1)) * np.array([[3.0, 0, 0, 0]]) + rng.normal(size=(200, 4)) * 0.1
    plane = principal_plane(along + 5.0)
    assert plane.explained[0] > 0.95 and plane.explained[0] >= plane.explained[1]
    assert abs(plane.axes[0, 0]) > 0.99 and plane.axes[0, 0] > 0  # the sign is fixed
    assert np.allclose(plane.project(plane.mean[None]), 0)
    assert np.allclose(plane.axes @ plane.axes.T, np.eye(2))
    again = principal_plane(along + 5.0)
    assert np.array_equal(again.axes, plane.axes)
