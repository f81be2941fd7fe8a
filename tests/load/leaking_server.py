"""The app served as `make run` serves it, with a planted leak for the soak test to find: every session that
runs a page keeps LEAK_KB of memory on the server for as long as the process lives (test-only; the app has
no such hook). `python -m tests.load.leaking_server [streamlit options]`."""

from __future__ import annotations

import os
import sys

from streamlit.runtime.scriptrunner import get_script_run_ctx

from seqviz.ui import page, serve

LEAK_KB = int(os.environ.get("SEQVIZ_PLANTED_LEAK_KB", "300"))
KEPT: dict[str, bytes] = {}  # session id -> what it leaked
_setup_page = page.setup_page


def leaking_setup_page(*args, **kwargs):
    """The page's own set-up, then LEAK_KB kept for the session (bytes written, so resident)."""
    run = get_script_run_ctx()
    if run is not None and run.session_id not in KEPT:
        KEPT[run.session_id] = b"\x01" * (LEAK_KB * 1024)
    return _setup_page(*args, **kwargs)


page.setup_page = leaking_setup_page  # page scripts import it from the module at every run

if __name__ == "__main__":
    sys.exit(serve.main())
