"""Forecasting a time series: the two multi-step strategies (Taieb et al.), and the statistics baseline.

    recursive  a GRU reads the past one value at a time and predicts the next one (a Gaussian: mean and
               σ); to go further it reads its own prediction as if it were the truth and predicts again,
               H times for a horizon of H (autoregressive: step h reads steps 1 … h-1 of its own making)
    direct     an MLP reads the whole past once and outputs every step of the horizon at once, each as
               three quantiles (10%, 50%, 90%, trained with the pinball loss): non-autoregressive, no step
               reads another, so an early mistake cannot feed a later one
    AR(p)      y_t = c + a_1 y_{t-1} + … + a_p y_{t-p} + ε_t, fitted to each series' own past by least
               squares (`fit_ar`), then run forward like the recursive model (decoding/forecast.py)

The recursive model learns one of two ways, chosen by its config (the lesson of exposure bias):

    teacher_forcing   every step reads the true previous value, in the past and in the future alike; at
                      inference it must read its own predictions, which it never saw in training
    own_predictions   in the future it reads its own previous prediction (the mean, gradients flowing
                      through it), as it will at inference; in the past the truth, as at inference too

The loss is the same for both: the Gaussian negative log-likelihood of the past's next values plus that of
the horizon's. All models work in normalised units (each window divided by its context's mean and standard
deviation: data/series.py `normalise`); the decoding functions undo it.

Shapes: B series, C context (past) steps, H horizon steps, Q quantiles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .layers import ConfigDict
from .output import ModelOutput

TRAINING_MODES = ("teacher_forcing", "own_predictions")
LOG_SIGMA_MIN, LOG_SIGMA_MAX = -7.0, 3.0


@dataclass(frozen=True)
class ForecastConfig(ConfigDict):
    """The size of a forecaster: it reads `context` steps and predicts `horizon`."""

    context: int = 96
    horizon: int = 24
    hidden: int = 64  # the GRU's state / the MLP's hidden width
    n_layers: int = 2  # GRU layers / MLP hidden layers
    training: str = "teacher_forcing"  # the recursive model: what its future steps read in training
    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)  # the direct model's outputs per step

    def __post_init__(self):
        if self.training not in TRAINING_MODES:
            raise ValueError(f"training must be one of {TRAINING_MODES}, got {self.training!r}")
        object.__setattr__(self, "quantiles", tuple(float(q) for q in self.quantiles))


def gaussian_nll(mean: torch.Tensor, log_sigma: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """−log N(target; mean, σ²) per value (the constant ½ log 2π included)."""
    return log_sigma + 0.5 * ((target - mean) / log_sigma.exp()).pow(2) + 0.5 * math.log(2 * math.pi)


def pinball_loss(predicted: torch.Tensor, target: torch.Tensor, quantiles: torch.Tensor) -> torch.Tensor:
    """The quantile (pinball) loss, mean over everything: predicted (B, H, Q), target (B, H), quantiles (Q,).
    Its minimum is at the true quantile q: under-forecasts cost q per unit, over-forecasts 1 − q."""
    error = target[..., None] - predicted  # (B, H, Q)
    return torch.maximum(quantiles * error, (quantiles - 1) * error).mean()


class RecursiveForecaster(nn.Module):
    """A GRU over the values; a linear head gives the next value's mean and log σ at every step."""

    paradigm = "autoregressive"
    config_class = ForecastConfig

    def __init__(self, config: ForecastConfig):
        super().__init__()
        self.config = config
        self.rnn = nn.GRU(1, config.hidden, num_layers=config.n_layers, batch_first=True)
        self.head = nn.Linear(config.hidden, 2)

    def step(self, values: torch.Tensor, state: torch.Tensor | None = None):
        """Read values (B, T) after `state` (None: from the start). -> mean (B, T), log σ (B, T), the new
        state (n_layers, B, hidden). Position t's outputs predict the value after values[:, t]."""
        states, state = self.rnn(values[..., None], state)  # (B, T, hidden)
        out = self.head(states)  # (B, T, 2)
        mean = values + out[..., 0]  # the change from the value just read
        return mean, out[..., 1].clamp(LOG_SIGMA_MIN, LOG_SIGMA_MAX), state

    def forward(self, context: torch.Tensor, target: torch.Tensor | None = None) -> ModelOutput:
        """context (B, C) and target (B, H), normalised. -> logits (B, C - 1 + H, 2): mean and log σ of
        values 2 … C + H (the past's next values, then the horizon's), and the loss when a target is given.
        The horizon's inputs are the truth (teacher_forcing) or the model's own means (own_predictions)."""
        if target is None or self.config.training == "teacher_forcing":
            inputs = context if target is None else torch.cat((context, target[:, :-1]), 1)
            mean, log_sigma, _ = self.step(inputs)  # (B, C + H - 1)
        else:
            mean, log_sigma, state = self.step(context)  # (B, C): the last one predicts horizon step 1
            means, log_sigmas = [mean], [log_sigma]
            for _ in range(target.size(1) - 1):
                m, s, state = self.step(means[-1][:, -1:], state)  # reads its own previous mean
                means.append(m)
                log_sigmas.append(s)
            mean, log_sigma = torch.cat(means, 1), torch.cat(log_sigmas, 1)  # (B, C + H - 1)
        logits = torch.stack((mean, log_sigma), -1)
        if target is None:
            return ModelOutput(logits)
        truth = torch.cat((context[:, 1:], target), 1)  # (B, C - 1 + H)
        nll = gaussian_nll(mean, log_sigma, truth)
        c = context.size(1) - 1
        return ModelOutput(logits, nll[:, :c].mean() + nll[:, c:].mean())


