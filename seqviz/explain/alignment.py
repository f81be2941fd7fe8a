"""How well an explanation finds the true alignment: each French word's strongest source position under
some map (a cross-attention head, a layer's mean over heads, saliency, rollout) against the grammar's
links (seqviz.data.alignment).

Two scores per map, over every French word of the pairs:
- accuracy: the share whose strongest source word is one it translates (a possible link);
- AER, the alignment error rate (Och & Ney 2003) of that hard alignment A against the sure links S and the
  possible ones P: 1 − (|A∩S| + |A∩P|) / (|A| + |S|). Lower is better; 0 is perfect.

Which decoder row stands for a French word: the step that *writes* it (its input is the word before), as
when the model decides; `row="reading"` takes the step whose input is the word itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..data.alignment import Alignment, align
from ..models.inputs import encode_pairs
from .attribution import rollout, saliency

ROWS = ("writing", "reading")


@dataclass(frozen=True)
class AlignmentScore:
    accuracy: float
    aer: float
    words: int  # French words scored


def score_alignment(strongest: Sequence[Sequence[int]], truths: Sequence[Alignment]) -> AlignmentScore:
    """strongest[p][t]: the source position the map picks for French word t of pair p."""
    hits = sure_hits = possible_hits = n_sure = words = 0
    for picks, truth in zip(strongest, truths, strict=True):
        if len(picks) != len(truth.sure):
            raise ValueError("one pick per French word")
        for t, source in enumerate(picks):
            hits += source in truth.possible[t]
            sure_hits += source in truth.sure[t]
            possible_hits += source in truth.possible[t]
            n_sure += len(truth.sure[t])
            words += 1
    aer = 1 - (sure_hits + possible_hits) / (words + n_sure)
    return AlignmentScore(round(hits / words, 4), round(aer, 4), words)


def truths_of(pairs) -> list[Alignment]:
    return [align(en, fr) for en, fr in pairs]


def decoder_rows(pairs, row: str = "writing") -> list[list[int]]:
    """For each pair, the decoder position (in <bos> y <eos>) that stands for each French word."""
    if row not in ROWS:
        raise ValueError(f"row must be one of {ROWS}, got {row!r}")
    shift = 0 if row == "writing" else 1
    return [[t + shift for t in range(len(fr))] for _, fr in pairs]


@torch.no_grad()
def cross_attention(model, vocab, pairs) -> tuple[torch.Tensor, ...]:
    """Every decoder layer's cross-attention of one teacher-forced pass over the pairs: per layer
    (B, H, T, S), T = <bos> y <eos>, S the source words (padded). A GRU with Bahdanau attention has one."""
    batch = encode_pairs(pairs, vocab)
    device = next(model.parameters()).device
    out = model(batch["src"].to(device), batch["tgt"].to(device), need_weights=True)
    return tuple(w.cpu() for w in out.cross_attention)


def score_maps(maps: torch.Tensor, pairs, row: str = "writing") -> AlignmentScore:
    """Score per-pair maps (B, T, S) — decoder position × source position, any explanation — by their
    strongest source position for each French word."""
    strongest = maps.argmax(-1)  # (B, T)
    picks = [strongest[b, r].tolist() for b, r in enumerate(decoder_rows(pairs, row))]
    return score_alignment(picks, truths_of(pairs))


def head_alignment(model, vocab, pairs, row: str = "writing") -> dict:
    """Accuracy and AER of every (layer, head)'s cross-attention and of each layer's mean over heads.
    -> {"accuracy": (L, H), "aer": (L, H), "mean_accuracy": (L,), "mean_aer": (L,), "best": (layer, head),
    "words": n}"""
    layers = cross_attention(model, vocab, pairs)
    n_layers, n_heads = len(layers), layers[0].size(1)
    accuracy, aer = np.zeros((n_layers, n_heads)), np.zeros((n_layers, n_heads))
    mean_accuracy, mean_aer = np.zeros(n_layers), np.zeros(n_layers)
    for layer, weights in enumerate(layers):
        for head in range(n_heads):
            s = score_maps(weights[:, head], pairs, row)
            accuracy[layer, head], aer[layer, head] = s.accuracy, s.aer
        s = score_maps(weights.mean(1), pairs, row)
        mean_accuracy[layer], mean_aer[layer] = s.accuracy, s.aer
    best = np.unravel_index(int(accuracy.argmax()), accuracy.shape)
    return {
        "accuracy": accuracy,
        "aer": aer,
        "mean_accuracy": mean_accuracy,
        "mean_aer": mean_aer,
        "best": (int(best[0]), int(best[1])),
        "words": s.words,
    }


ALIGNMENT_PAIRS = 300  # held-out pairs the recorded alignment scores use


def alignment_summary(model, vocab, pairs) -> dict | None:
    """What a translator's metrics record, on the same pairs: its best cross-attention head (1-based layer
    and head) and each layer's mean over heads, gradient × input saliency, and (a Transformer) attention
    rollout through the encoder of each layer's mean and of the best head; each as accuracy and AER. None
    for a model without cross-attention."""
    if not getattr(model, "attention", True):  # the GRU without attention
        return None
    scores = head_alignment(model, vocab, pairs)
    layer, head = scores["best"]
    salient = score_maps(saliency(model, vocab, pairs), pairs)
    summary = {
        "pairs": len(pairs),
        "words": scores["words"],
        "row": "writing",
        "best_head": [layer + 1, head + 1],
        "best_head_accuracy": float(scores["accuracy"][layer, head]),
        "best_head_aer": float(scores["aer"][layer, head]),
        "head_accuracy": scores["accuracy"].round(4).tolist(),  # layers × heads
        "head_aer": scores["aer"].round(4).tolist(),
        "layer_mean_accuracy": [float(a) for a in scores["mean_accuracy"]],
        "layer_mean_aer": [float(a) for a in scores["mean_aer"]],
        "saliency_accuracy": salient.accuracy,
        "saliency_aer": salient.aer,
    }
    if hasattr(model, "encoder"):  # self-attention to roll out
        mixed, layers = rollout(model, vocab, pairs), cross_attention(model, vocab, pairs)
        rolled = [score_maps(w.mean(1) @ mixed, pairs) for w in layers]
        best = score_maps(layers[layer][:, head] @ mixed, pairs)
        summary |= {
            "rollout_layer_mean_accuracy": [r.accuracy for r in rolled],
            "rollout_layer_mean_aer": [r.aer for r in rolled],
            "rollout_best_head_accuracy": best.accuracy,
            "rollout_best_head_aer": best.aer,
        }
    return summary


def example_maps(model, vocab, source: Sequence[str], target: Sequence[str], best_head: Sequence[int]) -> dict:
    """One pair under every method, each (French words, English words) from the writing rows: the true links
    (1 on a sure link), the best head's cross-attention (`best_head` 1-based, as the metrics record it),
    saliency as each row's share and the best head rolled out through the encoder."""
    pair = [(list(source), list(target))]
    layer, head = (i - 1 for i in best_head)
    rows = decoder_rows(pair)[0]
    truth = np.zeros((len(target), len(source)))
    for t, sources in enumerate(align(source, target).sure):
        truth[t, list(sources)] = 1.0
    attention = cross_attention(model, vocab, pair)[layer][:, head]  # (1, T, S)
    salient = saliency(model, vocab, pair)[0][rows]  # (French words, S)
    salient = salient / salient.sum(-1, keepdim=True).clamp(min=1e-12)  # each row's share
    rolled = (attention @ rollout(model, vocab, pair))[0][rows]
    return {"truth": truth, "head": attention[0][rows].numpy(), "saliency": salient.numpy(), "rollout": rolled.numpy()}
