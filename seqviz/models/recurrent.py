"""Recurrent language models (a plain tanh RNN, an LSTM, a GRU): autoregressive too, but their memory of the
past is one state per layer, rewritten at every step, instead of attention over every earlier position.

They speak the same interface as CausalLM, so the same decoding loop drives them: forward(ids, labels,
need_weights, cache) -> ModelOutput, and new_cache() makes the per-call state (here the hidden state).
forward runs torch's fused recurrence; unroll() runs the same weights one step at a time, so that every
step's state is a node of the graph (the gradient reaching it from a later loss, the vanishing gradient)
and the LSTM's gates can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from .autoregressive import next_token_loss
from .layers import ModelConfig
from .output import ModelOutput


class RecurrentState:
    """A recurrent model's state for one generation call (its 'cache'): (layers, B, D) whatever the length;
    the LSTM's is the pair (h, c)."""

    def __init__(self):
        self.hidden: torch.Tensor | tuple[torch.Tensor, torch.Tensor] | None = None
        self.length = 0

    def _parts(self) -> tuple[torch.Tensor, ...]:
        return () if self.hidden is None else self.hidden if isinstance(self.hidden, tuple) else (self.hidden,)

    def shapes(self) -> list[tuple[int, ...]]:
        return [tuple(part[i].shape) for part in self._parts() for i in range(part.size(0))]

    def select(self, rows: torch.Tensor) -> None:
        if isinstance(self.hidden, tuple):
            self.hidden = tuple(part[:, rows] for part in self.hidden)
        elif self.hidden is not None:
            self.hidden = self.hidden[:, rows]


@dataclass
class Unrolled:
    """One step at a time: logits (B, T, V), and per step t the state after reading token t, one (B, D)
    tensor per layer (states[t][layer]; the LSTM's cell states apart in cells), graph nodes all; the LSTM's
    gates per layer as (B, T, D) arrays of "input", "forget", "output"."""

    logits: torch.Tensor
    states: list[list[torch.Tensor]]
    cells: list[list[torch.Tensor]] = field(default_factory=list)
    gates: list[dict[str, torch.Tensor]] = field(default_factory=list)


class RecurrentLM(nn.Module):
    """Embedding -> a stack of recurrent layers -> a linear head. Subclasses name the layer (CELL)."""

    paradigm = "autoregressive"
    CELL = ""  # "rnn", "lstm" or "gru": the attribute holding the layer, and so its weights' names
    LAYER: type[nn.RNNBase] = nn.RNN

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        layer = self.LAYER(
            config.d_model,
            config.d_model,
            num_layers=config.n_layers,
            batch_first=True,
            dropout=config.dropout if config.n_layers > 1 else 0.0,
        )
        setattr(self, self.CELL, layer)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    @property
    def recurrence(self) -> nn.RNNBase:
        return getattr(self, self.CELL)

    def new_cache(self) -> RecurrentState:
        return RecurrentState()

    def forward(
        self,
        ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: RecurrentState | None = None,
    ) -> ModelOutput:
        """ids (B, T); the loss is next-token prediction as in CausalLM. There is no attention to return."""
        hidden = cache.hidden if cache is not None else None
        states, hidden = self.recurrence(self.embed(ids), hidden)  # (B, T, D), (layers, B, D) or a pair
        if cache is not None:
            cache.hidden, cache.length = hidden, cache.length + ids.size(1)
        logits = self.head(states)  # (B, T, V)
        loss = next_token_loss(logits, labels, self.config.pad_id) if labels is not None else None
        return ModelOutput(logits, loss, None)

    def unroll(
        self,
        ids: torch.Tensor,
        nudge: dict[int, list[torch.Tensor]] | None = None,
        embedded: torch.Tensor | None = None,
    ) -> Unrolled:
        """The same computation as forward (without dropout: call in eval mode), one step at a time.
        nudge {t: one (B, D) tensor per layer} is added to the state after step t (a finite-difference
        check of the gradient moves it). embedded (B, T, D) replaces embed(ids): a leaf that requires grad
        makes every state a graph node even when the weights are frozen."""
        x = self.embed(ids) if embedded is None else embedded  # (B, T, D)
        batch, length, width = x.shape
        layers = self.config.n_layers
        h = [x.new_zeros(batch, width) for _ in range(layers)]
        c = [x.new_zeros(batch, width) for _ in range(layers)]
        states, cells, gates = [], [], [{"input": [], "forget": [], "output": []} for _ in range(layers)]
        tops = []
        for t in range(length):
            below = x[:, t]  # (B, D)
            for n in range(layers):
                h[n], c[n], opened = self._step(n, below, h[n], c[n])
                if nudge and t in nudge:
                    h[n] = h[n] + nudge[t][n]
                for name, value in opened.items():
                    gates[n][name].append(value)
                below = h[n]
            states.append(list(h))
            cells.append(list(c))
            tops.append(h[-1])
        logits = self.head(torch.stack(tops, 1))  # (B, T, V)
        stacked = [{k: torch.stack(v, 1) for k, v in g.items()} for g in gates] if self.CELL == "lstm" else []
        return Unrolled(logits, states, cells if self.CELL == "lstm" else [], stacked)

    def _step(self, n: int, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        """Layer n's update on one step: x, h, c (B, D) -> new h, new c, the gates it opened (torch's formulas)."""
        layer = self.recurrence
        w_ih, w_hh = getattr(layer, f"weight_ih_l{n}"), getattr(layer, f"weight_hh_l{n}")
        b_ih, b_hh = getattr(layer, f"bias_ih_l{n}"), getattr(layer, f"bias_hh_l{n}")
        from_x, from_h = F.linear(x, w_ih, b_ih), F.linear(h, w_hh, b_hh)  # (B, k·D) each
        if self.CELL == "rnn":
            return torch.tanh(from_x + from_h), c, {}
        if self.CELL == "gru":
            xr, xz, xn = from_x.chunk(3, -1)
            hr, hz, hn = from_h.chunk(3, -1)
            reset, keep = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
            candidate = torch.tanh(xn + reset * hn)
            return (1 - keep) * candidate + keep * h, c, {}
        i, f, g, o = (from_x + from_h).chunk(4, -1)  # the LSTM
        i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
        c = f * c + i * torch.tanh(g)
        return o * torch.tanh(c), c, {"input": i, "forget": f, "output": o}


class TanhRNNLM(RecurrentLM):
    """h_t = tanh(W_x x_t + W_h h_{t-1} + b): the plain RNN, whose gradient fades over the steps."""

    CELL, LAYER = "rnn", nn.RNN


class LSTMLM(RecurrentLM):
    """A cell state c_t changed only by gates (forget, input): a path along which the gradient can last."""

    CELL, LAYER = "lstm", nn.LSTM


class GRULM(RecurrentLM):
    """Update and reset gates on one state: the LSTM's path with fewer parts."""

    CELL, LAYER = "gru", nn.GRU
