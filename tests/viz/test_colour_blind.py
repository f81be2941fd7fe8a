"""Every palette whose colours mean different things in one figure keeps them apart for a reader who does not
see red and green apart: each pair stays at least MIN_DELTA_E apart (CIELAB ΔE*76) in normal vision and
under simulated protanopia and deuteranopia (Machado, Oliveira and Fernandes 2009, severity 1). Where a
palette cannot, a second cue tells its items apart (the positions' curves: a dash pattern each)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from seqviz.viz import (
    autoencoders,
    bars,
    beam,
    forecasting,
    generation,
    load,
    parallel,
    pixels,
    positions,
    speech,
    style,
)

MIN_DELTA_E = 20.0  # ~ twice the distance most readers need between two colours seen side by side

# The linear-RGB matrices of the simulation (Machado et al. 2009, Table 1, severity 1.0).
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])

# What each figure tells apart by colour alone.
PALETTES = {
    "masks: may attend / blocked": (style.MASK_ALLOWED_COLOR, style.MASK_BLOCKED_COLOR),
    **{  # a blocked cell among the weights: grey against every colour of the scale
        f"attention: weight {stop} / blocked": (style.MASKED_COLOR, colour) for stop, colour in style.WEIGHT_COLORSCALE
    },
    "checker bars: fits / does not fit / no checker": (bars.GOOD_COLOR, bars.OTHER_COLOR, bars.PLAIN_COLOR),
    "beam search: kept / pruned / finished": tuple(beam.STATUS_COLORS.values()),
    "sampling: before / after": (generation.BEFORE_COLOR, generation.AFTER_COLOR),
    "KV cache: cached / recomputed": (generation.CACHED_COLOR, generation.RECOMPUTE_COLOR),
    "parallel decoders": tuple(parallel.METHOD_COLORS.values()),
    "pixel states: predicted / read / unreadable / later": pixels.STATE_COLORS,
    "series (recurrent nets, load report)": load.SERIES_COLORS,
    "highlight on plain": (style.HIGHLIGHT_COLOR, bars.PLAIN_COLOR),
    "ELECTRA: replaced / original": (autoencoders.REPLACED_COLOR, autoencoders.ORIGINAL_COLOR),
    "latent map: groups and the marked sentence": (*autoencoders.GROUP_COLORS, autoencoders.MARK_COLOR),
    "forecasters and the truth": (forecasting.TRUTH_COLOR, *forecasting.METHOD_COLORS.values()),
    "speech: letter / word error rate": tuple(speech.ERROR_COLORS.values()),
}


def lab(color: str, simulation: str) -> np.ndarray:
    srgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    xyz = SRGB_TO_XYZ @ np.clip(SIMULATIONS[simulation] @ linear, 0, 1) / WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, simulation: str) -> float:
    return float(np.linalg.norm(lab(a, simulation) - lab(b, simulation)))


def test_the_simulation_merges_what_it_should():
    """The check can fail: red and green, far apart in normal vision, merge for both kinds of red-green
    colour blindness; blue and orange do not."""
    assert delta_e("#d62728", "#2ca02c", "normal") > 60
    assert delta_e("#e08214", "#2ca02c", "protanopia") < 10
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E
    assert all(delta_e("#1f5fa8", "#e6550d", s) > 90 for s in SIMULATIONS)


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
@pytest.mark.parametrize("figure", list(PALETTES))
def test_a_figures_colours_stay_apart(figure, simulation):
    close = [
        (a, b, round(delta_e(a, b, simulation), 1))
        for a, b in itertools.combinations(PALETTES[figure], 2)
        if delta_e(a, b, simulation) < MIN_DELTA_E
    ]
    assert not close, f"{figure} under {simulation}: {close}"


def test_curves_that_share_a_colour_for_some_readers_differ_in_dash():
    """The positions page's curves (up to six): Okabe-Ito-like colours cannot keep six apart for every
    reader, so each of the first curves also has its own dash pattern."""
    n = len(positions.DASHES)
    assert len(set(positions.DASHES)) == n >= 4
    for i, j in itertools.combinations(range(len(positions.LINE_COLORS)), 2):
        a, b = positions.LINE_COLORS[i], positions.LINE_COLORS[j]
        if min(delta_e(a, b, s) for s in SIMULATIONS) < MIN_DELTA_E:
            assert positions.DASHES[i % n] != positions.DASHES[j % n], (a, b)
