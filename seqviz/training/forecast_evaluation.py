"""How the forecasters are measured on held-out series (data/series.py's test split: new draws, never seen in
training), beside the seasonal-naive floor and AR(p) on the very same series.

MASE (Hyndman & Koehler 2006): a forecast's absolute error divided by the mean absolute error that the
seasonal-naive forecast makes inside the series' own past, (1 / (C − m)) Σ_{t=m+1..C} |y_t − y_{t−m}|. So
MASE 1 = as wrong as "the last season again" is in-sample; below 1 beats it. It is scale-free, so series of
any level and scale average fairly. Here it is taken per horizon step h (the mean over series of the scaled
error at step h) and over the whole horizon (the mean of those), overall and per family.

Stored per checkpoint (metrics.json): its own MASE per step and per family, the same for seasonal-naive and
AR(p) (computed again for each checkpoint: cheap, and each file then stands alone), its skill against the
floor (1 − MASE / MASE of seasonal-naive: above 0 beats it), the share of truths inside its 80% interval; for
a recursive model also the error at each step when it reads the true previous values instead of its own
(exposure bias in numbers). `crossover_step` compares two checkpoints' curves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..data.series import FAMILIES, SeriesSet
from ..decoding.forecast import (
    ar_forecast,
    ar_order,
    direct_forecast,
    recursive_forecast,
    seasonal_naive,
    with_true_history,
)
from ..models.forecasting import DirectForecaster, RecursiveForecaster

REPORTED_STEPS = (1, 6, 12, 24)  # the steps quoted in words (the curves keep every step)
INTERVAL_SERIES = 600  # the interval's coverage is measured on the first 600 test series (sampled paths)


def mase_scale(context, m) -> np.ndarray:
    """The in-sample seasonal-naive MAE of each row: mean_t |y_t − y_{t−m}| over the context. (B,)"""
    context = np.asarray(context, dtype=np.float64)
    seasons = np.broadcast_to(np.asarray(m, dtype=int), (len(context),))
    out = np.empty(len(context))
    for i, (row, season) in enumerate(zip(context, seasons, strict=True)):
        out[i] = np.abs(row[season:] - row[:-season]).mean()
    return np.maximum(out, 1e-8)


def scaled_errors(forecast, future, context, m) -> np.ndarray:
    """|forecast − truth| / the row's MASE scale. (B, H)"""
    error = np.abs(np.asarray(forecast, dtype=np.float64) - np.asarray(future, dtype=np.float64))
    return error / mase_scale(context, m)[:, None]


def mase(forecast, future, context, m) -> float:
    """MASE over every row and step."""
    return float(scaled_errors(forecast, future, context, m).mean())


def _r(x: float) -> float:
    return round(float(x), 4)


def summary(errors: np.ndarray, families: np.ndarray) -> dict:
    """MASE per step, overall, per family (and per family per step) from scaled errors (B, H)."""
    names = list(FAMILIES)
    present = sorted(set(int(f) for f in families))
    return {
        "mase": _r(errors.mean()),
        "mase_by_step": [_r(v) for v in errors.mean(0)],
        "mase_by_family": {names[f]: _r(errors[families == f].mean()) for f in present},
        "mase_by_family_by_step": {names[f]: [_r(v) for v in errors[families == f].mean(0)] for f in present},
    }


def baselines(test: SeriesSet, horizon: int) -> dict:
    """Seasonal-naive and AR(p) on the test series: {"seasonal_naive": summary, "ar": summary}."""
    context, future = test.context, test.future[:, :horizon]
    naive = seasonal_naive(context, test.m, horizon)
    ar = ar_forecast(context, [ar_order(m) for m in test.m], horizon)
    return {
        "seasonal_naive": summary(scaled_errors(naive, future, context, test.m), test.family),
        "ar": {
            **summary(scaled_errors(ar, future, context, test.m), test.family),
            "order": "m + 1 (2 without a season)",
        },
    }


def coverage(lower: np.ndarray, upper: np.ndarray, future: np.ndarray) -> float:
    """The share of true values inside [lower, upper]."""
    return float(((future >= lower) & (future <= upper)).mean())


def evaluate_forecaster(model, test: SeriesSet) -> dict:
    """The checkpoint's held-out measures (see the module docstring)."""
    model.eval()
    horizon = model.config.horizon
    context, future = test.context, test.future[:, :horizon]
    if isinstance(model, DirectForecaster):
        forecast = direct_forecast(model, context, horizon)
        point, interval = forecast.point, forecast
        shown = forecast
    elif isinstance(model, RecursiveForecaster):
        point = recursive_forecast(model, context, horizon, samples=0).point
        shown = recursive_forecast(model, context[:INTERVAL_SERIES], horizon, seed=0)
        interval = shown
    else:
        raise TypeError(f"not a forecaster: {type(model).__name__}")
    base = baselines(test, horizon)
    own = summary(scaled_errors(point, future, context, test.m), test.family)
    n_interval = len(interval.lower)
    metrics = {
        "heldout_series": len(test),
        "families": sorted(set(test.family_names())),
        "context": model.config.context,
        "horizon": horizon,
        **own,
        "skill_vs_seasonal_naive": _r(1 - own["mase"] / base["seasonal_naive"]["mase"]),
        "skill_vs_ar": _r(1 - own["mase"] / base["ar"]["mase"]),
        "interval": shown.interval,
        "interval_coverage_80": _r(coverage(interval.lower, interval.upper, future[:n_interval])),
        "interval_series": n_interval,
        **base,
    }
    if isinstance(model, RecursiveForecaster):
        true_history = with_true_history(model, context, future)
        metrics["true_history"] = summary(scaled_errors(true_history, future, context, test.m), test.family)
    return metrics


METHOD_NAME_KEYS = {  # the five methods in the page's and the slides' order, with their catalogue names
    "seasonal_naive": "sig_fc_m_seasonal_naive",
    "ar": "sig_fc_m_ar",
    "recursive": "sig_fc_m_recursive",
    "recursive_free": "sig_fc_m_recursive_free",
    "direct": "sig_fc_m_direct",
}
FORECASTERS = {"recursive": "series_recursive", "recursive_free": "series_recursive_free", "direct": "series_direct"}


def held_out_curves(metrics: dict[str, dict], family: str | None = None) -> dict[str, list[float]]:
    """MASE per horizon step of the five methods, overall or for one family, from the three forecasters'
    metrics.json ({"recursive": ..., "recursive_free": ..., "direct": ...}, keys as in FORECASTERS):
    seasonal-naive and AR(p) as the direct model's file recorded them (every file holds the same ones)."""

    def curve(block: dict) -> list[float]:
        return block["mase_by_family_by_step"][family] if family else block["mase_by_step"]

    base = metrics["direct"]
    curves = {"seasonal_naive": curve(base["seasonal_naive"]), "ar": curve(base["ar"])}
    return curves | {method: curve(metrics[method]) for method in FORECASTERS}


def crossover_step(direct: Sequence[float], recursive: Sequence[float]) -> int | None:
    """The first horizon step (1-based) from which the direct forecaster's MASE is below the recursive one's at
    every later step too; None when there is none (the recursive one is ahead at the end)."""
    step = None
    for h in range(len(direct), 0, -1):
        if direct[h - 1] < recursive[h - 1]:
            step = h
        else:
            break
    return step


def at_steps(curve: Sequence[float], steps: Sequence[int] = REPORTED_STEPS) -> dict[int, float]:
    return {h: curve[h - 1] for h in steps if h <= len(curve)}
