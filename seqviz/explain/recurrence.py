"""Inside a recurrent LM over one sentence: each step's hidden state (and the LSTM's cell state and gates),
and the units that carry the subject's number to its verb, found by flipping that number and seeing which
units change between the subject and the verb."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..data.agreement import AgreementCase, flip_noun, sentence_cases
from ..data.vocab import Vocab
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


@dataclass(frozen=True)
class UnitsView:
    """What the inside of one recurrent layer shows over a sentence: the trace, the units drawn (those that
    carry the farthest subject's number to its verb, or the busiest when no verb agrees across words), and
    that agreement case (None without one)."""

    trace: Trace
    units: np.ndarray
    case: AgreementCase | None

    def panels(self, state: str, cell: str, gates: dict[str, str]) -> list[tuple[str, np.ndarray, bool]]:
        """(title, values (units, T), is_gate) per panel: h, and for the LSTM c (scaled to −1..1) and the
        gates named in `gates` {gate: title}."""
        shown = [(state, self.trace.states[:, self.units].T, False)]
        if self.trace.cells is not None:
            cells = self.trace.cells[:, self.units].T
            shown.append((cell, cells / max(1.0, float(abs(cells).max())), False))
            shown += [(title, self.trace.gates[gate][:, self.units].T, True) for gate, title in gates.items()]
        return shown

    def marked(self) -> list[int]:
        """The columns of the subject and its verb (<bos> is column 0: word j is column j + 1)."""
        return [self.case.subject + 1, self.case.verb + 1] if self.case else []


def units_view(model: RecurrentLM, vocab: Vocab, words: list[str], layer: int, n: int) -> UnitsView:
    """The layer's trace over <bos> + words and the n units to draw. With a long-range agreement case, the
    units whose memory (the LSTM's cell state, else h) changes most between subject and verb when the
    subject's number is flipped; without one, the units that move most over the sentence."""
    device = next(model.parameters()).device

    def ids(sentence: list[str]) -> torch.Tensor:
        return torch.tensor([vocab.bos_id, *vocab.encode(sentence)], device=device)

    seen = trace(model, ids(words), layer)
    case = max(sentence_cases(words), key=lambda c: c.distance, default=None)
    if case is None:
        memory = seen.states if seen.cells is None else seen.cells
        return UnitsView(seen, np.argsort(-memory.std(0), kind="stable")[:n], None)
    flipped = trace(model, ids(flip_noun(words, case.subject)), layer)
    memory, flipped_memory = (seen.states, flipped.states) if seen.cells is None else (seen.cells, flipped.cells)
    return UnitsView(seen, number_units(memory, flipped_memory, case.subject + 1, case.verb + 1, n), case)
