"""Opening pages in Streamlit's AppTest as a user would, and reading what they show."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # the first run imports torch and loads a model


def open_page(script: str, lang: str = "en") -> AppTest:
    """Start from app.py (the entry point) and switch to the page, as a user following a link would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    if script != "app.py":
        at.switch_page(script)
        at.run()
    return at


def all_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.header] + [e.value for e in at.subheader]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)
