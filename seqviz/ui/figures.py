"""Placing figures on a page, each with its export controls."""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial

import streamlit as st
import torch
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as altair_to_vega_lite

from ..export.animation import FRAME_MS, Animation, gif_bytes
from ..export.deck import SLIDE_HEIGHT, SLIDE_WIDTH
from ..i18n import tr
from ..viz.attention import attention_heatmap, head_grid, mean_over_heads
from ..viz.describe import altair_table, describe_altair, describe_plotly, plotly_tables
from ..viz.static_export import static_export_available, to_svg_bytes
from ..viz.style import altair_download_name, plotly_config, safe_filename
from .client import PHONE_MAX_PX
from .page import page_settings


def show_plotly(fig, *parts: str, key: str, alt: str | None = None) -> None:
    """Show a plotly figure after its text alternative (`alt`, else read from the figure's numbers). Its
    camera button saves a PNG at 3× scale named after page, figure and sentence; where kaleido and a
    Chromium browser are present, an SVG button saves it as vector art. On a phone a figure drawn to a width
    of its own (a heatmap's cells, a tree's labels) keeps that width and scrolls sideways in its box instead
    of shrinking until its labels pile up."""
    name = safe_filename(*parts)
    lang, as_text = page_settings()
    t = partial(tr, lang)
    spec = fig.__dict__.get("_spec")  # a builder's figure, read without validating it (viz.lazy_figure)
    width = spec.get("layout", {}).get("width") if spec is not None else fig.layout.width
    _text_alternative(alt or _described(fig, lang), key, as_text, width)
    st.plotly_chart(fig, config=plotly_config(name), key=key, theme=None)
    if as_text:
        _tables(plotly_tables(fig), t)
    if static_export_available():
        st.download_button(
            "SVG",
            data=lambda: to_svg_bytes(fig),
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            on_click="ignore",
            key=f"svg_{key}",
            icon=":material/download:",
            type="tertiary",
        )


def gif_button(ctx, build: Callable[[], Animation], *parts: str, key: str) -> None:
    """A button that saves the decoding above as an animated GIF, built and rendered only when clicked
    (a few seconds); shown where kaleido and a Chromium browser are present, like the SVG buttons."""
    if not static_export_available():
        return

    def rendered() -> bytes:
        with torch.no_grad():
            return gif_bytes(build())

    st.download_button(
        ctx.t("anim_button"),
        data=rendered,
        file_name=f"{safe_filename(*parts)}.gif",
        mime="image/gif",
        on_click="ignore",
        key=key,
        icon=":material/animation:",
        type="tertiary",
        help=ctx.t("anim_help", width=SLIDE_WIDTH, height=SLIDE_HEIGHT, seconds=FRAME_MS / 1000),
    )


def show_altair(chart, *parts: str, key: str, alt: str | None = None) -> None:
    """Show an altair chart after its text alternative; its ⋯ menu saves PNG (3×, set in the chart's usermeta)
    and SVG, named after page, figure and sentence. The chart's Vega-Lite spec is made once for a chart
    object that recurs (the curve builders return the same chart for the same rows): altair's conversion
    validates the whole spec."""
    spec = _vega_lite(chart, safe_filename(*parts))
    lang, as_text = page_settings()
    t = partial(tr, lang)
    _text_alternative(alt or describe_altair(chart, t), key, as_text)
    st.vega_lite_chart({**spec, "datasets": dict(spec.get("datasets", {}))}, key=key, theme=None, width="stretch")
    if as_text:
        _tables([("", altair_table(chart))], t)


_DESCRIBED: OrderedDict[tuple[int, str], tuple[object, str]] = OrderedDict()  # (id(figure's dict), lang) ->
_DESCRIBED_LOCK = threading.Lock()  # (that dict, its description); the last 256 kept


def _described(fig, lang: str) -> str:
    """The figure's description, made once for a figure that recurs: a figure a page shares between sessions
    (cached once per server) keeps its dict, and is described once, not at every rerun of every student."""
    spec = fig.__dict__.get("_spec")  # a builder's figure (a plotly-made one would be a new dict every time)
    if spec is None:
        return describe_plotly(fig, partial(tr, lang))
    key = (id(spec), lang)
    with _DESCRIBED_LOCK:
        if key in _DESCRIBED:
            _DESCRIBED.move_to_end(key)
            return _DESCRIBED[key][1]
    text = describe_plotly(fig, partial(tr, lang))
    with _DESCRIBED_LOCK:
        _DESCRIBED[key] = (spec, text)  # the dict kept with it, so that its id is not reused meanwhile
        if len(_DESCRIBED) > 256:
            _DESCRIBED.popitem(last=False)
    return text


