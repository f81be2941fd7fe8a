"""Line charts (altair): training and fine-tuning curves."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .style import altair_chart_config, memoized


@memoized
def accuracy_curves(
    rows: list[dict],
    title: str = "",
    *,
    x_title: str = "fine-tuning step",
    y_title: str = "held-out accuracy",
    series_title: str = "encoder",
    presentation: bool = False,
    categorical_steps: bool = False,
) -> alt.Chart:
    """rows: dicts with keys step, accuracy, series (one line per series). Vega draws text literally, so
    no escaping is needed. Its menu saves PNG (3×) and SVG. With `categorical_steps`, steps are labels
    (e.g. length buckets "1–5") kept in the order given."""
    frame = pd.DataFrame(rows, columns=["step", "accuracy", "series"])
    x = (
        alt.X("step:N", title=str(x_title), sort=list(dict.fromkeys(frame["step"])), axis=alt.Axis(labelAngle=0))
        if categorical_steps
        else alt.X("step:Q", title=str(x_title))
    )
    chart = (
        alt.Chart(frame, title=str(title))
        .mark_line(point=alt.OverlayMarkDef(size=90), strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y("accuracy:Q", title=str(y_title), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color("series:N", title=str(series_title), legend=alt.Legend(orient="bottom")),
            tooltip=["series:N", "step:N" if categorical_steps else "step:Q", alt.Tooltip("accuracy:Q", format=".1%")],
        )
        .properties(height=360 if presentation else 280)
    )
    return altair_chart_config(chart, presentation)


@memoized
def loss_curves(
    rows: list[dict],
    title: str = "",
    *,
    x_title: str = "training step",
    y_title: str = "loss (cross-entropy)",
    series_title: str = "model",
    presentation: bool = False,
) -> alt.Chart:
    """rows: dicts with keys step, loss, series (one line per model)."""
    frame = pd.DataFrame(rows, columns=["step", "loss", "series"])
    chart = (
        alt.Chart(frame, title=str(title))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("step:Q", title=str(x_title)),
            y=alt.Y("loss:Q", title=str(y_title), scale=alt.Scale(zero=True)),
            color=alt.Color("series:N", title=str(series_title), legend=alt.Legend(orient="bottom")),
            tooltip=["series:N", "step:Q", alt.Tooltip("loss:Q", format=".3f")],
        )
        .properties(height=340 if presentation else 260)
    )
    return altair_chart_config(chart, presentation)
