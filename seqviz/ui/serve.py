"""Serve the app: `seqviz [--shared --models DIR] [streamlit options]` once installed, or
`python -m seqviz.ui.serve` (`make run`).

The same as `streamlit run app.py`, except that the start-up work (seqviz.ui.startup) is done before the
server accepts its first connection, so a class opening the link at once on a fresh server finds
everything imported. It runs from the app's own folder, so that folder's .streamlit/config.toml applies,
whatever folder it was started from. `--shared` and its options set seqviz.shared's environment variables
(before anything reads them) and go no further; every other option goes to `streamlit run`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import shared


def app_folder() -> Path:
    """The folder of app.py, pages/ and .streamlit/ (seqviz.shared.app_folder), or exit saying it is missing."""
    folder = shared.app_folder()
    if folder is None:
        raise SystemExit("seqviz: app.py and pages/ were not found beside the package; reinstall it (pip install .)")
    return folder


def shared_options(argv: list[str]) -> list[str]:
    """Take the shared-server options out of argv and set their environment variables; returns the rest,
    for streamlit."""
    parser = argparse.ArgumentParser(
        prog="seqviz",
        allow_abbrev=False,  # a streamlit option is never taken for an abbreviation of ours
        description="Serve seqviz. Any option not listed here goes to `streamlit run` (see streamlit run --help).",
    )
    parser.add_argument("--shared", action="store_true", help=f"shared-server mode, for a class ({shared.SHARED}=1)")
    parser.add_argument(
        "--models",
        type=Path,
        metavar="DIR",
        help=f"the Explorer's model folder ({shared.MODELS}; default: models/ beside app.py)",
    )
    parser.add_argument(
        "--training-slots",
        type=int,
        metavar="N",
        help=f"live trainings at once on the server ({shared.TRAINING_SLOTS}; default {shared.DEFAULT_TRAINING_SLOTS})",
    )
    parser.add_argument(
        "--trainings-per-session",
        type=int,
        metavar="N",
        help=f"live trainings one session may start per {shared.TRAINING_WINDOW_S / 60:.0f} minutes "
        f"({shared.TRAININGS_PER_SESSION}; default {shared.DEFAULT_TRAININGS_PER_SESSION})",
    )
    args, rest = parser.parse_known_args(argv)
    limits = (args.training_slots, args.trainings_per_session)
    if not args.shared and (args.models is not None or any(n is not None for n in limits)):
        parser.error("--models, --training-slots and --trainings-per-session apply in shared mode: add --shared")
    if any(n is not None and n < 1 for n in limits):
        parser.error("--training-slots and --trainings-per-session take a positive number")
    if args.shared:
        os.environ[shared.SHARED] = "1"
    if args.models is not None:
        os.environ[shared.MODELS] = str(args.models.expanduser().resolve())  # before the server moves folder
    for name, value in zip((shared.TRAINING_SLOTS, shared.TRAININGS_PER_SESSION), limits, strict=True):
        if value is not None:
            os.environ[name] = str(value)
    shared.current.cache_clear()
    return rest


def main(argv: list[str] | None = None) -> int:
    from streamlit.web import cli

    from ..explorer.loading import allowed_models
    from .startup import warm_up

    rest = shared_options(sys.argv[1:] if argv is None else argv)
    app = app_folder() / "app.py"
    os.chdir(app.parent)
    ready = warm_up()
    mode = shared.current()
    if mode.on:
        offered = allowed_models(mode.models)
        print(
            f"seqviz: shared-server mode: the Explorer offers {len(offered)} model(s) from {mode.models or 'no folder'}"
            f" ({', '.join(offered) or 'none'}); {mode.training_slots} live trainings at once, "
            f"{mode.trainings_per_session} per session per {mode.training_window_s / 60:.0f} minutes",
            flush=True,
        )
    print(
        f"seqviz: start-up done in {ready.seconds:.1f} s ({ready.modules} modules, torch on {ready.threads} "
        f"CPU thread{'s' if ready.threads > 1 else ''}); starting the server",
        flush=True,
    )
    sys.argv = ["streamlit", "run", str(app), *rest]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
