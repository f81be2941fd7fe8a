"""Page setup shared by every page: config, the sidebar (navigation, language, device, presentation mode)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import streamlit as st
import torch

from ..device import DEVICE_CHOICES, available_devices, describe, pick_device
from ..i18n import LANGUAGES, texts, tr
from .client import client
from .startup import warm_up

# (script path relative to app.py, text key of its label, text key of its one-line summary, icon).
# Later pages add themselves here.
PAGES = (
    ("app.py", "page_home", "home_intro", ":material/home:"),
    ("pages/1_Lessons.py", "page_lessons", "home_page_lessons", ":material/school:"),
    ("pages/2_Masks.py", "page_masks", "home_page_masks", ":material/grid_on:"),
    ("pages/3_Autoencoding.py", "page_autoencoding", "home_page_autoencoding", ":material/edit_note:"),
    ("pages/4_Autoencoders.py", "page_autoencoders", "home_page_autoencoders", ":material/compress:"),
    ("pages/5_Autoregressive.py", "page_autoregressive", "home_page_autoregressive", ":material/arrow_forward:"),
    ("pages/6_Recurrent.py", "page_recurrent", "home_page_recurrent", ":material/replay:"),
    ("pages/7_Seq2Seq.py", "page_seq2seq", "home_page_seq2seq", ":material/translate:"),
    ("pages/8_Parallel.py", "page_parallel", "home_page_parallel", ":material/view_column:"),
    ("pages/9_Fusions.py", "page_fusions", "home_page_fusions", ":material/join:"),
    ("pages/10_Diffusion.py", "page_diffusion", "home_page_diffusion", ":material/blur_on:"),
    ("pages/11_Pixels.py", "page_pixels", "home_page_pixels", ":material/grid_4x4:"),
    ("pages/12_Signals.py", "page_signals", "home_page_signals", ":material/graphic_eq:"),
    ("pages/13_Positions.py", "page_positions", "home_page_positions", ":material/pin:"),
    ("pages/14_Prompt.py", "page_prompt", "home_page_prompt", ":material/content_copy:"),
    ("pages/15_Inside.py", "page_inside", "home_page_inside", ":material/biotech:"),
    ("pages/16_Explorer.py", "page_explorer", "home_page_explorer", ":material/travel_explore:"),
)

FALLBACK_KEY = "_device_fallback"  # set when the GPU ran out of memory: the next run takes the CPU

# The page's own CSS: page names (the sidebar's, the home page's) wrap instead of being cut; the browser
# side's component takes no room; plotly's toolbar stays off touch screens; a wide Markdown table scrolls in
# its box; the contrast the theme cannot set (code in a caption, an inactive widget's label, a key's hint on
# a red button); a figure's text alternative is for screen readers only (seqviz.ui.figures).
_PAGE_CSS = """
<style>
  [data-testid="stPageLink-NavLink"] * { white-space: normal; overflow: visible; text-overflow: clip; }
  .st-key-seqviz_client { display: none; }
  @media (hover: none), (max-width: 640px) { .modebar-container { display: none !important; } }
  [data-testid="stMarkdownContainer"] table { display: block; max-width: 100%; overflow-x: auto; }
  @media (max-width: 640px) {  /* a phone: a wide table scrolls in its box rather than wrap a word per line */
    [data-testid="stTable"] td, [data-testid="stTable"] th { min-width: 6.5em; } }
  [data-testid="stCaptionContainer"] code { color: inherit; }
  [data-testid="stWidgetLabel"][disabled] p { color: rgba(14, 17, 23, 0.6); }  /* inactive, as a caption: 5 : 1 */
  /* a key's hint on a button of the theme's red: white, 6 : 1 */
  button[kind="primary"] kbd, button[kind="primary"] kbd * { color: #ffffff !important; opacity: 1 !important; }
  .stElementContainer:has(.seqviz-alt:not(.seqviz-alt-shown)) {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
</style>
"""

_PRESENTATION_CSS = """
<style>
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.5; }
  [data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
  [data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.2rem; }
  [data-testid="stMain"] h1 { font-size: 3rem !important; }
  [data-testid="stMain"] h2 { font-size: 2.3rem !important; }
  [data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.35rem !important; }
  [data-testid="stMain"] [data-baseweb="select"] > div { font-size: 1.25rem; }
  [data-testid="stMain"] button p, [data-testid="stMain"] [data-testid="stExpander"] summary p { font-size: 1.25rem; }
  [data-testid="stMain"] [data-testid="stSliderThumbValue"] { font-size: 1.15rem; }
  [data-testid="stMain"] [data-testid="stSlider"] [data-testid="stWidgetLabel"] { margin-bottom: 0.9rem; }
  [data-testid="stMain"] [data-testid="stTable"] td,
  [data-testid="stMain"] [data-testid="stTable"] th { font-size: 1.2rem; }
  [data-testid="stMain"] [data-testid="stCode"] code { font-size: 1.15rem; }
  [data-testid="stMain"] pre.seqviz-diff { font-size: 1.05rem; }
  [data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] * {
    font-size: 1.1rem; white-space: normal; overflow: visible; text-overflow: clip; }
  [data-testid="stSidebar"] [data-testid="stWidgetLabel"] p { font-size: 1.1rem; }
  [data-testid="stHeader"], footer { display: none; }
  [data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
</style>
"""


@lru_cache(maxsize=1)
def _favicon():
    """A causal mask as the tab icon, drawn here: a Material icon would be fetched from a font CDN."""
    from PIL import Image

    cells = np.tril(np.ones((4, 4), dtype=bool)).repeat(8, 0).repeat(8, 1)  # (32, 32)
    gaps = np.arange(32) % 8 == 7
    pixels = np.where(cells[..., None], [31, 95, 168], [227, 227, 227]).astype(np.uint8)  # (32, 32, 3)
    pixels[gaps, :] = pixels[:, gaps] = 255
    return Image.fromarray(pixels)


@dataclass(frozen=True)
class PageContext:
    lang: str
    device: torch.device
    presentation: bool
    narrow: bool = False  # a phone's screen: figures built for its width
    as_text: bool = False  # every figure's description and data shown under it
    page: str = ""  # the page's title key (PAGES): which page this is

    def t(self, key: str, **values) -> str:
        return tr(self.lang, key, **values)

    def texts(self, key: str) -> list:
        return texts(self.lang, key)

    def message(self, said) -> str:
        """A library's Notice or UserError in this page's language; any other message as it is."""
        key = getattr(said, "key", None)
        return self.t(key, **said.params) if key else str(said)


SETTINGS = (("lang", "en"), ("present", False), ("text", False))  # what a page's URL carries, and its default


def _flag(value) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get(value)


def page_settings() -> tuple[str, bool]:
    """This session's language and whether figures are shown as text too (for code placed by a page that
    has no PageContext at hand)."""
    return st.session_state.get("_lang", "en"), bool(st.session_state.get("_text", False))


def _setting(name: str, default, parse):
    """A per-session setting that also lives in the URL (?name=value): read it from the URL when a page
    is opened by its address, else keep what this session chose."""
    url_value = parse(st.query_params.get(name))
    if url_value is not None:
        st.session_state[f"_{name}"] = url_value
    return st.session_state.setdefault(f"_{name}", default)


def _write_url(lang: str, presentation: bool, as_text: bool) -> None:
    for name, value, default in (
        ("lang", lang, "en"),
        ("present", "1" if presentation else "0", "0"),
        ("text", "1" if as_text else "0", "0"),
    ):
        if value == default:
            st.query_params.pop(name, None)
        else:
            st.query_params[name] = value


def _choose(name: str) -> None:
    """Widget callback: remember the user's choice for this session and put it in the URL."""
    st.session_state[f"_{name}"] = st.session_state[f"{name}_widget"]
    _write_url(*(st.session_state.get(f"_{name}", default) for name, default in SETTINGS))


def setup_page(title_key: str, *, by_width: bool = False) -> PageContext:
    """Call first on every page. Language and presentation mode live in the session and in the URL
    (?lang=zh&present=1), so a page opened by its address, a reload, or a link keeps them. A page that builds
    something for a phone's width (ctx.narrow) says `by_width`: it reruns when the width crosses a phone's."""
    warm_up()  # done before the server started (seqviz.ui.serve); otherwise here, once
    st.set_page_config(page_title=f"seqviz · {tr('en', title_key)}", page_icon=_favicon(), layout="wide")
    restarted = _restarted_session()
    lang = _setting("lang", "en", lambda v: v if v in LANGUAGES else None)
    presentation = _setting("present", False, _flag)
    as_text = _setting("text", False, _flag)
    st.session_state["lang_widget"], st.session_state["present_widget"] = lang, presentation
    st.session_state["text_widget"] = as_text
    with st.sidebar:
        st.segmented_control(
            tr("en", "language"),
            list(LANGUAGES),
            format_func=LANGUAGES.get,
            required=True,
            key="lang_widget",
            on_change=_choose,
            args=("lang",),
        )
        st.markdown(f"### {tr(lang, 'pages')}")
        navigation = st.container()
        st.divider()
        for setting, label, help_key in (  # both kept in the URL too
            ("present", "presentation", "presentation_help"),
            ("text", "figures_as_text", "figures_as_text_help"),
        ):
            st.toggle(
                tr(lang, label),
                key=f"{setting}_widget",
                help=tr(lang, help_key),
                on_change=_choose,
                args=(setting,),
            )
        device = _device_select(lang)
        st.caption(describe(device))
        st.caption(tr(lang, "offline_note"))
        narrow = client(lang, by_width)
    ctx = PageContext(lang, device, presentation, narrow, as_text, title_key)
    with navigation:
        for path, label_key, _, icon in PAGES:
            page_link(ctx, path, tr(lang, label_key), icon)
    _write_url(lang, presentation, as_text)
    st.html(_PAGE_CSS)  # our own constant CSS, no user text
    if presentation:
        st.markdown(_PRESENTATION_CSS, unsafe_allow_html=True)  # our own constant CSS, no user text
    if restarted:
        st.warning(tr(lang, "session_restarted"), icon=":material/restart_alt:")
    return ctx


SESSION_MARK = "_seqviz_session"  # set on a session's first run


def _browser_widget_keys() -> set[str]:
    """The keys of the widget values the browser sent with this run (Streamlit 1.67 keeps them in the
    session state under the widget's id, "$$ID-<hash>-<key>", until the widget is drawn)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    try:
        ids = list(get_script_run_ctx().session_state._state._new_widget_state.keys())
    except AttributeError:
        return set()
    return {widget_id.split("-", 2)[-1] for widget_id in ids}


def _restarted_session() -> bool:
    """True on the first run of a session whose browser already holds widget values: the page stayed open
    while the server restarted (or behind nginx, while its replica stopped), and the browser reconnected to a
    new session. A page opened afresh sends none on its first run."""
    if st.session_state.get(SESSION_MARK):
        return False
    st.session_state[SESSION_MARK] = True
    return bool(_browser_widget_keys())


def widget_default(key: str, value) -> None:
    """A widget's first value, unless the session or the browser already holds one: after a server restart
    the browser sends what the student had typed, and a default set here would replace it."""
    if key not in st.session_state and key not in _browser_widget_keys():
        st.session_state[key] = value
    st.session_state[SESSION_MARK] = True
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    try:  # the widget values this run arrived with (Streamlit 1.67's session state holds them here)
        return len(get_script_run_ctx().session_state._state._new_widget_state) > 0
    except AttributeError:
        return False


def _device_select(lang: str) -> torch.device:
    """The session's device. A remembered choice that is absent here, or a GPU that ran out of memory on the
    last run (see `device_fallback`), falls back to the CPU with a message instead of an error."""
    choices = [c for c in DEVICE_CHOICES if c == "auto" or c in available_devices()]
    notice = None
    if st.session_state.pop(FALLBACK_KEY, None):
        st.session_state["device"], notice = "cpu", tr(lang, "device_oom")
    elif st.session_state.get("device", "auto") not in choices:
        notice = tr(lang, "device_missing", device=st.session_state["device"], fallback="CPU")
        st.session_state["device"] = "cpu"
    choice = st.selectbox(
        tr(lang, "device"),
        choices,
        key="device",
        help=tr(lang, "device_help"),
        persist_state="session",
        format_func=lambda c: tr(lang, "device_auto") if c == "auto" else c,
    )
    if notice:
        st.warning(notice, icon=":material/memory:")
    try:
        return pick_device(choice)
    except ValueError:  # present when listed, gone now (e.g. a driver reset)
        st.warning(tr(lang, "device_missing", device=choice, fallback="CPU"), icon=":material/memory:")
        return torch.device("cpu")


@contextmanager
def device_fallback(ctx: PageContext):
    """Wrap a page's body: if the GPU runs out of memory, free it, switch this session to the CPU and run the
    page again (the sidebar then says why). On the CPU the error is not ours to hide."""
    try:
        yield
    except torch.cuda.OutOfMemoryError:
        if ctx.device.type == "cpu":
            raise
        torch.cuda.empty_cache()
        st.session_state[FALLBACK_KEY] = True
        st.rerun()


def page_link(ctx: PageContext, path: str, label: str, icon: str) -> None:
    """A link to another page that carries the language and presentation mode in its URL."""
    params = {"lang": ctx.lang} if ctx.lang != "en" else {}
    if ctx.presentation:
        params["present"] = "1"
    st.page_link(path, label=label, icon=icon, query_params=params or None)


def page_intro(ctx: PageContext, title_key: str, intro_key: str, look_key: str) -> None:
    """Every lesson page opens the same way: its title, the lesson in a paragraph, and what to look at."""
    st.title(ctx.t(title_key))
    st.markdown(ctx.t(intro_key))
    with st.expander(ctx.t("what_to_look_at"), expanded=True, icon=":material/visibility:"):
        st.markdown(ctx.t(look_key))
