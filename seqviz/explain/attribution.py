"""Two more ways to say which source word a target word came from, beside reading a cross-attention head:

- gradient × input (saliency): the log-probability of the reference word, differentiated with respect to
  each source token's embedding, times that embedding; a source position's score is the L1 norm of the
  product over the embedding's dimensions. It measures what a small change of the input would do to the
  output, through the whole network — not what the model "looked at".
- attention rollout (Abnar & Zuidema 2020): the encoder's self-attention, averaged over heads, mixed with
  the identity for the residual path (½A + ½I) and multiplied through the layers, says how much of each
  source token every encoder state holds; a decoder layer's cross-attention times that product follows the
  attention back to the source tokens instead of stopping at the encoder's last states.
"""

from __future__ import annotations

import threading

import torch

from ..models.inputs import encode_pairs


def _source_embedding(model) -> torch.nn.Module:
    """The module that embeds the source tokens: a Transformer's encoder embedding; the GRUs share one
    embedding between source and target, and embed the source first."""
    return model.encoder.embed if hasattr(model, "encoder") else model.embed


def saliency(model, vocab, pairs) -> torch.Tensor:
    """Gradient × input of each reference French word's log-probability (at the step that writes it) with
    respect to every source token's embedding. -> (B, T, S), T = decoder positions (<bos> y <eos>)."""
    batch = encode_pairs(pairs, vocab)
    device = next(model.parameters()).device
    src, tgt = batch["src"].to(device), batch["tgt"].to(device)
    captured: list[torch.Tensor] = []
    ours = threading.get_ident()

    def as_leaf(module, inputs, output):  # the first call embeds the source: make it the input we differentiate
        # The model is shared by every session: another session's forward pass meets this hook too, and
        # must neither be captured nor changed.
        if captured or threading.get_ident() != ours:
            return None
        captured.append(output.detach().requires_grad_(True))
        return captured[0]

    hook = _source_embedding(model).register_forward_hook(as_leaf)
    try:
        with torch.enable_grad():
            log_probs = model(src, tgt).logits.log_softmax(-1)  # (B, T, V)
            embeddings = captured[0]  # (B, S, D)
            written = log_probs[:, :-1].gather(-1, tgt[:, 1:, None])[..., 0]  # (B, T-1): log p(y_{t+1})
            written = written.masked_fill(tgt[:, 1:] == vocab.pad_id, 0.0)
            maps = torch.zeros(src.size(0), tgt.size(1), src.size(1), device=device)
            for t in range(written.size(1)):
                (grad,) = torch.autograd.grad(written[:, t].sum(), embeddings, retain_graph=True)
                maps[:, t] = (grad * embeddings).abs().sum(-1)  # (B, S)
    finally:
        hook.remove()
    return maps.detach().cpu()


@torch.no_grad()
def rollout(model, vocab, pairs) -> torch.Tensor:
    """How much of each source token every encoder output state holds, by attention rollout over the
    encoder's layers (mean over heads, ½A + ½I, rows renormalised, multiplied). -> (B, S, S)"""
    src = encode_pairs(pairs, vocab)["src"].to(next(model.parameters()).device)
    layers = model.encode(src, need_weights=True).self_attention  # per layer (B, H, S, S)
    eye = torch.eye(src.size(1), device=src.device)
    mixed = eye.expand(src.size(0), -1, -1)
    for weights in layers:
        step = 0.5 * weights.mean(1) + 0.5 * eye  # (B, S, S)
        step = step / step.sum(-1, keepdim=True)
        mixed = step @ mixed  # (B, S, S): output state i holds mixed[i, j] of token j
    return mixed.cpu()
