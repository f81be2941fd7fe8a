"""Forecasting loops, apart from the models: the recursive rollout (each step reads the previous step's
prediction, never the truth after the context), the direct forecast (one pass), AR(p) run forward, the
seasonal-naive floor, their intervals, and their speed against the horizon and the number of series.

Every function takes the raw context (B, C) and returns forecasts in the series' own units; the neural
models see each window normalised by its context (data/series.py) and their outputs are mapped back.

Intervals (80%: from the 10% to the 90% quantile), each the way its model was trained to give them:
- direct: its own 10% and 90% quantile outputs (trained with the pinball loss);
- recursive, trained with teacher forcing: its σ is one step's uncertainty, so SAMPLE_PATHS paths are
  drawn, each step sampled from the Gaussian and fed back, and the paths' 10% and 90% quantiles taken;
- recursive, trained on its own predictions: its σ at step h already is the uncertainty of step h given
  its own earlier means, so mean ± 1.2816 σ along the mean-fed rollout;
- AR(p) and seasonal-naive: a point forecast only.
The recursive point forecast is the mean-fed rollout (deterministic), the direct one its 50% quantile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..data.series import denormalise, normalise
from ..models.forecasting import DirectForecaster, RecursiveForecaster, fit_ar
from .timing import Timing, measure_together

SAMPLE_PATHS = 100
Z90 = 1.2815515655446004  # the standard normal's 90% quantile: mean ± Z90·σ spans 10% … 90%


@dataclass(frozen=True)
class Forecast:
    point: np.ndarray  # (B, H)
    lower: np.ndarray | None = None  # (B, H): the 10% quantile, where the method gives an interval
    upper: np.ndarray | None = None  # (B, H): the 90% quantile
    interval: str = "none"  # "quantiles", "samples", "gaussian" or "none" (see the module docstring)


def _tensor(context, device=None) -> torch.Tensor:
    if not torch.is_tensor(context):
        context = torch.from_numpy(np.array(context, dtype=np.float32))  # a copy: the caller's array may be read-only
    return context.to(device or "cpu", torch.float32)


def seasonal_naive(context, m: int | Sequence[int] | np.ndarray, horizon: int) -> np.ndarray:
    """ŷ_{C+h} = y_{C+h−k·m} with k the fewest whole seasons that reach back into the past: the last season
    repeated (m = 1: the last value). context (B, C), m per row or one for all. -> (B, H)"""
    context = np.asarray(context, dtype=np.float64)
    seasons = np.broadcast_to(np.asarray(m, dtype=int), (len(context),))
    h = np.arange(1, horizon + 1)
    lag_back = ((h[None] - 1) % seasons[:, None]) - seasons[:, None]  # −m … −1: the same phase, last season
    return np.take_along_axis(context, context.shape[1] + lag_back, 1)


def ar_order(m: int) -> int:
    """The AR order used for a series of season m: one season and one step back (p = m + 1), so the lag of
    the same phase last season and the step before both enter; p = 2 without a season."""
    return 2 if m <= 1 else m + 1


def ar_forecast(context, p: int | Sequence[int] | np.ndarray, horizon: int) -> np.ndarray:
    """AR(p) fitted by least squares to each row's own past, then run forward, each step reading the
    previous steps' forecasts (recursive, like the GRU). Fitted in float64 on the normalised context.
    context (B, C), p per row or one for all. -> (B, H)"""
    context = torch.as_tensor(np.asarray(context, dtype=np.float64))
    orders = np.broadcast_to(np.asarray(p, dtype=int), (len(context),))
    out = np.zeros((len(context), horizon))
    for order in np.unique(orders):
        rows = np.flatnonzero(orders == order)
        z, loc, scale = normalise(context[rows])
        coef = fit_ar(z, int(order))  # (b, p + 1)
        history = list(z[:, -int(order) :].unbind(1))  # the last p values, oldest first
        steps = []
        for _ in range(horizon):
            lags = torch.stack(history[::-1][: int(order)], 1)  # (b, p): y_{t-1} … y_{t-p}
            nxt = coef[:, 0] + (coef[:, 1:] * lags).sum(1)
            steps.append(nxt)
            history.append(nxt)
        out[rows] = denormalise(torch.stack(steps, 1), loc, scale).numpy()
    return out


@torch.no_grad()
def rollout(
    model: RecursiveForecaster, z: torch.Tensor, horizon: int, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The recursive forecast in normalised units: read the context z (B, C), then `horizon` times predict
    the next value and read it back. Each step reads only the previous step's output: its mean, or with a
    generator a draw from its Gaussian (a sampled path). The truth after the context is not an argument.
    -> the values read back (B, H) and log σ of each step (B, H)."""
    mean, log_sigma, state = model.step(z)
    values, log_sigmas = [], []
    for h in range(horizon):
        m, s = mean[:, -1:], log_sigma[:, -1:]  # (B, 1): the prediction of step h + 1
        nxt = m if generator is None else m + s.exp() * torch.randn(m.shape, generator=generator).to(m.device)
        values.append(nxt)
        log_sigmas.append(s)
        if h + 1 < horizon:
            mean, log_sigma, state = model.step(nxt, state)  # its own prediction, read as if true
    return torch.cat(values, 1), torch.cat(log_sigmas, 1)


