"""A turn to train live, for every page that trains (character models, fine-tuning). On a shared server
(seqviz.shared) a turn needs one of the server's training slots and room in the session's own limit; on a
laptop every request gets one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from .. import shared
from ..training.slots import may_start, server_slots
from .page import PageContext

STARTS_KEY = "_training_starts"  # this session's training start times (time.monotonic())


@contextmanager
def training_turn(ctx: PageContext) -> Iterator[bool]:
    """Yields whether the session may train now; when not, the page has said why (the caller then keeps
    what the student already has). The slot is given back however the block ends, a rerun included."""
    mode = shared.current()
    if not mode.on:
        yield True
        return
    now = time.monotonic()
    verdict = may_start(st.session_state.get(STARTS_KEY, []), now, mode.trainings_per_session, mode.training_window_s)
    if not verdict.allowed:
        minutes = round(mode.training_window_s / 60)
        st.warning(
            ctx.t("live_training_wait", n=mode.trainings_per_session, minutes=minutes, seconds=verdict.wait_s),
            icon=":material/timer:",
        )
        yield False
        return
    slots = server_slots(mode.training_slots)
    with slots.slot() as granted:
        if not granted:
            st.warning(ctx.t("live_training_busy", n=slots.limit), icon=":material/groups:")
            yield False
            return
        st.session_state[STARTS_KEY] = [*verdict.recent, now]
        yield True
