"""Open every page by its URL on a fresh server, in English and in Chinese presentation mode: the script
finishes, no exception box, no request leaves the machine, a full-page screenshot is saved."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from seqviz.explorer import save_tiny_model, transformers_available
from seqviz.ui.page import PAGES

pytestmark = pytest.mark.browser

# the URL path of each page: "" for app.py, otherwise the file name without its number prefix
ROUTES = {
    path: "" if path == "app.py" else path.split("/")[-1].split("_", 1)[1].removesuffix(".py") for path, *_ in PAGES
}
# Chinese and presentation mode share one load per page: the suite stays short as pages are added.
VARIANTS = {"en": "", "zh_present": "lang=zh&present=1"}


_IDLE = """() => {
    const busy = document.querySelector(
        '[data-testid="stStatusWidget"], [data-testid="stAppSkeleton"], [data-testid="stSpinner"]');
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg');
    const stale = document.querySelectorAll('[data-stale="true"]');
    return !busy && stale.length === 0 && document.querySelectorAll('h1').length > 0
        && [...charts].every(c => c.querySelector('.main-svg'));
}"""


STEADY_CHECKS, CHECK_MS = 3, 250  # idle at three checks in a row, a quarter second apart


def _wait_until_idle(page, timeout_s=90):
    """Wait until the script has finished and every figure is drawn, and that state holds for half a second."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_s * 1000)
    steady, waited = 0, 0.0
    while steady < STEADY_CHECKS:
        if waited > timeout_s:
            raise AssertionError(f"the page did not settle within {timeout_s} s")
        steady = steady + 1 if page.evaluate(_IDLE) else 0
        page.wait_for_timeout(CHECK_MS)
        waited += CHECK_MS / 1000


def _content_height(page) -> int:
    return int(
        page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], section.main, .main, body')]
                       .map(e => e.scrollHeight))"""
        )
    )


def _full_page_screenshot(page, path):
    """Grow the viewport to the content (Streamlit scrolls inside its own container) until the content fits:
    a page still rendering its lower sections grows after the first measurement. The content is at least
    the viewport's height, so it fits once it is no taller."""
    for _ in range(6):
        needed = _content_height(page)
        if needed <= page.viewport_size["height"] or page.viewport_size["height"] >= MAX_SHOT_HEIGHT:
            break
        page.set_viewport_size({"width": 1400, "height": min(needed, MAX_SHOT_HEIGHT)})
        _wait_until_idle(page)
    page.screenshot(path=str(path), full_page=True)


MAX_SHOT_HEIGHT = 12000
EXPLORER = "pages/11_Explorer.py"


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory):
    """A tiny random encoder-decoder for the explorer page, or None without the transformers extra."""
    return save_tiny_model("t5", tmp_path_factory.mktemp("hf") / "t5") if transformers_available() else None


@pytest.mark.parametrize("script", list(ROUTES))
def test_page_opens_by_url_offline_without_errors(server, browser, screenshot_dir, tiny_t5, script):
    """Both variants of the page load at once (the server runs one while the browser draws the other)."""
    host = urlparse(server).netloc
    opened = {}
    for variant, query in VARIANTS.items():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        page = context.new_page()
        outside: list[str] = []
        errors: list[str] = []

        def guard(route, outside=outside):
            url = urlparse(route.request.url)
            if url.scheme in ("data", "blob") or url.netloc == host:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(f"{server}/{ROUTES[script]}?{query}")
        opened[variant] = (context, page, outside, errors)
    for variant, (context, page, outside, errors) in opened.items():
        _check_page(page, script, variant, tiny_t5, screenshot_dir, outside, errors)
        context.close()


def _check_page(page, script, variant, tiny_t5, screenshot_dir, outside, errors) -> None:
    _wait_until_idle(page)
    if script == EXPLORER and tiny_t5 is not None:  # the explorer draws once a model folder is given
        folder = page.get_by_test_id("stTextInputField").first
        folder.fill(str(tiny_t5))
        folder.press("Enter")
        page.wait_for_timeout(1000)
        _wait_until_idle(page)
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


def test_language_survives_links_reloads_and_switching(server, browser):
    """A Chinese link stays Chinese through the sidebar navigation and a reload; switching back to
    English sticks (the URL and the session agree)."""
    page = browser.new_page()
    page.goto(f"{server}/?lang=zh")
    _wait_until_idle(page)
    assert "序列模型" in page.locator("h1").first.inner_text()
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
    page.close()


def test_autoencoding_finetune_in_the_browser(server, browser, screenshot_dir):
    """Click a word, then fine-tune live: the progress ends in two accuracy curves drawn by vega, offline."""
    host = urlparse(server).netloc
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).netloc in (host, "")
            else (outside.append(route.request.url), route.abort())
        ),
    )
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
    assert not outside, f"requests left the machine: {outside}"
    page.close()


PAYLOAD = '<b id=injected>bold</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


@pytest.mark.parametrize(
    "route, label",
    [
        ("Masks", "Sentence"),
        ("Autoencoding", "Sentence"),
        ("Seq2Seq", "English sentence"),
        ("Autoregressive", "Prompt (empty = start of a sentence)"),
    ],
)
def test_typed_html_is_shown_as_text_never_run_as_markup(server, browser, route, label):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/{route}")
    _wait_until_idle(page)
    box = page.get_by_label(label, exact=True)
    box.fill(PAYLOAD)
    box.press("Enter")
    page.wait_for_timeout(500)
    _wait_until_idle(page)
    assert page.locator("#injected").count() == 0, "user text was rendered as HTML"
    assert page.evaluate("() => window.__pwned") is None, "user text ran as script"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