def recursive_forecast(
    model: RecursiveForecaster, context, horizon: int, samples: int = SAMPLE_PATHS, seed: int = 0, interval=None
) -> Forecast:
    """The mean-fed rollout and its 80% interval (see the module docstring: sampled paths for a model
    trained with teacher forcing, its own σ for one trained on its own predictions; samples = 0: none)."""
    device = next(model.parameters()).device
    z, loc, scale = normalise(_tensor(context, device))
    point, log_sigma = rollout(model, z, horizon)
    kind = interval or ("samples" if model.config.training == "teacher_forcing" else "gaussian")
    if samples <= 0:
        return Forecast(denormalise(point, loc, scale).cpu().numpy())
    if kind == "gaussian":
        low, high = point - Z90 * log_sigma.exp(), point + Z90 * log_sigma.exp()
    else:
        generator = torch.Generator().manual_seed(seed)
        paths, _ = rollout(model, z.repeat_interleave(samples, 0), horizon, generator)  # (B·S, H)
        paths = paths.view(len(z), samples, horizon)
        low, high = paths.quantile(0.1, dim=1), paths.quantile(0.9, dim=1)

    def back(v):
        return denormalise(v, loc, scale).cpu().numpy()

    return Forecast(back(point), back(low), back(high), kind)


@torch.no_grad()
def direct_forecast(model: DirectForecaster, context, horizon: int | None = None) -> Forecast:
    """The whole horizon in one pass from the context alone: the 50% quantile and the 10% … 90% interval,
    cut to the first `horizon` steps (at most the model's)."""
    horizon = horizon or model.config.horizon
    if horizon > model.config.horizon:
        raise ValueError(f"the direct model predicts {model.config.horizon} steps at most, asked for {horizon}")
    device = next(model.parameters()).device
    context = _tensor(context, device)
    if context.dim() != 2 or context.size(1) != model.config.context:
        raise ValueError(
            f"the direct model reads exactly {model.config.context} past values, got {tuple(context.shape)}"
        )
    z, loc, scale = normalise(context)
    q = denormalise(model(z).logits[:, :horizon], loc, scale).cpu().numpy()  # (B, H, Q)
    levels = list(model.config.quantiles)
    pick = {level: q[..., levels.index(level)] for level in (0.1, 0.5, 0.9) if level in levels}
    return Forecast(pick[0.5], pick.get(0.1), pick.get(0.9), "quantiles")


@torch.no_grad()
def with_true_history(model: RecursiveForecaster, context, future) -> np.ndarray:
    """Not a forecast, a diagnostic: each horizon step predicted from the TRUE values before it (what the
    model saw in teacher-forced training). Against `rollout`'s errors it shows what reading its own
    predictions costs. context (B, C), future (B, H) -> (B, H) in the series' units."""
    device = next(model.parameters()).device
    z, loc, scale = normalise(_tensor(context, device))
    future_z = (_tensor(future, device) - loc) / scale
    mean, _, _ = model.step(torch.cat((z, future_z[:, :-1]), 1))
    return denormalise(mean[:, z.size(1) - 1 :], loc, scale).cpu().numpy()


# ---- speed: time against the horizon and against the number of series ----------------------------------

SPEED_METHODS = ("seasonal_naive", "ar", "recursive", "direct")


@dataclass(frozen=True)
class SpeedRow:
    method: str
    horizon: int
    series: int
    median_ms: float
    passes: int  # forward passes of the network (the GRU: one per step; the MLP: one; the others: 0)
    timing: Timing


def forecast_speeds(
    recursive: RecursiveForecaster,
    direct: DirectForecaster,
    values: np.ndarray,
    horizons: Sequence[int],
    series: Sequence[int],
    *,
    m: int = 24,
    device="cpu",
    repeats: int = 5,
    warmup: int = 1,
) -> list[SpeedRow]:
    """Each method's point forecast of the first n rows of values (N, ≥ C) for every (horizon, n) asked,
    timed with measure_together (interleaved rounds, median, device synchronised). The recursive model runs
    its mean-fed rollout (no sampled paths), the direct one its single pass; AR(p) fits every series too."""
    context = np.asarray(values, dtype=np.float32)[:, : recursive.config.context]
    rows = []
    for n in series:
        ctx_np = context[:n]
        ctx_t = _tensor(ctx_np, device)
        for horizon in horizons:
            runs = {
                "seasonal_naive": lambda c=ctx_np, h=horizon: seasonal_naive(c, m, h),
                "ar": lambda c=ctx_np, h=horizon: ar_forecast(c, ar_order(m), h),
                "recursive": lambda c=ctx_t, h=horizon: recursive_forecast(recursive, c, h, samples=0),
                "direct": lambda c=ctx_t, h=horizon: direct_forecast(direct, c, h),
            }
            timed = measure_together(runs, device, warmup=warmup, repeats=repeats)
            passes = {"seasonal_naive": 0, "ar": 0, "recursive": horizon, "direct": 1}
            rows += [SpeedRow(k, horizon, n, t.median_ms, passes[k], t) for k, t in timed.items()]
    return rows
