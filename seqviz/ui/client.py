"""The browser's side of a page, one small component mounted by setup_page: it sets the root element's
language (Streamlit writes `<html lang="en">` whatever the page's language), tells the server whether the
screen is a phone's (so figures can be built for that width), and names each figure for assistive
technology after the text alternative placed before it (seqviz.ui.figures)."""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 640  # Streamlit stacks columns below this width too
BCP47 = {"en": "en", "zh": "zh-Hans"}  # the page's language as the root element names it

_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  document.documentElement.lang = data.lang;
  const phone = window.matchMedia(`(max-width: ${data.phone_max}px)`);
  // A page that builds something for the width (data.report) hears when a phone's width is crossed, and
  // reruns; any other page would only spend a rerun on it. The root element says what the page on screen
  // was made for (a test waits for it after changing the width).
  const report = () => {
    if (data.report && phone.matches !== data.narrow) setStateValue('narrow', phone.matches);
    const madeFor = data.report ? data.narrow : phone.matches;
    document.documentElement.dataset.seqvizWidth = madeFor ? 'phone' : 'wide';
  };
  report();
  phone.addEventListener('change', report);
  const resized = () => focusable();
  window.addEventListener('resize', resized);
  // A figure is named by the text alternative just before it: an image whose name is that text.
  const name = () => {
    for (const alt of document.querySelectorAll('.seqviz-alt[id]')) {
      const holder = alt.closest('.stElementContainer');
      const next = holder && holder.nextElementSibling;
      const figure = next && next.querySelector('.js-plotly-plot, .vega-embed');
      if (figure && figure.getAttribute('aria-labelledby') !== alt.id) {
        figure.setAttribute('role', 'figure');
        alt.setAttribute('aria-hidden', 'true');
        figure.setAttribute('aria-labelledby', alt.id);
      }
    }
  };
  // A box that scrolls sideways (a wide table, code, a wide figure on a phone) takes the keyboard's focus, so
  // it scrolls without a mouse.
  const focusable = () => {
    const boxes = '[data-testid="stTable"] > div, [data-testid="stMarkdownContainer"] table, pre, .stElementContainer';
    for (const box of document.querySelectorAll(boxes)) {
      if (box.classList.contains('stElementContainer') && getComputedStyle(box).overflowX !== 'auto') continue;
      if (box.scrollWidth > box.clientWidth + 1) { if (!box.hasAttribute('tabindex')) box.tabIndex = 0; }
      else if (box.tabIndex === 0) box.removeAttribute('tabindex');
    }
  };
  let queued = false;
  const observer = new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; name(); focusable(); }); }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  name();
  return () => {
    phone.removeEventListener('change', report);
    window.removeEventListener('resize', resized);
    observer.disconnect();
  };
}
"""

_client = st.components.v2.component("seqviz_client", js=_JS)


def client(lang: str, by_width: bool) -> bool:
    """Mount the page's browser side; -> whether the screen is a phone's (False until the browser says). Only
    a page that builds something `by_width` is told, and reruns, when the width crosses a phone's."""
    narrow = bool(st.session_state.get("_narrow", False))
    result = _client(
        key="seqviz_client",
        data={"lang": BCP47.get(lang, lang), "narrow": narrow, "phone_max": PHONE_MAX_PX, "report": by_width},
        default={"narrow": narrow},
        on_narrow_change=_remember_width,
    )
    return bool(getattr(result, "narrow", narrow))


def _remember_width() -> None:
    st.session_state["_narrow"] = bool(st.session_state["seqviz_client"].get("narrow"))
