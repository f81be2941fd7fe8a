"""Open every page by its URL on a fresh server, in English and in Chinese presentation mode: the script
finishes, no exception box, no request leaves the machine, the root element names the page's language, every
figure has its text alternative, axe-core finds nothing serious; then the same pages at a tablet's and a
phone's width. Full-page screenshots of each are saved (artifacts/screenshots)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

from seqviz.explorer.loading import transformers_available
from seqviz.explorer.tiny import save_tiny_model
from seqviz.ui.page import PAGES
from tests.browser.conftest import note_outside, serious_accessibility_findings, unnamed_figures

pytestmark = pytest.mark.browser

# the URL path of each page: "" for app.py, otherwise the file name without its number prefix
ROUTES = {
    path: "" if path == "app.py" else path.split("/")[-1].split("_", 1)[1].removesuffix(".py") for path, *_ in PAGES
}
# The addresses teachers have bookmarked and put in slides, in the sidebar's order: never to change.
ADDRESSES = (
    "",
    "Lessons",
    "Masks",
    "Autoencoding",
    "Autoencoders",
    "Autoregressive",
    "Recurrent",
    "Seq2Seq",
    "Parallel",
    "Fusions",
    "Diffusion",
    "Pixels",
    "Signals",
    "Positions",
    "Prompt",
    "Inside",
    "Explorer",
)


def test_page_files_follow_the_sidebar_and_keep_every_address():
    """Streamlit orders page files by their number and serves each at its name without the number: the
    files' order is the sidebar's, and every address is one of ADDRESSES, each still there."""
    from pathlib import Path

    from streamlit.source_util import page_icon_and_name, page_sort_key

    from tests.browser.conftest import ROOT

    files = sorted((ROOT / "pages").glob("*.py"), key=page_sort_key)
    assert [f"pages/{f.name}" for f in files] == [path for path, *_ in PAGES[1:]]
    assert ["", *(page_icon_and_name(Path(f))[1] for f in files)] == list(ADDRESSES)
    assert list(ROUTES.values()) == list(ADDRESSES)


# Two tabs load every page at once: English on a tablet (768 px: Streamlit's desktop layout, the sidebar
# folded away), Chinese in presentation mode on a desktop; the Chinese one then narrows to a phone, as a
# student's device would (a page made for the width is told and reruns). Chinese and presentation mode share
# one load per page, and English on a phone is the home page here and a lesson by touch
# (test_lessons_in_browser.py): the suite stays short as pages are added.
VARIANTS = {"tablet_en": "", "zh_present": "lang=zh&present=1"}
VIEWPORTS = {"tablet_en": {"width": 768, "height": 1024}, "zh_present": {"width": 1400, "height": 900}}
ROOT_LANG = {"tablet_en": "en", "zh_present": "zh-Hans"}
PHONE = {"width": 390, "height": 844}
NARROWER = {"tablet_en": {"app.py"}, "zh_present": {path for path, *_ in PAGES}}  # the pages seen on a phone too
# axe-core at a desktop's width and a phone's (every narrowed page); a tablet's findings would be theirs
AXE_VARIANTS = {"zh_present"}


_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const busy = document.querySelector(
        '[data-testid="stStatusWidget"], [data-testid="stAppSkeleton"], [data-testid="stSpinner"], '
        + '[data-testid="stSkeleton"]');  // an element whose code (plotly's, say) is still loading
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    const stale = document.querySelectorAll('[data-stale="true"]');
    return !busy && stale.length === 0 && document.querySelectorAll('h1').length > 0
        && [...charts].every(c => c.querySelector('.main-svg'));
}"""


STEADY_CHECKS, CHECK_MS = 3, 250  # idle at three checks in a row, a quarter second apart