SHRINKS_WELL_PX = 420  # a figure up to this wide loses little at a phone's 360 px
PHONE_CSS = """<style>@media (max-width: {phone}px) {{ .st-key-{key} {{ overflow-x: auto; }}
  .st-key-{key} [data-testid="stFullScreenFrame"] {{ min-width: {width}px; }} }}</style>"""


def _text_alternative(text: str, key: str, shown: bool, width: float | None = None) -> None:
    """The figure's description, just before it: read by a screen reader (the page's client names the
    figure after it), and on the page too when figures are shown as text. (With it, for a figure of a width
    of its own, the style that keeps that width on a phone, in a box that scrolls: the client makes the box
    focusable.)"""
    label = f"<strong>{html.escape(tr(page_settings()[0], 'figure_alt_label'))}:</strong> " if shown else ""
    css = "seqviz-alt seqviz-alt-shown" if shown else "seqviz-alt"
    phone = PHONE_CSS.format(phone=PHONE_MAX_PX, key=key, width=int(width)) if (width or 0) > SHRINKS_WELL_PX else ""
    st.html(f'{phone}<p class="{css}" id="seqviz-alt-{html.escape(key)}">{label}{html.escape(text)}</p>')


def _tables(tables: list[tuple[str, dict[str, list]]], t) -> None:
    """A figure's data under it, a table per panel."""
    for title, table in tables:
        st.caption(f"{t('figure_table_label')}{t('comma') + title if title else ''}")
        st.dataframe(table, hide_index=True)


_SPECS: OrderedDict[tuple[int, str], tuple[object, dict]] = OrderedDict()  # (id(chart), name) -> (chart, spec)
_SPECS_LOCK = threading.Lock()


def _vega_lite(chart, name: str) -> dict:
    """What st.altair_chart would send for the chart, its downloads named `name`; the last 64 kept (with their
    chart, so that an id is not reused while its spec is kept). Read-only: show_altair passes a copy on."""
    key = (id(chart), name)
    with _SPECS_LOCK:
        if key in _SPECS:
            _SPECS.move_to_end(key)
            return _SPECS[key][1]
    spec = altair_to_vega_lite(altair_download_name(chart, name))  # st.altair_chart's own first step (Streamlit is
    # pinned): its datasets stay data frames, sent as Arrow
    with _SPECS_LOCK:
        _SPECS[key] = (chart, spec)
        if len(_SPECS) > 64:
            _SPECS.popitem(last=False)
    return spec


def mask_options(ctx) -> dict:
    """A mask figure's labels in the page's language: axes, and what the two colours mean."""
    return {
        "presentation": ctx.presentation,
        "x_title": ctx.t("key_axis"),
        "y_title": ctx.t("query_axis"),
        "allowed_label": ctx.t("allowed"),
        "blocked_label": ctx.t("blocked"),
    }


VIEWS = ("ae_one_head", "ae_mean_heads", "ae_all_heads")


def attention_views(
    ctx,
    attention,
    rows,
    columns,
    title: str,
    key: str,
    parts: tuple[str, ...],
    *,
    x_title: str,
    y_title: str,
    masked=None,
    default_view: int = 0,
    default_layer: int = 0,
) -> tuple[int, int]:
    """(L, H, Tq, Tk) attention as one head, the mean over heads, or every layer × head, with the pickers; keys
    are `key`_view/_layer/_head/_attention. Returns the layer and head shown."""
    n_layers, n_heads = attention.shape[:2]
    c1, c2, c3 = st.columns([2, 1, 1])
    view = c1.radio(ctx.t("ae_view"), VIEWS, horizontal=True, format_func=ctx.t, key=f"{key}_view", index=default_view)
    layer = c2.selectbox(
        ctx.t("layer"),
        range(n_layers),
        format_func=lambda i: str(i + 1),
        key=f"{key}_layer",
        index=default_layer % n_layers,
    )
    head = c3.selectbox(
        ctx.t("head"),
        range(n_heads),
        format_func=lambda i: str(i + 1),
        key=f"{key}_head",
        disabled=view != "ae_one_head",
    )
    common = {"presentation": ctx.presentation, "colorbar_title": ctx.t("weight"), "masked": masked}
    if view == "ae_all_heads":
        fig = head_grid(attention, rows, columns, f"{title}{ctx.t('comma')}{ctx.t('ae_grid')}", **common)
    else:
        weights = mean_over_heads(attention[layer]) if view == "ae_mean_heads" else attention[layer, head]
        where = f"{ctx.t('layer')} {layer + 1}" + ("" if view == "ae_mean_heads" else f" · {ctx.t('head')} {head + 1}")
        fig = attention_heatmap(
            weights, rows, columns, f"{title}{ctx.t('comma')}{where}", x_title=x_title, y_title=y_title, **common
        )
    show_plotly(fig, *parts[:2], view, *parts[2:], key=f"{key}_attention")
    return layer, head
