"""Serve the app: `seqviz [streamlit options]` once installed, or `python -m seqviz.ui.serve` (`make run`).

The same as `streamlit run app.py`, except that the start-up work (seqviz.ui.startup) is done before the
server accepts its first connection, so a class opening the link at once on a fresh server finds
everything imported. It runs from the app's own folder, so that folder's .streamlit/config.toml applies,
whatever folder it was started from.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_folder() -> Path:
    """The folder of app.py, pages/ and .streamlit/: the checkout this package lies in, or, for an installed
    seqviz, the environment's share/seqviz (pyproject.toml's data-files)."""
    for ancestor in Path(__file__).resolve().parents:
        for folder in (ancestor, ancestor / "share" / "seqviz"):
            if (folder / "app.py").is_file() and (folder / "pages").is_dir():
                return folder
    raise SystemExit("seqviz: app.py and pages/ were not found beside the package; reinstall it (pip install .)")


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from .startup import warm_up

    app = app_folder() / "app.py"
    os.chdir(app.parent)
    ready = warm_up()
    print(
        f"seqviz: start-up done in {ready.seconds:.1f} s ({ready.modules} modules, torch on {ready.threads} "
        f"CPU thread{'s' if ready.threads > 1 else ''}); starting the server",
        flush=True,
    )
    sys.argv = ["streamlit", "run", str(app), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
