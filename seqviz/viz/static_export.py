"""Static export of a plotly figure to SVG and PNG through kaleido and a headless Chromium-family browser:
finding the browser, one browser kept open for many figures (export_session), and the bytes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import warnings
from contextlib import contextmanager
from functools import lru_cache

_KALEIDO_HELP = (
    "Exporting a figure to {fmt} needs the 'kaleido' package and a Chromium browser "
    "(pip install kaleido; set BROWSER_PATH to the browser if it is not found). "
    "The PNG camera button in the figure's toolbar works without them."
)


_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@lru_cache(maxsize=1)
def _browser_path() -> str | None:
    """A Chromium-family browser for kaleido: BROWSER_PATH, one on PATH, or one where installers put it
    (choreographer's search: Chrome on macOS and Windows, Edge, a browser kaleido downloaded)."""
    found = os.environ.get("BROWSER_PATH") or next((shutil.which(b) for b in _BROWSERS if shutil.which(b)), None)
    if found or importlib.util.find_spec("choreographer") is None:
        return found
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # a best-effort search; no browser means no static export, never an error
        return None


def static_export_available() -> bool:
    """True when kaleido is installed and a Chromium-family browser can be found for it."""
    return importlib.util.find_spec("kaleido") is not None and _browser_path() is not None


def _find_browser() -> None:
    if not os.environ.get("BROWSER_PATH") and _browser_path():  # kaleido looks for Chrome; Debian's Chromium too
        os.environ["BROWSER_PATH"] = _browser_path()


@contextmanager
def export_session():
    """One headless browser kept open for many exports (kaleido otherwise starts one per figure, ~3 s)."""
    _find_browser()
    try:
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:
        raise RuntimeError(_KALEIDO_HELP.format(fmt="PNG/SVG") + f" Cause: {exc}") from exc
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


# kaleido 1.x can, on a loaded machine, run its script in the page it is leaving: the script is then
# missing. The tab is reloaded after every figure, so a second try finds it there.
_PAGE_RACE = "kaleido_scopes is not defined"


def _to_image(fig, fmt: str, scale: float) -> bytes:
    try:
        return fig.to_image(format=fmt, scale=scale)
    except Exception as exc:
        if _PAGE_RACE not in str(exc):
            raise
        return fig.to_image(format=fmt, scale=scale)  # a reloaded tab: the second try


def _export(fig, fmt: str, scale: float) -> bytes:
    _find_browser()
    try:
        return _to_image(fig, fmt, scale)
    except Exception as exc:  # ImportError, ValueError, browser start failures, ...
        raise RuntimeError(_KALEIDO_HELP.format(fmt=fmt.upper()) + f" Cause: {exc}") from exc


def to_svg_bytes(fig) -> bytes:
    """The figure as SVG (vector, for slides)."""
    return _export(fig, "svg", 1)


def to_png_bytes(fig, scale: float = 3) -> bytes:
    """The figure as PNG at `scale` x its layout size."""
    return _export(fig, "png", scale)
