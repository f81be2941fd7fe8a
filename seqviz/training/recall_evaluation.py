"""How the recall models are measured (data/recall.py's held-out sequences: new draws per distance L).

accuracy[L]: the share of held-out sequences whose answer, the model's most probable of the ten values at the
question, is the value L tokens back (chance 10%). probability[L]: the mean probability the model gives that
value (over its whole vocabulary). The gradient's reach (explain/reach.py, reused): on REACH_SEQUENCES
held-out sequences at L = REACH_DISTANCE, the norm of the answer's loss gradient at each step k back from the
question (the model's state at that step: a recurrent model's hidden state, a Transformer's input vector),
the median over the sequences per k, at initialisation and trained; k = L is the value's step.
"""

from __future__ import annotations

import statistics

import torch

from ..data.recall import CHANCE, TRAIN_DISTANCES, recall_answer, value_ids, with_answer
from ..data.vocab import Vocab
from ..explain.reach import gradient_reach

REACH_DISTANCE, REACH_SEQUENCES = 32, 20  # inside every model's training range
# the six recall models (page, lesson, slide), with the catalogue entry naming each: the three recurrent ones first
RECALL_MODELS = {
    "recall_rnn": "rec_model_rnn",
    "recall_lstm": "rec_model_lstm",
    "recall_gru": "rec_model_gru",
    "recall_transformer": "rec_model_learned",
    "recall_transformer_rope": "rec_model_rope",
    "recall_transformer_nope": "rec_model_nope",
}
RECALL_RECURRENT = ("recall_rnn", "recall_lstm", "recall_gru")
RECALL_TRANSFORMERS = ("recall_transformer", "recall_transformer_rope", "recall_transformer_nope")
BATCH = 250


@torch.no_grad()
def recall_answers(model, vocab: Vocab, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Each sequence's answer at its last position (the most probable value), the probability of that answer,
    and the probability of the right value (over the whole vocabulary). ids (B, T) -> three (B,)"""
    model.eval()
    device = next(model.parameters()).device
    values = torch.tensor(value_ids(vocab))
    answers, confidence, right = [], [], []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        probs = model(chunk.to(device)).logits[:, -1].float().softmax(-1).cpu()  # (B, V)
        of_values = probs[:, values]  # (B, 10)
        best = of_values.argmax(-1)
        answers.append(values[best])
        confidence.append(of_values.gather(1, best[:, None])[:, 0])
        right.append(probs.gather(1, recall_answer(chunk)[:, None])[:, 0])
    return torch.cat(answers), torch.cat(confidence), torch.cat(right)


def recall_accuracy(model, vocab: Vocab, test: dict[int, torch.Tensor]) -> dict:
    accuracy, probability = {}, {}
    for distance, ids in test.items():
        answers, _, right = recall_answers(model, vocab, ids)
        accuracy[str(distance)] = round(float((answers == recall_answer(ids)).float().mean()), 4)
        probability[str(distance)] = round(float(right.mean()), 4)
    return {"accuracy": accuracy, "probability": probability}


def reach_curve(model, sequences: torch.Tensor) -> list[float]:
    """The median over the sequences (B, T) of the answer loss's gradient norm at k = 0 .. T − 1 steps back
    from the question (k = L: the asked value)."""
    full, _ = with_answer(sequences)
    question = full.size(1) - 2
    curves = [gradient_reach(model, row, question) for row in full]
    return [float(f"{statistics.median(c[k] for c in curves):.4g}") for k in range(question + 1)]


def evaluate_recall(model, vocab: Vocab, test: dict[int, torch.Tensor], initial=None) -> dict:
    """The stored measures (metrics.json). initial: the untrained model, for the gradient's reach (None: the
    reach is left out, e.g. on a subset measured while training)."""
    metrics = {
        "heldout_per_distance": len(next(iter(test.values()))),
        "chance": CHANCE,
        "trained_distances": list(TRAIN_DISTANCES),
        **recall_accuracy(model, vocab, test),
    }
    if initial is not None and REACH_DISTANCE in test:
        sequences = test[REACH_DISTANCE][:REACH_SEQUENCES]
        metrics["gradient_reach"] = {
            "distance": REACH_DISTANCE,
            "sequences": len(sequences),
            "initial": reach_curve(initial.eval(), sequences),
            "trained": reach_curve(model.eval(), sequences),
        }
    return metrics


def forgets_at(accuracy: dict[str, float], below: float = 0.5) -> int | None:
    """The shortest distance L at which a model recalls fewer than `below` of the values (None: never)."""
    return next((int(L) for L, a in accuracy.items() if a < below), None)
