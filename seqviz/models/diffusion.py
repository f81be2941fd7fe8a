"""Masked diffusion (MDLM, Sahoo et al. 2024; LLaDA, Nie et al. 2025): a bidirectional encoder that learns
to undo masking at every noise level, so it can write a whole sentence from all-[MASK] in a few parallel
denoising steps.

Differs from autoencoding.py only in the corruption and the loss: instead of BERT's fixed 15%, each
sentence draws a noise level t ~ U(0, 1] and each word is masked with probability t; the loss on the
masked words is weighted by 1/t. That weighted loss bounds the negative log-likelihood of the sentence (the
MDLM/LLaDA bound), which makes the masked LM a generative model. The network is MaskedLM's, unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .autoencoding import IGNORE, MaskedLM
from .output import ModelOutput

MIN_NOISE = 1e-3  # t is drawn from [MIN_NOISE, 1]: 1/t stays finite


def diffusion_corruption(
    ids: torch.Tensor, mask_id: int, maskable: torch.Tensor, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Mask each maskable token with its sentence's probability t ~ U(MIN_NOISE, 1] (at least one per
    sentence). The batch's t are spread evenly over the interval from one random offset (MDLM's
    low-discrepancy sampler: the same expectation, less variance from the 1/t weights).
    ids, maskable (B, T) -> (corrupted ids (B, T), labels (B, T) with IGNORE where kept, t (B,))."""
    batch = ids.size(0)
    u = (torch.rand(1, generator=generator) + torch.arange(batch) / batch) % 1  # (B,) one per stratum
    t = MIN_NOISE + (1 - MIN_NOISE) * u[torch.randperm(batch, generator=generator)]  # (B,) in random rows
    chosen = (torch.rand(ids.shape, generator=generator) < t[:, None]) & maskable  # (B, T)
    none_chosen = ~chosen.any(dim=1)
    if none_chosen.any():  # a sentence with nothing masked teaches nothing: mask one word
        fallback = (torch.rand(ids.shape, generator=generator) * maskable).argmax(dim=1)  # (B,)
        chosen[none_chosen, fallback[none_chosen]] = True
    corrupted = torch.where(chosen, torch.full_like(ids, mask_id), ids)
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    return corrupted, labels, t


def diffusion_loss(logits: torch.Tensor, labels: torch.Tensor, t: torch.Tensor, maskable: torch.Tensor) -> torch.Tensor:
    """The MDLM/LLaDA bound: the cross-entropy of each masked word weighted by 1/t of its sentence, summed,
    over the number of words in the batch. logits (B, T, V), labels (B, T), t (B,), maskable (B, T)."""
    masked = labels != IGNORE  # (B, T)
    token_loss = F.cross_entropy(logits.transpose(1, 2), labels.clamp(min=0), reduction="none")  # (B, T)
    weighted = token_loss * masked / t[:, None]  # (B, T)
    return weighted.sum() / maskable.sum().clamp(min=1)


class MaskedDiffusionLM(MaskedLM):
    paradigm = "diffusion"

    def forward(
        self,
        ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        t: torch.Tensor | None = None,
        maskable: torch.Tensor | None = None,
        need_weights: bool = False,
    ) -> ModelOutput:
        """ids (B, T); for training, labels (B, T) as in masked_lm_corruption, t (B,) each sentence's noise
        level and maskable (B, T) its words."""
        out = super().forward(ids, need_weights=need_weights)
        if labels is None:
            return out
        return ModelOutput(out.logits, diffusion_loss(out.logits, labels, t, maskable), out.self_attention)
