"""How far back a loss's gradient reaches: ‖∂ loss_t / ∂ state_(t−k)‖ for k = 0 .. t, the vanishing
gradient made visible. A recurrent model's state at step t−k is its hidden state after reading token t−k
(seqviz.models.recurrent's unroll: every layer's h; the LSTM's cell state c is not counted in, its gates
decide how much of c reaches h). A Transformer's is position t−k's vector entering the first block (token
plus position embedding): from there one attention step reaches position t, whatever k."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from ..models.autoregressive import CausalLM
from ..models.layers import recorded_states
from ..models.recurrent import RecurrentLM


def gradient_reach(model: RecurrentLM | CausalLM, ids: torch.Tensor, t: int) -> list[float]:
    """The norms for k = 0 .. t: how strongly the loss at step t (predicting ids[t + 1] from ids[..t])
    reaches the state k steps earlier. ids (T,); call with the model in eval mode."""
    if not 0 <= t < ids.numel() - 1:
        raise ValueError(f"step {t} has no next token to predict in {ids.numel()} tokens")
    if isinstance(model, RecurrentLM):
        unrolled = model.unroll(ids[None])
        loss = F.cross_entropy(unrolled.logits[0, t], ids[t + 1])
        layers = model.config.n_layers
        grads = torch.autograd.grad(loss, [state for step in unrolled.states[: t + 1] for state in step])
        per_step = [torch.cat([g.flatten() for g in grads[s * layers : (s + 1) * layers]]) for s in range(t + 1)]
        return [float(per_step[t - k].norm()) for k in range(t + 1)]
    with recorded_states() as recorded:
        logits = model(ids[None]).logits  # (1, T, V)
    first = recorded[model.decoder][0]  # (1, T, D): what enters the first block
    (grad,) = torch.autograd.grad(F.cross_entropy(logits[0, t], ids[t + 1]), first)
    return [float(grad[0, t - k].norm()) for k in range(t + 1)]
