"""Induction heads, measured: the loss on a stretch's first and second occurrence, each head's score as a
previous-token head and as an induction head, in-context copying with heads switched off (the project's head
ablation), the phase change in a training curve, and few-shot accuracy against the number of examples.

A previous-token head (layer 1) attends from each position to the one before it; an induction head (layer 2)
attends from the current symbol to the symbol just after its earlier copy, and the model copies that one
(Elhage et al. 2021; Olsson et al. 2022). Pure: no streamlit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..data.induction import CHANCE, MAX_SHOTS, FewShot, Repeated, few_shot_prompts
from ..data.vocab import Vocab
from ..models.layers import ablated_heads
from .ablation import Head, switched_off

STACK = "decoder"  # a causal LM's heads are ("decoder", layer, head)


def _ids(vocab: Vocab, sequences: Sequence[Repeated]) -> torch.Tensor:
    return torch.tensor([s.ids(vocab) for s in sequences])  # (N, T): every sequence has the same length


def _positions(sequences: Sequence[Repeated], which: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(rows, positions) of every predictable symbol of one occurrence: position p, predicted at p − 1."""
    rows = [i for i, s in enumerate(sequences) for _ in s.targets(which)]
    positions = [p for s in sequences for p in s.targets(which)]
    return torch.tensor(rows), torch.tensor(positions)


@torch.no_grad()
def occurrence_measures(
    model, vocab: Vocab, sequences: Sequence[Repeated], heads: Iterable[Head] = ()
) -> dict[str, float]:
    """Mean loss (nats) and top-1 accuracy of the next symbol inside the first and the second occurrence of
    the stretch (its first symbol excluded: nothing predicts it), with `heads` switched off."""
    ids = _ids(vocab, sequences).to(next(model.parameters()).device)
    with ablated_heads(switched_off(model, heads)):
        log_probs = F.log_softmax(model(ids).logits.float(), dim=-1)  # (N, T, V)
    out = {}
    for which in ("first", "second"):
        rows, positions = _positions(sequences, which)
        predicted = log_probs[rows, positions - 1]  # (M, V)
        targets = ids[rows, positions]
        out[f"loss_{which}"] = float(-predicted.gather(1, targets[:, None]).mean())
        out[f"accuracy_{which}"] = float((predicted.argmax(-1) == targets).float().mean())
    return out


@torch.no_grad()
def head_scores(model, vocab: Vocab, sequences: Sequence[Repeated]) -> dict[str, np.ndarray]:
    """Per head (layers, heads): "induction", the mean attention from each symbol of the second occurrence
    (but its last) to the symbol just after its earlier copy; "previous_token", the mean attention from every
    position to the one before it."""
    ids = _ids(vocab, sequences).to(next(model.parameters()).device)
    attention = torch.stack(model(ids, need_weights=True).self_attention)  # (L, N, H, T, T)
    rows, queries, keys = [], [], []
    for i, s in enumerate(sequences):
        for j in range(s.length - 1):  # the query reads stretch[j]; the key after its first copy is stretch[j + 1]
            rows.append(i)
            queries.append(s.second + j + 1)
            keys.append(s.first + j + 2)
    induction = attention[:, rows, :, queries, keys].mean(0)  # advanced indices first: (M, L, H) -> (L, H)
    t = torch.arange(1, ids.size(1))
    previous = attention[:, :, :, t, t - 1].mean(dim=(1, 3))  # (L, H)
    return {"induction": induction.cpu().numpy(), "previous_token": previous.cpu().numpy()}


def best_head(scores: np.ndarray, layer: int | None = None) -> tuple[int, int]:
    """(layer, head), 0-based, of the highest score (in one layer when given)."""
    if layer is not None:
        return layer, int(np.argmax(scores[layer]))
    index = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(index[0]), int(index[1])


