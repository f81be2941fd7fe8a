"""The signals page's forecasting section: one held-out series forecast five ways (seasonal-naive, AR(p), the
recursive GRU trained with teacher forcing or on its own predictions, the direct MLP) against the truth with
their intervals; the held-out error against the horizon step from the checkpoints' metrics; exposure bias in
numbers; and, on a click, the time against the horizon and the number of series, measured on this device."""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from ...data.series import CONTEXT, FAMILIES, HORIZON, SeriesSet, sensor_array, series_splits
from ...decoding.forecast import (
    SAMPLE_PATHS,
    ar_forecast,
    ar_order,
    direct_forecast,
    forecast_speeds,
    recursive_forecast,
    seasonal_naive,
)
from ...device import describe
from ...training.forecast_evaluation import (
    FORECASTERS,
    METHOD_NAME_KEYS,
    REPORTED_STEPS,
    crossover_step,
    held_out_curves,
    scaled_errors,
)
from ...training.sequence_recipes import FORECAST_DATA
from ...viz.forecasting import error_by_step_chart, forecast_figure, speed_lines
from ..figures import show_plotly
from ..models import builtin_model
from ..page import PageContext

FAMILY_KEYS = {
    "seasonal": "sig_fc_f_seasonal",
    "two_seasons": "sig_fc_f_two_seasons",
    "trend": "sig_fc_f_trend",
    "ar_noise": "sig_fc_f_ar_noise",
    "regime": "sig_fc_f_regime",
    "sensor": "sig_fc_f_sensor",
}
INTERVAL_KEYS = {
    "samples": "sig_fc_interval_samples",
    "gaussian": "sig_fc_interval_gaussian",
    "quantiles": "sig_fc_interval_quantiles",
}
SPEED_HORIZONS = (1, 3, 6, 12, 24)
SPEED_SERIES = (1, 10, 100, 1000)
SPEED_AT_SERIES = 100  # the time-against-horizon curve: 100 series at once
SPEED_REPEATS = 5
PAST_SHOWN = 48  # the figure's past: the last 48 of the 96 values read (two seasons), so the horizon has room


@st.cache_resource(show_spinner=False)
def _test_series() -> SeriesSet:
    """The recipes' held-out test series (never trained on), generated once per server, shared read-only."""
    return series_splits(**FORECAST_DATA)["test"]


def _row(family: str, draw: int) -> int:
    """The test split's row of this family's draw-th series (the split interleaves the families)."""
    per_family = len(_test_series()) // len(FAMILIES)
    return (draw % per_family) * len(FAMILIES) + list(FAMILIES).index(family)


@st.cache_data(max_entries=128, show_spinner=False)
def _example(family: str, draw: int, device: str) -> dict:
    """Every method's forecast of one held-out series over the full horizon (the page cuts it to the chosen
    one), once per series and server: {method: (point, lower, upper)}, the past, the truth, m."""
    series = _test_series()[_row(family, draw)]
    context, truth, m = series.context, series.future[0], int(series.m[0])
    out = {
        "seasonal_naive": (seasonal_naive(context, m, HORIZON)[0], None, None),
        "ar": (ar_forecast(context, ar_order(m), HORIZON)[0], None, None),
    }
    for method, name in FORECASTERS.items():
        model = builtin_model(name, device).model
        forecast = (
            direct_forecast(model, context, HORIZON)
            if method == "direct"
            else recursive_forecast(model, context, HORIZON, seed=draw)
        )
        out[method] = (forecast.point[0], forecast.lower[0], forecast.upper[0])
    return {"forecasts": out, "past": context[0], "truth": truth, "m": m}


@st.fragment  # a family, a horizon or a draw redraws this section alone
def forecasting_section(ctx: PageContext) -> None:
    st.markdown(ctx.t("sig_fc_intro", context=CONTEXT, horizon=HORIZON))
    device = str(ctx.device)
    names = {m: ctx.t(key) for m, key in METHOD_NAME_KEYS.items()}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    family = left.segmented_control(
        ctx.t("sig_fc_family"),
        list(FAMILIES),
        default="seasonal",
        required=True,
        format_func=lambda f: ctx.t(FAMILY_KEYS[f]),
        key="sig_fc_family",
        wrap=True,  # six families: on a narrow screen they take two rows rather than scroll out of sight
    )
    right.button(ctx.t("sig_fc_new_series"), icon=":material/casino:", key="sig_fc_draw", on_click=_next_draw)
    horizon = st.slider(ctx.t("sig_fc_horizon"), 1, HORIZON, HORIZON, key="sig_fc_horizon")
    chosen = st.multiselect(
        ctx.t("sig_fc_methods"), list(METHOD_NAME_KEYS), default=list(METHOD_NAME_KEYS), format_func=names.get,
        placeholder=ctx.t("sig_fc_methods_placeholder"), key="sig_fc_methods",
    )  # fmt: skip
    draw = st.session_state.get("sig_fc_draw_index", 0)
    example = _example(family, draw, device)
    _forecast_view(ctx, family, draw, horizon, chosen, example, names)
    st.subheader(ctx.t("sig_fc_error_header"))
    _error_by_step(ctx, family, names)
    st.subheader(ctx.t("sig_fc_exposure_header"))
    _exposure_bias(ctx)
    st.subheader(ctx.t("sig_fc_speed_header"))
    _speed(ctx, names)


