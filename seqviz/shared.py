"""Shared-server mode: one server for a whole class, set by environment variables (or `seqviz --shared`,
which sets them). Off, the app behaves as on a laptop; on, it changes three things:

- the Explorer offers only the models of one folder, by name (no server path typed, nothing downloaded);
- live training is bounded: a few at once on the server, a few per session in a window of time;
- torch uses one CPU thread per process (many sessions share the cores; replicas scale across them).

    SEQVIZ_SHARED=1                  shared mode on (1/true/yes/on; anything else: off)
    SEQVIZ_MODELS=DIR                the Explorer's model folder (default: `models` beside app.py)
    SEQVIZ_TRAINING_SLOTS=N          live trainings at once on the server (default: a quarter of the cores, 1 at least)
    SEQVIZ_TRAININGS_PER_SESSION=N   live trainings a session may start per 10 minutes (default 3)

A value that cannot be used (not a positive whole number) takes the default. Pure: no streamlit here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SHARED = "SEQVIZ_SHARED"
MODELS = "SEQVIZ_MODELS"
TRAINING_SLOTS = "SEQVIZ_TRAINING_SLOTS"
TRAININGS_PER_SESSION = "SEQVIZ_TRAININGS_PER_SESSION"

# a live training keeps a whole core busy for its 10 to 60 s: at most a quarter of the machine's cores
# train at once (one on a laptop or a 2-core server), so the rest of the class keeps its replies
DEFAULT_TRAINING_SLOTS = max(1, (os.cpu_count() or 1) // 4)
DEFAULT_TRAININGS_PER_SESSION = 3
TRAINING_WINDOW_S = 600.0  # the per-session limit counts the trainings started in the last 10 minutes
_ON = {"1", "true", "yes", "on"}


def app_folder() -> Path | None:
    """The folder of app.py and pages/: the checkout this package lies in, or, for an installed seqviz, the
    environment's share/seqviz (pyproject.toml's data-files); None when neither is found."""
    for ancestor in Path(__file__).resolve().parents:
        for folder in (ancestor, ancestor / "share" / "seqviz"):
            if (folder / "app.py").is_file() and (folder / "pages").is_dir():
                return folder
    return None


def _positive(text: str | None, default: int) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else default


@dataclass(frozen=True)
class SharedMode:
    """The server's mode. Off (the default), every limit is None: nothing is bounded, as on a laptop."""

    on: bool = False
    models: Path | None = None  # the Explorer's only source in shared mode; None: no models offered
    training_slots: int | None = None  # live trainings at once, server-wide
    trainings_per_session: int | None = None  # live trainings one session may start per window
    training_window_s: float = TRAINING_WINDOW_S

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SharedMode:
        env = os.environ if environ is None else environ
        if env.get(SHARED, "").strip().lower() not in _ON:
            return cls()
        named = env.get(MODELS, "").strip()
        beside_app = app_folder()
        models = Path(named).expanduser() if named else beside_app / "models" if beside_app else None
        return cls(
            on=True,
            models=models,
            training_slots=_positive(env.get(TRAINING_SLOTS), DEFAULT_TRAINING_SLOTS),
            trainings_per_session=_positive(env.get(TRAININGS_PER_SESSION), DEFAULT_TRAININGS_PER_SESSION),
        )


@functools.cache
def current() -> SharedMode:
    """This process's mode, read from the environment once (tests change it with current.cache_clear())."""
    return SharedMode.from_environment()
