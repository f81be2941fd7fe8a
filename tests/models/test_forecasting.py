"""The forecasters: the direct one never reads the future, the recursive one reads only its own earlier
predictions at inference, AR(p) is what statsmodels fits, and MASE is Hyndman and Koehler's."""

import numpy as np
import pytest
import torch

from seqviz.data.series import CONTEXT, HORIZON, generate, series_splits
from seqviz.decoding.forecast import (
    ar_forecast,
    direct_forecast,
    recursive_forecast,
    rollout,
    seasonal_naive,
    with_true_history,
)
from seqviz.models.forecasting import (
    DirectForecaster,
    ForecastConfig,
    RecursiveForecaster,
    fit_ar,
    pinball_loss,
)
from seqviz.training.forecast_evaluation import crossover_step, mase, mase_scale, scaled_errors

SMALL = dict(context=CONTEXT, horizon=HORIZON, hidden=16, n_layers=1)


def models(seed: int = 0):
    torch.manual_seed(seed)
    return (
        RecursiveForecaster(ForecastConfig(**SMALL)).eval(),
        RecursiveForecaster(ForecastConfig(**SMALL, training="own_predictions")).eval(),
        DirectForecaster(ForecastConfig(**SMALL)).eval(),
    )


@pytest.fixture(scope="module")
def series():
    return generate("seasonal", 4, [5, 0]).astype(np.float64)


def test_same_seed_same_model_same_forecast(series):
    first, second = models(3), models(3)
    for a, b in zip(first, second, strict=True):
        assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True))
    a = recursive_forecast(first[0], series[:, :CONTEXT], HORIZON, seed=1)
    b = recursive_forecast(second[0], series[:, :CONTEXT], HORIZON, seed=1)
    assert np.array_equal(a.point, b.point) and np.array_equal(a.lower, b.lower)


def test_the_direct_forecast_never_depends_on_the_truth_after_the_context(series):
    _, _, direct = models()
    changed = series.copy()
    changed[:, CONTEXT:] = np.random.default_rng(0).normal(0, 1e3, changed[:, CONTEXT:].shape)
    a, b = (direct_forecast(direct, s[:, :CONTEXT], HORIZON) for s in (series, changed))
    assert np.array_equal(a.point, b.point) and np.array_equal(a.lower, b.lower) and np.array_equal(a.upper, b.upper)
    with pytest.raises(ValueError, match="exactly 96"):  # a whole window is refused, not silently cut
        direct_forecast(direct, series, HORIZON)
    # the forward pass used in training sees the truth too: it enters the loss only, never any output step
    context, target = torch.randn(3, CONTEXT), torch.randn(3, HORIZON, requires_grad=True)
    out = direct(context, target)
    for h in range(HORIZON):
        (grad,) = torch.autograd.grad(out.logits[:, h].sum(), target, retain_graph=True, allow_unused=True)
        assert grad is None or not grad.any()
    (grad,) = torch.autograd.grad(out.loss, target)
    assert grad.abs().sum() > 0  # (the loss does read it: the check above could fail)
    with torch.no_grad():
        assert torch.equal(direct(context, target * 50).logits, out.logits)
    # and it does read the context: a change in the past changes the forecast, every step of it
    earlier = series.copy()
    earlier[:, CONTEXT - 5] += 10 * series.std()
    moved = direct_forecast(direct, earlier[:, :CONTEXT], HORIZON).point
    assert (np.abs(moved - a.point) > 1e-6).all()


def test_the_recursive_rollout_reads_only_its_own_earlier_predictions(series):
    for model in models()[:2]:
        read, produced = [], []
        step = model.step

        def spy(values, state=None, step=step, read=read, produced=produced):
            mean, log_sigma, new_state = step(values, state)
            read.append(values.clone())
            produced.append(mean[:, -1:].clone())
            return mean, log_sigma, new_state

        model.step = spy
        try:
            forecast = recursive_forecast(model, series[:, :CONTEXT], HORIZON, samples=0).point
        finally:
            del model.step
        assert len(read) == HORIZON and read[0].shape[1] == CONTEXT  # the past once, then one value per step
        for h in range(1, HORIZON):
            assert read[h].shape[1] == 1
            assert torch.equal(read[h], produced[h - 1])  # step h reads step h−1's prediction, nothing else
        changed = series.copy()
        changed[:, CONTEXT:] += 1e3  # another future: the forecast cannot tell
        assert np.array_equal(recursive_forecast(model, changed[:, :CONTEXT], HORIZON, samples=0).point, forecast)
        # the diagnostic that reads the truth does change (so the check above could fail)
        a = with_true_history(model, series[:, :CONTEXT], series[:, CONTEXT:])
        b = with_true_history(model, changed[:, :CONTEXT], changed[:, CONTEXT:])
        assert not np.allclose(a[:, 1:], b[:, 1:])


def test_sampled_paths_feed_back_their_own_draws():
    model = models()[0]
    z = torch.randn(2, CONTEXT)
    paths, log_sigma = rollout(model, z, 6, torch.Generator().manual_seed(0))
    with torch.no_grad():  # replaying the path step by step: each draw sits around the mean of the step before
        mean, _, state = model.step(z)
        for h in range(6):
            gap = (paths[:, h] - mean[:, -1]).abs() / log_sigma[:, h].exp()
            assert (gap < 6).all()
            mean, _, state = model.step(paths[:, h : h + 1], state)