def _next_draw() -> None:
    st.session_state.sig_fc_draw_index = st.session_state.get("sig_fc_draw_index", 0) + 1


def _forecast_view(ctx, family: str, draw: int, horizon: int, chosen, example: dict, names: dict) -> None:
    if not chosen:
        st.info(ctx.t("sig_fc_no_method"), icon=":material/info:")
    forecasts = {
        m: tuple(None if v is None else v[:horizon] for v in example["forecasts"][m])
        for m in METHOD_NAME_KEYS
        if m in chosen
    }
    figure = forecast_figure(
        example["past"][-PAST_SHOWN:],
        example["truth"][:horizon],
        forecasts,
        names,
        ctx.t("sig_fc_forecast_title", family=ctx.t(FAMILY_KEYS[family]), n=draw + 1, h=horizon),
        presentation=ctx.presentation,
        x_title=ctx.t("sig_fc_step_axis"),
        y_title=ctx.t("sig_fc_value_axis"),
        past_name=ctx.t("sig_fc_past", n=PAST_SHOWN, context=CONTEXT),
        truth_name=ctx.t("sig_fc_truth"),
    )
    show_plotly(figure, "signals", "forecast", family, str(draw), str(horizon), key="sig_fc_forecast")
    st.caption(
        ctx.t(
            "sig_fc_intervals",
            samples=ctx.t(INTERVAL_KEYS["samples"], n=SAMPLE_PATHS),
            gaussian=ctx.t(INTERVAL_KEYS["gaussian"]),
            quantiles=ctx.t(INTERVAL_KEYS["quantiles"]),
        )
    )
    past = example["past"][None]
    truth = example["truth"][None, :horizon]
    errors = {
        m: float(scaled_errors(example["forecasts"][m][0][None, :horizon], truth, past, example["m"]).mean())
        for m in METHOD_NAME_KEYS
    }
    best = min(errors, key=errors.get)
    st.markdown(
        ctx.t("sig_fc_this_series", h=horizon, m=example["m"])
        + "\n"
        + "\n".join(
            f"- {names[m]}: **{v:.2f}**" + (f" ← {ctx.t('sig_fc_best')}" if m == best else "")
            for m, v in errors.items()
        )
    )
    st.markdown(ctx.t("sig_fc_look_forecast"))


def _metrics(device: str) -> dict[str, dict]:
    """The three checkpoints' held-out measures (metrics.json), read from the shared models."""
    return {method: builtin_model(name, device).metrics for method, name in FORECASTERS.items()}


def _error_by_step(ctx: PageContext, family: str, names: dict) -> None:
    metrics = _metrics(str(ctx.device))
    only = st.toggle(ctx.t("sig_fc_only_family", family=ctx.t(FAMILY_KEYS[family])), key="sig_fc_only_family")
    curves = held_out_curves(metrics, family if only else None)
    crossover = crossover_step(curves["direct"], curves["recursive"])
    scope = ctx.t(FAMILY_KEYS[family]) if only else ctx.t("sig_fc_all_families")
    series = metrics["direct"]["heldout_series"] // (len(FAMILIES) if only else 1)
    figure = error_by_step_chart(
        curves,
        names,
        ctx.t("sig_fc_error_title", scope=scope, n=series),
        presentation=ctx.presentation,
        x_title=ctx.t("sig_fc_horizon_step"),
        y_title=ctx.t("sig_fc_mase_axis"),
        crossover=crossover,
        crossover_label=ctx.t("sig_fc_crossover_mark"),
    )
    show_plotly(figure, "signals", "mase_by_step", family if only else "all", key="sig_fc_error")
    st.dataframe(
        {ctx.t("sig_fc_method"): [names[m] for m in curves]}
        | {ctx.t("sig_fc_at_step", h=h): [round(c[h - 1], 3) for c in curves.values()] for h in REPORTED_STEPS}
        | {ctx.t("sig_fc_mean"): [round(float(np.mean(c)), 3) for c in curves.values()]},
        hide_index=True,
    )
    naive = float(np.mean(curves["seasonal_naive"]))
    beaten = [names[m] for m in FORECASTERS if float(np.mean(curves[m])) < naive]
    st.markdown(
        ctx.t("sig_fc_crossover", step=crossover)
        if crossover is not None
        else ctx.t("sig_fc_no_crossover", h=len(curves["direct"]))
    )
    st.caption(ctx.t("sig_fc_beat_naive", beaten=len(beaten), total=len(FORECASTERS), naive=naive))
    st.markdown(ctx.t("sig_fc_look_error"))


