"""Open every page by its URL on a fresh server, in English, Chinese and presentation mode: the script
finishes, no exception box, no request leaves the machine, a full-page screenshot is saved."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from seqviz.ui.page import PAGES

pytestmark = pytest.mark.browser

# the URL path of each page: "" for app.py, otherwise the file name without its number prefix
ROUTES = {path: "" if path == "app.py" else path.split("/")[-1].split("_", 1)[1].removesuffix(".py") for path, *_ in PAGES}
VARIANTS = {"en": "lang=en", "zh": "lang=zh", "present": "lang=en&present=true"}


def _wait_until_idle(page, timeout_ms=90_000):
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const running = document.querySelector('[data-testid="stStatusWidget"]');
            const skeleton = document.querySelector('[data-testid="stAppSkeleton"]');
            return !running && !skeleton && document.querySelectorAll('[data-testid="stHeading"]').length > 0;
        }""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(1500)  # let plotly finish drawing
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def _full_page_screenshot(page, path):
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], section.main, .main, body')]
                       .map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 40, 900), 12000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("script", list(ROUTES))
def test_page_opens_by_url_offline_without_errors(server, browser, screenshot_dir, script, variant):
    host = urlparse(server).netloc
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    page = context.new_page()

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/{ROUTES[script]}?{VARIANTS[variant]}")
    _wait_until_idle(page)
    name = ROUTES[script] or "Home"
    _full_page_screenshot(page, screenshot_dir / f"{name}_{variant}.png")
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.locator('[data-testid="stSidebar"]').count() == 1, "the shared sidebar is missing"
    assert page.locator(".js-plotly-plot").count() > 0, "no figure was drawn"
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
    if variant == "zh":
        assert "页面" in page.locator('[data-testid="stSidebar"]').inner_text()
    context.close()
