"""Placing figures on a page, each with its export controls."""

from __future__ import annotations

import streamlit as st

from ..viz.style import plotly_config, safe_filename


def show_plotly(fig, *parts: str, key: str | None = None) -> None:
    """Show a plotly figure whose camera button saves a PNG at 3× scale, named after page, figure and sentence."""
    st.plotly_chart(fig, config=plotly_config(safe_filename(*parts)), key=key, theme=None)
