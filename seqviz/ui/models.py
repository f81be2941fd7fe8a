"""Models shared by every browser session: loaded once per (name, device) and never modified after."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from ..export.deck import Deck
from ..models.checkpoint import Checkpoint, builtin_names, load_builtin


# Shown once per server and model, before any session has chosen a language: both languages.
# Room for every shipped model on two devices: an evicted model would be loaded again, and a session could
# be holding the old copy.
@st.cache_resource(show_spinner="Loading model… 正在加载模型…", max_entries=2 * len(builtin_names()))
def builtin_model(name: str, device: str) -> Checkpoint:
    """Keyed by plain strings so the cache key is stable. Parameters are frozen: a session that wants to
    train must copy the model first."""
    ckpt = load_builtin(name, device)
    for parameter in ckpt.model.parameters():
        parameter.requires_grad_(False)
    return ckpt


def model_key(ckpt: Checkpoint) -> str:
    """A shared model's cache key for results computed from it: its recipe's name and its device."""
    return f"{ckpt.recipe.get('name', 'model')}:{next(ckpt.model.parameters()).device}"


def page_deck(ctx, words) -> Deck:
    """The slide pack's deck for a page: its language, words and device, the server's shared models."""
    return Deck(ctx.lang, list(words), ctx.device, loader=builtin_model)


def read_only(values: torch.Tensor | np.ndarray) -> np.ndarray:
    """A result shared between sessions as a numpy array on the CPU that refuses writes: a session that wants
    to change it must copy it."""
    array = (values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)).copy()
    array.flags.writeable = False
    return array