class DirectForecaster(nn.Module):
    """An MLP from the whole (normalised) context to every horizon step's quantiles, in one pass."""

    paradigm = "non-autoregressive"
    config_class = ForecastConfig

    def __init__(self, config: ForecastConfig):
        super().__init__()
        self.config = config
        layers, width = [], config.context
        for _ in range(config.n_layers):
            layers += [nn.Linear(width, config.hidden), nn.GELU()]
            width = config.hidden
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, config.horizon * len(config.quantiles))
        self.register_buffer("levels", torch.tensor(config.quantiles), persistent=False)

    def forward(self, context: torch.Tensor, target: torch.Tensor | None = None) -> ModelOutput:
        """context (B, C) normalised -> logits (B, H, Q): each step's quantiles, sorted (no crossing); the
        target (B, H) only enters the loss."""
        out = self.head(self.body(context)).view(len(context), self.config.horizon, len(self.config.quantiles))
        out = out + context[:, -1:, None]  # relative to the last value read
        if target is None:
            return ModelOutput(out.sort(-1).values)
        return ModelOutput(out.sort(-1).values, pinball_loss(out, target, self.levels))


def fit_ar(series: torch.Tensor, p: int) -> torch.Tensor:
    """AR(p) with a constant by ordinary least squares on each row of series (B, T): the rows t = p … T-1 of
    y_t = c + a_1 y_{t-1} + … + a_p y_{t-p}. -> (B, p + 1) = [c, a_1, …, a_p] (statsmodels AutoReg's order
    for trend="c"). Runs in the series' dtype: float64 for exact work."""
    if not 1 <= p < series.size(1) - p:
        raise ValueError(f"AR({p}) needs 1 ≤ p and more than 2p values per series, got {series.size(1)}")
    t = series.size(1)
    lags = torch.stack([series[:, p - k : t - k] for k in range(1, p + 1)], -1)  # (B, T - p, p): y_{t-k}
    design = torch.cat((torch.ones_like(lags[..., :1]), lags), -1)  # (B, T - p, p + 1)
    target = series[:, p:, None]  # (B, T - p, 1)
    # the normal equations (XᵀX) β = Xᵀy: ~100× faster here than a batched QR on the CPU, and as exact in
    # float64 for these well-scaled windows; a singular system (a flat series) falls back to the SVD solver
    solution, info = torch.linalg.solve_ex(design.mT @ design, design.mT @ target)
    bad = (info != 0) | ~torch.isfinite(solution).all(-1).all(-1)
    if bad.any():
        solution[bad] = torch.linalg.lstsq(design[bad], target[bad], driver="gelsd").solution
    return solution[..., 0]  # (B, p + 1)
