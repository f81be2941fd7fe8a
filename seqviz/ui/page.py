"""Page setup shared by every page: config, the sidebar (navigation, language, device, presentation mode)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import torch

from ..device import DEVICE_CHOICES, available_devices, describe, pick_device
from .text import LANGUAGES, tr

# (script path relative to app.py, text key of its label, text key of its one-line summary, icon).
# Later pages add themselves here.
PAGES = (
    ("app.py", "page_home", "home_intro", ":material/home:"),
    ("pages/1_Masks.py", "page_masks", "home_page_masks", ":material/grid_on:"),
)

_PRESENTATION_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; line-height: 1.5; }
  h1 { font-size: 2.8rem !important; } h2 { font-size: 2.1rem !important; } h3 { font-size: 1.7rem !important; }
  [data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none; }
  .block-container { padding-top: 1rem; max-width: 100%; }
</style>
"""


@dataclass(frozen=True)
class PageContext:
    lang: str
    device: torch.device
    presentation: bool

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)


def setup_page(title_key: str) -> PageContext:
    """Call first on every page. Widgets are bound to the URL (?lang=zh&present=true), so a page opened by
    its address, a reload, or a link to another page keeps the language and the presentation mode."""
    st.set_page_config(page_title=f"seqviz · {tr('en', title_key)}", page_icon=":material/hub:", layout="wide")
    with st.sidebar:
        lang = st.segmented_control(
            tr("en", "language"), list(LANGUAGES), format_func=LANGUAGES.get, default="en", required=True,
            key="lang", bind="query-params",
        ) or "en"
        st.markdown(f"### {tr(lang, 'pages')}")
        for path, label_key, _, icon in PAGES:
            st.page_link(path, label=tr(lang, label_key), icon=icon)
        st.divider()
        presentation = st.toggle(
            tr(lang, "presentation"), key="present", help=tr(lang, "presentation_help"), bind="query-params"
        )
        choices = [c for c in DEVICE_CHOICES if c == "auto" or c in available_devices()]
        device_choice = st.selectbox(
            tr(lang, "device"), choices, key="device", help=tr(lang, "device_help"), persist_state="session"
        )
        device = pick_device(device_choice)
        st.caption(describe(device))
        st.caption(tr(lang, "offline_note"))
    if presentation:
        st.markdown(_PRESENTATION_CSS, unsafe_allow_html=True)  # our own constant CSS, no user text
    return PageContext(lang, device, bool(presentation))