def test_training_on_own_predictions_feeds_the_means_back_in_the_future():
    _, free, _ = models()
    read = []
    step = free.step

    def spy(values, state=None):
        read.append(values.detach().clone())
        return step(values, state)

    free.step = spy
    try:
        out = free(torch.randn(2, CONTEXT), torch.randn(2, HORIZON))
    finally:
        del free.step
    means = out.logits[..., 0]  # (B, C − 1 + H)
    assert len(read) == HORIZON
    for h in range(1, HORIZON):
        assert torch.allclose(read[h][:, 0], means[:, CONTEXT - 2 + h])


def test_ar_coefficients_match_statsmodels():
    autoreg = pytest.importorskip("statsmodels.tsa.ar_model").AutoReg
    for family, p in (("ar_noise", 2), ("seasonal", 25), ("trend", 5)):
        y = generate(family, 1, [7, 3])[0].astype(np.float64)
        ours = fit_ar(torch.from_numpy(y)[None], p)[0].numpy()
        theirs = autoreg(y, lags=p, trend="c").fit().params
        assert np.allclose(ours, theirs, atol=1e-6, rtol=1e-6), (family, p, np.abs(ours - theirs).max())


def test_ar_forecast_matches_statsmodels_on_the_same_past():
    autoreg = pytest.importorskip("statsmodels.tsa.ar_model").AutoReg
    y = generate("ar_noise", 1, [8, 3])[0].astype(np.float64)
    theirs = autoreg(y[:CONTEXT], lags=2, trend="c").fit().predict(start=CONTEXT, end=CONTEXT + HORIZON - 1)
    ours = ar_forecast(y[None, :CONTEXT], 2, HORIZON)[0]  # fitted on the normalised past, mapped back
    assert np.allclose(ours, theirs, atol=1e-6 * np.abs(theirs).max())


def test_ar_recovers_a_known_process():
    rng = np.random.default_rng(0)
    y = np.zeros(5000)
    for t in range(2, 5000):
        y[t] = 0.5 + 0.6 * y[t - 1] - 0.3 * y[t - 2] + rng.standard_normal()
    coef = fit_ar(torch.from_numpy(y)[None], 2)[0].numpy()
    assert np.allclose(coef, [0.5, 0.6, -0.3], atol=0.05)
    with pytest.raises(ValueError, match="AR"):
        fit_ar(torch.zeros(1, 10), 6)


def test_seasonal_naive_repeats_the_last_season():
    season = np.arange(4, dtype=float)
    context = np.tile(season, 3)[None]  # 0 1 2 3 0 1 2 3 0 1 2 3
    assert seasonal_naive(context, 4, 6).tolist() == [[0, 1, 2, 3, 0, 1]]
    assert seasonal_naive(context, 1, 3).tolist() == [[3, 3, 3]]  # m = 1: the last value


def test_mase_equals_a_hand_computation():
    context = np.array([[1.0, 3.0, 2.0, 4.0, 3.0]])  # m = 2: |2−1|, |4−3|, |3−2| -> scale 1
    assert mase_scale(context, 2).tolist() == [1.0]
    forecast, truth = np.array([[5.0, 2.0]]), np.array([[4.0, 4.0]])  # errors 1, 2
    assert mase(forecast, truth, context, 2) == pytest.approx(1.5)
    assert scaled_errors(forecast, truth, context * 2, 2).tolist() == [[0.5, 1.0]]  # scale 2 now


def test_seasonal_naive_in_sample_has_mase_one():
    test = series_splits(n_valid=1, n_test=5, seed=1)["test"]
    for row in range(len(test)):
        y, m = test.values[row], int(test.m[row])
        in_sample = y[:-m]  # forecasting y[m:] by the value one season earlier, inside the same window
        assert mase(in_sample[None], y[None, m:], y[None], m) == pytest.approx(1.0)


def test_pinball_loss_is_least_at_the_quantile():
    target = torch.randn(20_000)
    levels = torch.tensor([0.1, 0.5, 0.9])
    candidates = torch.linspace(-2, 2, 81)
    for level in levels:
        losses = [pinball_loss(c.expand(1, len(target), 1), target[None], level[None]).item() for c in candidates]
        best = candidates[int(np.argmin(losses))]
        assert abs(best - target.quantile(level)) < 0.06, (level, best)
    assert pinball_loss(torch.zeros(1, 1, 3), torch.zeros(1, 1), levels) == 0


def test_direct_quantiles_never_cross():
    _, _, direct = models()
    f = direct_forecast(direct, np.random.default_rng(0).normal(size=(5, CONTEXT)), HORIZON)
    assert (f.lower <= f.point).all() and (f.point <= f.upper).all()
    with pytest.raises(ValueError, match="at most"):
        direct_forecast(direct, np.zeros((1, CONTEXT)), HORIZON + 1)


def test_crossover_step():
    assert crossover_step([1, 1, 0.5, 0.4], [0.5, 0.9, 0.6, 0.8]) == 3
    assert crossover_step([1, 0.5, 0.9], [0.9, 0.6, 0.8]) is None
    assert crossover_step([0.1, 0.2], [0.5, 0.6]) == 1


def test_config_rejects_an_unknown_training_mode():
    with pytest.raises(ValueError, match="teacher_forcing"):
        ForecastConfig(training="scheduled")
    assert ForecastConfig.from_dict(ForecastConfig(quantiles=[0.2, 0.8]).to_dict()).quantiles == (0.2, 0.8)
