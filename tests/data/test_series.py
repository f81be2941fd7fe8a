"""The generated series: seeded, held out by construction, of the families they claim, and normalised so
that the models never see a series' level or scale."""

import numpy as np
import pytest
import torch

from seqviz.data.series import (
    CONTEXT,
    FAMILIES,
    HORIZON,
    LENGTH,
    denormalise,
    forecast_batches,
    generate,
    normalise,
    sensor_array,
    series_splits,
    training_series,
)


def test_same_seed_same_series_and_another_seed_new_ones():
    a, b = series_splits(n_valid=5, n_test=7, seed=3), series_splits(n_valid=5, n_test=7, seed=3)
    assert np.array_equal(a["test"].values, b["test"].values)
    assert a["test"].values.shape == (7 * len(FAMILIES), LENGTH)
    other = series_splits(n_valid=5, n_test=7, seed=4)
    assert not np.allclose(a["test"].values, other["test"].values)
    batch = training_series(12, torch.Generator().manual_seed(0))
    again = training_series(12, torch.Generator().manual_seed(0))
    assert np.array_equal(batch.values, again.values) and len(batch) == 12


def test_training_series_are_never_the_held_out_ones():
    test = series_splits(n_valid=20, n_test=20, seed=11)["test"].values
    generator = torch.Generator().manual_seed(0)
    train = np.concatenate([training_series(60, generator).values for _ in range(5)])
    distance = np.abs(train[:, None, :8] - test[None, :, :8]).sum(-1)  # (train, test) on the first 8 steps
    assert distance.min() > 1e-3


def test_splits_interleave_the_families_and_know_their_seasons():
    test = series_splits(n_valid=2, n_test=3, seed=0)["test"]
    names = list(FAMILIES)
    assert test.family_names()[: len(names)] == names  # any leading slice holds every family
    assert [int(m) for m in test.m[: len(names)]] == [FAMILIES[n] for n in names]
    assert test[:4].values.shape == (4, LENGTH) and test.context.shape[1] == CONTEXT
    assert test.future.shape[1] == HORIZON


def test_a_seasonal_series_repeats_with_its_season_and_a_trend_climbs():
    seasonal = generate("seasonal", 50, [0, 0])
    same_phase = np.abs(seasonal[:, 24:] - seasonal[:, :-24]).mean()
    half_season = np.abs(seasonal[:, 12:] - seasonal[:, :-12]).mean()
    assert same_phase < 0.5 * half_season
    trend = generate("trend", 200, [0, 1])
    yearly_change = np.abs(trend[:, 96:] - trend[:, :24]).mean()  # four seasons apart: the trend only
    assert yearly_change > np.abs(seasonal[:, 96:] - seasonal[:, :24]).mean()


def test_the_sensors_of_an_array_move_together():
    array = sensor_array(50, seed=1)
    assert array.shape == (50, LENGTH)
    z = (array - array.mean(1, keepdims=True)) / array.std(1, keepdims=True)
    correlation = np.corrcoef(z)[np.triu_indices(50, 1)]
    independent = generate("sensor", 50, [1, 5])
    zi = (independent - independent.mean(1, keepdims=True)) / independent.std(1, keepdims=True)
    assert np.abs(correlation).mean() > np.abs(np.corrcoef(zi)[np.triu_indices(50, 1)]).mean() + 0.15


def test_unknown_family_is_named():
    with pytest.raises(ValueError, match="known: seasonal"):
        generate("weather", 1, 0)


def test_normalise_removes_level_and_scale_and_denormalise_undoes_it():
    values = torch.from_numpy(generate("seasonal", 4, [2, 0]))
    z, loc, scale = normalise(values[:, :CONTEXT])
    assert torch.allclose(z.mean(1), torch.zeros(4), atol=1e-5) and torch.allclose(z.std(1), torch.ones(4), atol=1e-5)
    assert torch.allclose(denormalise(z, loc, scale), values[:, :CONTEXT], atol=1e-3)
    shifted, _, _ = normalise(values[:, :CONTEXT] * 7 + 100)
    assert torch.allclose(shifted, z, atol=1e-4)  # the models see the shape, never the level or scale
    flat, _, flat_scale = normalise(torch.full((1, CONTEXT), 5.0))
    assert torch.isfinite(flat).all() and flat_scale.item() > 0


def test_batches_are_normalised_by_the_context_only():
    batch = forecast_batches(6)(torch.Generator().manual_seed(0))
    assert batch["context"].shape == (6, CONTEXT) and batch["target"].shape == (6, HORIZON)
    assert torch.allclose(batch["context"].mean(1), torch.zeros(6), atol=1e-5)
