"""Serve the app: `python -m seqviz.ui.serve [streamlit options]`, which `make run` calls.

The same as `streamlit run app.py`, except that the start-up work (seqviz.ui.startup) is done before the
server accepts its first connection, so a class opening the link at once on a fresh server finds
everything imported. It runs from the app's own folder, so that folder's .streamlit/config.toml applies.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from .startup import warm_up

    os.chdir(APP.parent)
    ready = warm_up()
    print(f"seqviz: start-up done in {ready.seconds:.1f} s ({ready.modules} modules, torch on {ready.threads} "
          f"CPU thread{'s' if ready.threads > 1 else ''}); starting the server", flush=True)
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
