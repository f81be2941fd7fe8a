"""Replaced-token detection on one sentence, as ELECTRA trains, and where each objective's loss comes from:
the masked LM's only at the positions it masked, the discriminator's at every word."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from ..models.electra import word_positions


@dataclass(frozen=True)
class Detection:
    masked: tuple[int, ...]  # positions in ids the generator filled
    read: tuple[int, ...]  # (T,) the ids the discriminator read: the sentence with the generator's samples
    replaced: np.ndarray  # (T,) bool, the truth: the word read differs from the original
    p_replaced: np.ndarray  # (T,) the discriminator's probability that each position was replaced
    detection_loss: np.ndarray  # (T,) its binary cross-entropy at each word, nan elsewhere
    generator_p_original: np.ndarray  # (T,) the generator's probability of the original word, nan where unmasked


@torch.no_grad()
def detect_replacements(model, ids: torch.Tensor, masked: list[int], seed: int) -> Detection:
    """ELECTRA's training step on one sentence, without the update: the generator fills the masked positions
    of ids (T,) ([CLS] words [SEP]) with words it samples (the seed's draws), the discriminator reads the result."""
    device = next(model.parameters()).device
    is_masked = torch.zeros(1, ids.numel(), dtype=torch.bool)
    is_masked[0, list(masked)] = True
    uniforms = torch.rand(is_masked.shape, generator=torch.Generator().manual_seed(seed))
    out = model(ids[None].to(device), is_masked.to(device), uniforms.to(device))
    p = out.replaced_logits[0].sigmoid().cpu()  # (T,)
    truth = out.replaced[0].cpu()
    words = word_positions(ids)
    loss = F.binary_cross_entropy(p, truth.float(), reduction="none").masked_fill(~words, float("nan"))
    p_original = out.generator_logits[0].softmax(-1).cpu().gather(-1, ids[:, None].cpu())[:, 0]  # (T,)
    return Detection(
        tuple(sorted(masked)),
        tuple(out.corrupted[0].tolist()),
        truth.numpy(),
        p.numpy(),
        loss.numpy(),
        p_original.masked_fill(~is_masked[0], float("nan")).numpy(),
    )


@torch.no_grad()
def masked_lm_losses(model, ids: torch.Tensor, masked: list[int], mask_id: int) -> np.ndarray:
    """BERT's training signal on the same sentence: the cross-entropy of the original word at each masked
    position (all [MASK] here, as ELECTRA's generator sees them), nan elsewhere. ids (T,) -> (T,)"""
    device = next(model.parameters()).device
    corrupted = ids.clone()
    corrupted[list(masked)] = mask_id
    logits = model(corrupted[None].to(device)).logits[0].cpu()  # (T, V)
    loss = F.cross_entropy(logits, ids, reduction="none")
    keep = torch.zeros_like(loss, dtype=torch.bool)
    keep[list(masked)] = True
    return loss.masked_fill(~keep, float("nan")).numpy()
