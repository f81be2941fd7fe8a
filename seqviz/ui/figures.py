"""Placing figures on a page, each with its export controls."""

from __future__ import annotations

import streamlit as st

from ..viz.style import altair_download_name, plotly_config, safe_filename, static_export_available, to_svg_bytes


def show_plotly(fig, *parts: str, key: str) -> None:
    """Show a plotly figure. Its camera button saves a PNG at 3× scale named after page, figure and
    sentence; where kaleido and a Chromium browser are present, an SVG button saves it as vector art."""
    name = safe_filename(*parts)
    st.plotly_chart(fig, config=plotly_config(name), key=key, theme=None)
    if static_export_available():
        st.download_button(
            "SVG", data=lambda: to_svg_bytes(fig), file_name=f"{name}.svg", mime="image/svg+xml",
            on_click="ignore", key=f"svg_{key}", icon=":material/download:", type="tertiary",
        )


def show_altair(chart, *parts: str, key: str) -> None:
    """Show an altair chart; its ⋯ menu saves PNG (3×, set in the chart's usermeta) and SVG, named after
    page, figure and sentence."""
    st.altair_chart(altair_download_name(chart, safe_filename(*parts)), key=key, theme=None, width="stretch")