def sequence_measures(model, ids: torch.Tensor, heads: Iterable[Head] = ()) -> dict[str, np.ndarray]:
    """One sequence (1, T) with `heads` switched off: the probability the model gives the true next symbol at
    every position (T − 1,) (position t predicts t + 1), whether it ranks it first (T − 1,), and the attention
    (L, H, T, T)."""
    with torch.no_grad(), ablated_heads(switched_off(model, heads)):
        out = model(ids, need_weights=True)
    log_probs = F.log_softmax(out.logits[0].float(), -1)  # (T, V)
    true = log_probs[:-1].gather(1, ids[0, 1:, None])[:, 0]  # (T-1,)
    return {
        "probability": true.exp().cpu().numpy(),
        "correct": (log_probs[:-1].argmax(-1) == ids[0, 1:]).cpu().numpy(),
        "attention": torch.stack(out.self_attention)[:, 0].cpu().numpy(),
    }


def over_positions(measured: dict, positions: Sequence[int]) -> tuple[float, float]:
    """(mean loss in nats, accuracy) of sequence_measures' predictions of the symbols at `positions` (in ids);
    NaN for none."""
    if not positions:
        return float("nan"), float("nan")
    picked = [p - 1 for p in positions]
    return float(-np.log(measured["probability"][picked]).mean()), float(measured["correct"][picked].mean())


# ---- few-shot --------------------------------------------------------------------------------------------


@torch.no_grad()
def answer(model, vocab: Vocab, prompt: FewShot, heads: Iterable[Head] = ()) -> tuple[str, float, float]:
    """The model's next symbol after the prompt, its probability, and the probability of the right answer."""
    ids = torch.tensor([prompt.ids(vocab)], device=next(model.parameters()).device)
    with ablated_heads(switched_off(model, heads)):
        probabilities = model(ids).logits[0, -1].float().softmax(-1)
    best = int(probabilities.argmax())
    return vocab.token(best), float(probabilities[best]), float(probabilities[vocab.id(prompt.answer)])


@torch.no_grad()
def few_shot_accuracy(model, vocab: Vocab, prompts: Sequence[FewShot], heads: Iterable[Head] = ()) -> float:
    """Share of prompts (all with the same k) whose next symbol is the mapping's value for the query."""
    ids = torch.tensor([p.ids(vocab) for p in prompts], device=next(model.parameters()).device)
    with ablated_heads(switched_off(model, heads)):
        predicted = model(ids).logits[:, -1].argmax(-1)
    answers = torch.tensor([vocab.id(p.answer) for p in prompts], device=ids.device)
    return float((predicted == answers).float().mean())


def few_shot_curve(model, vocab: Vocab, n: int, seed: int, heads: Iterable[Head] = ()) -> dict:
    """Accuracy for k = 0 … MAX_SHOTS examples on n fresh prompts per k, with chance (1/60) and the accuracy of
    guessing one of the k values shown (1/k)."""
    heads = list(heads)
    return {
        "k": list(range(MAX_SHOTS + 1)),
        "accuracy": [
            round(few_shot_accuracy(model, vocab, few_shot_prompts(k, n, seed), heads), 4) for k in range(MAX_SHOTS + 1)
        ],
        "chance": round(CHANCE, 4),
        "guess_a_value_shown": [None] + [round(1 / k, 4) for k in range(1, MAX_SHOTS + 1)],
        "prompts_per_k": n,
    }


# ---- the phase change ----------------------------------------------------------------------------------


def phase_change_step(steps: Sequence[int], first: Sequence[float], second: Sequence[float]) -> int | None:
    """The first measured step at which the loss on second occurrences is below half the loss on first ones
    (None if it never is): where copying from the prompt has set in."""
    for step, a, b in zip(steps, first, second, strict=True):
        if b < 0.5 * a:
            return int(step)
    return None


def steepest_fall_step(steps: Sequence[int], second: Sequence[float]) -> int | None:
    """The step at the end of the steepest fall of the second-occurrence loss between two measurements."""
    if len(steps) < 2:
        return None
    falls = [(second[i - 1] - second[i]) / max(1, steps[i] - steps[i - 1]) for i in range(1, len(steps))]
    return int(steps[1 + int(np.argmax(falls))])