def _wait_until_idle(page, timeout_s=180):  # a backstop, not a speed bound
    """Wait until the script has finished and every figure is drawn, and that state holds for half a second."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_s * 1000)
    steady, waited = 0, 0.0
    while steady < STEADY_CHECKS:
        if waited > timeout_s:
            raise AssertionError(f"the page did not settle within {timeout_s} s")
        steady = steady + 1 if page.evaluate(_IDLE) else 0
        page.wait_for_timeout(CHECK_MS)
        waited += CHECK_MS / 1000


def _wait_for(page, condition, timeout_s: float = 120) -> None:
    """Wait until condition(page) holds (a busy server starts a rerun late: an idle page before it says
    nothing), then until the page is idle. The timeout is a backstop, not a speed bound."""
    for _ in range(int(timeout_s * 4)):
        if condition(page):
            break
        page.wait_for_timeout(250)
    _wait_until_idle(page)


# Streamlit scrolls inside its own container: let the container grow with its content instead, so that the
# document is the whole page. The viewport keeps its size, so no figure is drawn again for the picture.
_WHOLE_PAGE_CSS = """
html, body, #root, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important;
}
[data-testid="stSidebar"][data-collapsed="true"] { display: none !important; }  /* off screen on a phone */"""


def _full_page_screenshot(page, path):
    """The whole page in one image (taller than the viewport, as the user scrolls through it)."""
    style = page.add_style_tag(content=_WHOLE_PAGE_CSS)
    page.screenshot(path=str(path), full_page=True)
    style.evaluate("element => element.remove()")


EXPLORER = "pages/16_Explorer.py"


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory):
    """A tiny random encoder-decoder for the explorer page, or None without the transformers extra."""
    return save_tiny_model("t5", tmp_path_factory.mktemp("hf") / "t5") if transformers_available() else None


@dataclass
class Tab:
    """One browser tab kept for every page of a variant (the app's scripts load once per tab, not per page),
    with what it saw off the machine and its JavaScript errors."""

    page: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def tabs(server, browser):
    host = urlparse(server).netloc
    opened = {}
    for variant in VARIANTS:
        context = browser.new_context(viewport=VIEWPORTS[variant], device_scale_factor=1)
        tab = Tab(context.new_page())
        note_outside(tab.page, host, tab.outside)
        tab.page.on("pageerror", lambda exc, tab=tab: tab.errors.append(str(exc)))
        opened[variant] = tab
    yield opened
    for tab in opened.values():
        tab.page.context.close()


# The text box of each page where a user types a sentence: what they type is shown as text, never run.
TYPED_BOXES = {
    "pages/2_Masks.py": "Sentence",
    "pages/3_Autoencoding.py": "Sentence",
    "pages/5_Autoregressive.py": "Prompt (empty = start of a sentence)",
    "pages/7_Seq2Seq.py": "English sentence",
}
PAYLOAD = '<b id=injected>bold</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


@pytest.mark.parametrize("script, address", list(zip(ROUTES, ADDRESSES, strict=True)), ids=list(ROUTES))
def test_page_opens_by_url_offline_without_errors(server, tabs, screenshot_dir, tiny_t5, script, address):
    """The page opens at its bookmarked address; both variants load at once (the server runs one while the
    browser draws the other), then narrow to a phone at once. Where a user types a sentence, HTML and script
    typed there stay text."""
    for variant, query in VARIANTS.items():
        tab = tabs[variant]
        tab.outside.clear(), tab.errors.clear()
        tab.page.set_viewport_size(VIEWPORTS[variant])
        tab.page.goto(f"{server}/{address}?{query}")
    for variant, tab in tabs.items():
        _check_page(tab.page, script, variant, tiny_t5, screenshot_dir, tab.outside, tab.errors)
    narrowing = [variant for variant in tabs if script in NARROWER[variant]]
    for variant in narrowing:  # all at once: one tab redraws while the server reruns the other
        tabs[variant].page.set_viewport_size(PHONE)
    for variant in narrowing:
        _check_phone(tabs[variant].page, script, variant, screenshot_dir)
    if script in TYPED_BOXES:
        _check_typed_html_stays_text(tabs["tablet_en"].page, TYPED_BOXES[script])


def _check_typed_html_stays_text(page, label: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(PAYLOAD)
    box.press("Enter")
    page.wait_for_timeout(1000)  # the rerun starts (on a slower machine the checks below may come first)
    _wait_until_idle(page)
    assert page.locator("#injected").count() == 0, "user text was rendered as HTML"
    assert page.evaluate("() => window.__pwned") is None, "user text ran as script"
    assert page.locator('[data-testid="stException"]').count() == 0


def _check_page(page, script, variant, tiny_t5, screenshot_dir, outside, errors) -> None:
    _wait_until_idle(page)
    if script == EXPLORER and tiny_t5 is not None:  # the explorer draws once a model folder is given
        folder = page.get_by_test_id("stTextInputField").first
        folder.fill(str(tiny_t5))
        folder.press("Enter")
        _wait_for(page, lambda p: p.locator(".js-plotly-plot").count() > 0)
    name = ROUTES[script] or "Home"
    _full_page_screenshot(page, screenshot_dir / f"{name}_{variant}.png")
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, (variant, exceptions.first.inner_text() if exceptions.count() else "")
    assert page.locator('[data-testid="stSidebar"]').count() == 1, f"{variant}: the shared sidebar is missing"
    if script != EXPLORER or tiny_t5 is not None:  # without the extra the explorer says how to install it
        assert page.locator(".js-plotly-plot").count() > 0, f"{variant}: no figure was drawn"
    assert not outside, f"{variant}: requests left the machine: {outside}"
    assert not errors, f"{variant}: JavaScript errors: {errors}"
    if variant == "zh_present":
        assert "页面" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert page.evaluate("document.documentElement.lang") == ROOT_LANG[variant]
    assert not unnamed_figures(page), f"{variant}: figures without a text alternative: {unnamed_figures(page)}"
    if variant in AXE_VARIANTS:
        assert not (found := serious_accessibility_findings(page)), f"{variant}: axe-core: {found}"


def _check_phone(page, script, variant, screenshot_dir) -> None:
    """The page narrowed to a phone: once it is made for the width, no exception, no sideways scrolling of the
    whole page, nothing serious for axe-core (touch targets of 24 px included), and a screenshot to look at."""
    _wait_for(page, lambda p: p.evaluate("document.documentElement.dataset.seqvizWidth") == "phone")
    name = ROUTES[script] or "Home"
    _full_page_screenshot(page, screenshot_dir / f"{name}_phone_{variant.removeprefix('tablet_')}.png")
    assert page.locator('[data-testid="stException"]').count() == 0, variant
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{variant}: scrolls sideways"
    assert not (found := serious_accessibility_findings(page)), f"{variant}, phone: axe-core: {found}"


def test_language_survives_links_reloads_and_switching(server, browser):
    """A Chinese link stays Chinese through the sidebar navigation and a reload; switching back to
    English sticks (the URL and the session agree)."""
    page = browser.new_page()
    page.goto(f"{server}/?lang=zh")
    _wait_until_idle(page)
    assert "序列模型" in page.locator("h1").first.inner_text()
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"  # a screen reader reads Chinese
    page.locator('[data-testid="stSidebar"] a', has_text="掩码").first.click()
    _wait_until_idle(page)
    assert "lang=zh" in page.url and "掩码" in page.locator("h1").first.inner_text()
    page.reload()
    _wait_until_idle(page)
    assert "掩码" in page.locator("h1").first.inner_text()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    _wait_until_idle(page)
    page.reload()
    _wait_until_idle(page)
    assert "lang=zh" not in page.url and "Masks" in page.locator("h1").first.inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()


def test_autoencoding_finetune_in_the_browser(server, browser, screenshot_dir):
    """Click a word, then fine-tune live: the progress ends in two accuracy curves drawn by vega, offline."""
    host = urlparse(server).netloc
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    note_outside(page, host, outside)
    page.goto(f"{server}/Autoencoding")
    _wait_until_idle(page)
    page.get_by_role("button", name="Fine-tune both").click()
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg', timeout=120_000
    )
    _wait_until_idle(page)
    _full_page_screenshot(page, screenshot_dir / "Autoencoding_finetuned.png")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "held-out accuracy" in page.locator('[data-testid="stMain"]').inner_text()
    assert not unnamed_figures(page), unnamed_figures(page)  # vega's curves too
    assert not outside, f"requests left the machine: {outside}"
    page.close()


def test_the_code_that_ran_unfolds_on_a_phone_and_scrolls_in_its_box(server, browser, screenshot_dir):
    """On a phone, unfolding the Masks page's code shows the running package's causal mask, and a long line
    scrolls inside its box instead of widening the page."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{server}/Masks")
    _wait_until_idle(page)
    page.get_by_text("The code that ran", exact=True).click()
    page.wait_for_selector('[data-testid="stCode"]', timeout=60_000)
    _wait_until_idle(page)
    code = page.locator('[data-testid="stCode"]').first
    assert "def causal_mask(length: int)" in code.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself never scrolls sideways
    _full_page_screenshot(page, screenshot_dir / "Masks_code_phone.png")
    page.close()
