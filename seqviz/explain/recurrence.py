"""Inside a recurrent LM over one sentence: each step's hidden state (and the LSTM's cell state and gates),
and the units that carry the subject's number to its verb, found by flipping that number and seeing which
units change between the subject and the verb."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..models.recurrent import RecurrentLM

GATES = ("forget", "input")  # the LSTM's gates shown: how much of c it keeps, how much new it writes


@dataclass(frozen=True)
class Trace:
    """One layer over a sentence, one row per step (the state after reading that token): states (T, D);
    the LSTM's cells (T, D) and gates {"forget", "input"} (T, D) in [0, 1]; None / {} for the others."""

    states: np.ndarray
    cells: np.ndarray | None
    gates: dict[str, np.ndarray]


@torch.no_grad()
def trace(model: RecurrentLM, ids: torch.Tensor, layer: int) -> Trace:
    """ids (T,) through the model one step at a time (eval mode); layer 0 is the one reading the words."""
    unrolled = model.unroll(ids[None])
    states = torch.stack([step[layer][0] for step in unrolled.states]).float().cpu().numpy()  # (T, D)
    if not unrolled.cells:
        return Trace(states, None, {})
    cells = torch.stack([step[layer][0] for step in unrolled.cells]).float().cpu().numpy()  # (T, D)
    gates = {name: unrolled.gates[layer][name][0].float().cpu().numpy() for name in GATES}  # (T, D) each
    return Trace(states, cells, gates)


def number_units(states: np.ndarray, flipped_states: np.ndarray, start: int, stop: int, n: int) -> np.ndarray:
    """The n units whose state differs most (mean |difference| over steps start .. stop − 1) between a
    sentence and the same sentence with its subject's number flipped, the most changed first. Both (T, D)."""
    if not 0 <= start < stop <= len(states):
        raise ValueError(f"steps {start}..{stop} are not inside a sentence of {len(states)} steps")
    change = np.abs(states[start:stop] - flipped_states[start:stop]).mean(0)  # (D,)
    return np.argsort(-change, kind="stable")[:n]
