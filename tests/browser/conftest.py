"""A real server and a real browser: serve the app as `make run` does on a free loopback port, drive headless
Chromium with Playwright. Skipped with a reason when Chromium or Playwright is missing, unless
SEQVIZ_REQUIRE_BROWSER=1 (as CI sets), in which case that is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
SUMMARIES = ROOT / "artifacts" / "load_summaries.txt"  # the load tests' reports, shown after the run
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _unavailable(reason: str):
    if os.environ.get("SEQVIZ_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def _chromium() -> str | None:
    found = os.environ.get("SEQVIZ_CHROMIUM") or shutil.which("chromium")
    return found or next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(server_process):
    """The running app's address."""
    return server_process.url


class Server:
    """The app served as `make run` serves it (python -m seqviz.ui.serve) on a free loopback port; .url is its
    address, .pid its process, .log_path its output. Use as a context manager, or call stop()."""

    def __init__(self, log_path: Path, timeout_s: float = 180):  # starts in 10-20 s here
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path, self.port = log_path, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "seqviz.ui.serve",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        deadline = time.time() + timeout_s
        while time.time() < deadline and self.process.poll() is None:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"the server did not become healthy within {timeout_s:.0f} s (see {log_path})")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture(scope="session")
def server_process():
    """One server for the session's browser tests."""
    server = Server(ROOT / "artifacts" / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    if path is None:
        _unavailable("no Chromium found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def summarise(text: str) -> None:
    """Print a load test's summary and keep it for the end of the run (tests/conftest.py shows it there: a
    worker's own output does not reach the terminal)."""
    print(f"\n{text}")
    with open(SUMMARIES, "a") as summaries:
        summaries.write(f"{text}\n")


def note_outside(page, host: str, outside: list[str]) -> None:
    """Record every request of the page that leaves the machine. (A listener, not a route: routing would
    turn off the browser's cache, and every student would compile the app's scripts again.)"""

    def seen(request) -> None:
        url = urlparse(request.url)
        if url.netloc not in (host, "") and url.scheme not in ("data", "blob"):
            outside.append(request.url)

    page.on("request", seen)


AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it (npm ci)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.2 AA, target sizes included

_AXE_RUN = """async tags => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => (
        {rule: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': '
            + n.failureSummary.split('\\n').slice(1, 2).join('').trim())}));
}"""


def serious_accessibility_findings(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.2 AA findings on the page as it stands."""
    if not AXE.exists():
        _unavailable(f"axe-core is not installed ({AXE.relative_to(ROOT)}: make test runs npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def unnamed_figures(page) -> list[str]:
    """Figures on the page that assistive technology cannot name: each plotly or vega chart is a figure
    labelled by the text alternative placed before it (seqviz.ui.figures, seqviz.ui.client)."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot, .vega-embed')].filter(figure => {
        const label = document.getElementById(figure.getAttribute('aria-labelledby') || '');
        return figure.getAttribute('role') !== 'figure' || !label || label.textContent.trim().length < 20;
    }).map(figure => figure.closest('[class*="st-key-"]')?.className.match(/st-key-\\S+/)?.[0] || 'a figure')""")