def _exposure_bias(ctx: PageContext) -> None:
    metrics = _metrics(str(ctx.device))
    rows = {ctx.t("sig_fc_model"): [], ctx.t("sig_fc_reads"): []}
    for h in REPORTED_STEPS:
        rows[ctx.t("sig_fc_at_step", h=h)] = []
    for method in ("recursive", "recursive_free"):
        for reads, block in (
            ("sig_fc_reads_own", metrics[method]),
            ("sig_fc_reads_truth", metrics[method]["true_history"]),
        ):
            rows[ctx.t("sig_fc_model")].append(ctx.t(METHOD_NAME_KEYS[method]))
            rows[ctx.t("sig_fc_reads")].append(ctx.t(reads))
            for h in REPORTED_STEPS:
                rows[ctx.t("sig_fc_at_step", h=h)].append(round(block["mase_by_step"][h - 1], 3))
    st.markdown(ctx.t("sig_fc_exposure_intro"))
    st.dataframe(rows, hide_index=True)
    last = REPORTED_STEPS[-1] - 1
    tf, free = metrics["recursive"], metrics["recursive_free"]
    st.markdown(
        ctx.t(
            "sig_fc_exposure_numbers",
            h=last + 1,
            tf_own=tf["mase_by_step"][last],
            tf_truth=tf["true_history"]["mase_by_step"][last],
            free_own=free["mase_by_step"][last],
            tf_mean=tf["mase"],
            free_mean=free["mase"],
            tf_cover=tf["interval_coverage_80"],
            free_cover=free["interval_coverage_80"],
            direct_cover=metrics["direct"]["interval_coverage_80"],
        )
    )
    h = last + 1
    if free["mase_by_step"][last] < tf["mase_by_step"][last]:
        st.markdown(ctx.t("sig_fc_exposure_helped", h=h))
    else:
        st.markdown(
            ctx.t(
                "sig_fc_exposure_not_helped",
                h=h,
                free_truth=free["true_history"]["mase"],
                tf_truth_mean=tf["true_history"]["mase"],
                free_ratio=free["mase_by_step"][last] / free["true_history"]["mase_by_step"][last],
                tf_ratio=tf["mase_by_step"][last] / tf["true_history"]["mase_by_step"][last],
            )
        )
    st.markdown(ctx.t("sig_fc_look_exposure"))


@st.cache_resource(show_spinner=False)
def _sensors() -> np.ndarray:
    """The 1,000 related series of the speed measure, generated once per server (read-only)."""
    values = sensor_array(max(SPEED_SERIES))
    values.setflags(write=False)
    return values


def _speed(ctx: PageContext, names: dict) -> None:
    st.markdown(ctx.t("sig_fc_speed_intro", n=max(SPEED_SERIES)))
    if st.button(ctx.t("sig_fc_measure"), icon=":material/speed:", key="sig_fc_measure"):
        device = str(ctx.device)
        recursive = builtin_model(FORECASTERS["recursive"], device).model
        direct = builtin_model(FORECASTERS["direct"], device).model
        start, progress = time.perf_counter(), st.progress(0.0)
        by_horizon = forecast_speeds(
            recursive, direct, _sensors(), SPEED_HORIZONS, (SPEED_AT_SERIES,), device=device, repeats=SPEED_REPEATS
        )
        progress.progress(0.5)
        by_series = forecast_speeds(
            recursive, direct, _sensors(), (HORIZON,), SPEED_SERIES, device=device, repeats=SPEED_REPEATS
        )
        progress.empty()
        st.session_state.sig_fc_speed = (by_horizon, by_series, describe(ctx.device), time.perf_counter() - start)
    saved = st.session_state.get("sig_fc_speed")
    if not saved:
        return
    by_horizon, by_series, where, seconds = saved
    methods = [m for m in METHOD_NAME_KEYS if m != "recursive_free"]
    st.caption(ctx.t("sig_fc_measured", device=where, seconds=seconds, repeats=SPEED_REPEATS))
    charts = (  # (rows, x values, title, x axis, log x, file name, key)
        (by_horizon, SPEED_HORIZONS, ctx.t("sig_fc_speed_horizon_title", n=SPEED_AT_SERIES),
         ctx.t("sig_fc_horizon_axis"), False, "time_by_horizon", "sig_fc_speed_horizon"),
        (by_series, SPEED_SERIES, ctx.t("sig_fc_speed_series_title", h=HORIZON),
         ctx.t("sig_fc_series_axis"), True, "time_by_series", "sig_fc_speed_series"),
    )  # fmt: skip
    for column, (rows, xs, title, x_title, log_x, name, key) in zip(st.columns(2), charts, strict=True):
        with column:
            times = {m: [r.median_ms for r in rows if r.method == m] for m in methods}
            figure = speed_lines(
                xs, times, names, title, presentation=ctx.presentation, x_title=x_title,
                y_title=ctx.t("sig_fc_ms_axis"), log_x=log_x,
            )  # fmt: skip
            show_plotly(figure, "signals", name, key=key)
    at = {r.method: r.median_ms for r in by_series if r.series == max(SPEED_SERIES)}
    st.markdown(
        ctx.t("sig_fc_speed_numbers", n=max(SPEED_SERIES), h=HORIZON, recursive=at["recursive"], direct=at["direct"])
    )
    st.markdown(ctx.t("sig_fc_look_speed", context=CONTEXT))
