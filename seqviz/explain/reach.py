"""How far back a loss's gradient reaches: ‖∂ loss_t / ∂ state_(t−k)‖ for k = 0 .. t, the vanishing
gradient made visible. A recurrent model's state at step t−k is its hidden state after reading token t−k
(seqviz.models.recurrent's unroll: every layer's h; the LSTM's cell state c is not counted in, its gates
decide how much of c reaches h). A Transformer's is position t−k's vector entering the first block (token
plus position embedding): from there one attention step reaches position t, whatever k."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from ..models.autoregressive import CausalLM
from ..models.recurrent import RecurrentLM


def gradient_reach(model: RecurrentLM | CausalLM, ids: torch.Tensor, t: int) -> list[float]:
    """The norms for k = 0 .. t: how strongly the loss at step t (predicting ids[t + 1] from ids[..t])
    reaches the state k steps earlier. ids (T,); call with the model in eval mode."""
    if not 0 <= t < ids.numel() - 1:
        raise ValueError(f"step {t} has no next token to predict in {ids.numel()} tokens")
    with torch.enable_grad():  # the weights may be frozen (shared): the graph starts at the embedded input
        if isinstance(model, RecurrentLM):
            unrolled = model.unroll(ids[None], embedded=model.embed(ids[None]).detach().requires_grad_())
            loss = F.cross_entropy(unrolled.logits[0, t], ids[t + 1])
            layers = model.config.n_layers
            grads = torch.autograd.grad(loss, [state for step in unrolled.states[: t + 1] for state in step])
            per_step = [torch.cat([g.flatten() for g in grads[s * layers : (s + 1) * layers]]) for s in range(t + 1)]
            return [float(per_step[t - k].norm()) for k in range(t + 1)]
        first = model.decoder.embed_tokens(ids[None]).detach().requires_grad_()  # (1, T, D): enters block 1
        x, mask = first, model.mask(ids[None])
        for block in model.decoder.blocks:
            x = block(x, mask).hidden
        logits = model.head(model.decoder.norm(x))  # (1, T, V)
        (grad,) = torch.autograd.grad(F.cross_entropy(logits[0, t], ids[t + 1]), first)
    return [float(grad[0, t - k].norm()) for k in range(t + 1)]


def per_step_factor(norms: list[float]) -> float:
    """10^slope of log10 norm against k = 1 .. t (norms for k = 0 .. t, as gradient_reach gives them), fitted
    by least squares: the share of the gradient that survives each step back. k = 0 (the direct path) is left
    out. 1.0 is no decay (the Transformer's path); 0.5 halves per step."""
    if len(norms) < 4:
        raise ValueError(f"{len(norms)} norms leave too few steps back (at least 3) to fit a slope")
    k = torch.arange(1, len(norms), dtype=torch.float64)
    logs = torch.tensor(norms[1:], dtype=torch.float64).clamp_min(1e-30).log10()
    return 10 ** float(((k - k.mean()) * (logs - logs.mean())).sum() / ((k - k.mean()) ** 2).sum())


def reach_per_step(model: RecurrentLM | CausalLM, sequences: list[torch.Tensor]) -> float:
    """How much of the gradient survives each step back, as one number: the median over the sequences of
    per_step_factor, the loss taken at the step predicting each sequence's last token. sequences: token ids
    (T,), each with at least 3 steps back to fit."""
    factors = [per_step_factor(gradient_reach(model, ids, ids.numel() - 2)) for ids in sequences]
    return round(float(torch.tensor(factors).median()), 4)
