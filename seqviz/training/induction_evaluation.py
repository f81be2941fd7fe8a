"""The induction-head model's measures: what train_recipe records along training (the loss on the first and the
second occurrence of a repeated stretch every CURVE_EVERY steps, and a few snapshots of the weights: before,
during and after the phase change) and what is stored beside the weights at the end (the heads' scores, copying
with the best heads switched off, the few-shot curve)."""

from __future__ import annotations

import copy

import numpy as np
import torch

from ..data.induction import Repeated
from ..data.vocab import Vocab
from ..explain.induction import (
    STACK,
    best_head,
    few_shot_curve,
    head_scores,
    occurrence_measures,
    phase_change_step,
    steepest_fall_step,
)
from .loop import Progress

CURVE_EVERY = 50  # steps between two points of the training curve
CURVE_SEQUENCES = 200  # held-out sequences each point is measured on (the test split's first)
SNAPSHOT_EVERY = 50  # candidate snapshots kept in memory; a few are saved (chosen once the curve is known)
FEW_SHOT_PROMPTS, FEW_SHOT_SEED = 500, 44  # fresh prompts per k (their own seed, not the test split's)


def _rounded(values: dict) -> dict:
    return {k: round(v, 4) for k, v in values.items()}


class InductionTracker:
    """train_recipe's extra callback for the induction model: the fine curve and the candidate snapshots."""

    def __init__(self, model, vocab: Vocab, sequences: list[Repeated]):
        self.model, self.vocab, self.sequences = model, vocab, sequences[:CURVE_SEQUENCES]
        self.curve = {"steps": [], "loss_first": [], "loss_second": [], "accuracy_second": []}
        self.candidates = {0: copy.deepcopy(model.state_dict())}
        self._measure(0)

    def _measure(self, step: int) -> None:
        training = self.model.training
        self.model.eval()
        with torch.random.fork_rng(devices=[]):
            measured = occurrence_measures(self.model, self.vocab, self.sequences)
        self.model.train(training)
        self.curve["steps"].append(step)
        for key in ("loss_first", "loss_second", "accuracy_second"):
            self.curve[key].append(round(measured[key], 4))

    def __call__(self, progress: Progress) -> None:
        if progress.step % CURVE_EVERY == 0 or progress.step == progress.steps:
            self._measure(progress.step)
        if progress.step % SNAPSHOT_EVERY == 0:
            self.candidates[progress.step] = {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def chosen_steps(self) -> list[int]:
        """Snapshots to keep: the start, and where the second-occurrence loss has fallen 10%, 50% and 90% of the
        way from its start to its lowest (the end is the checkpoint itself, not kept twice)."""
        steps, second = self.curve["steps"], self.curve["loss_second"]
        high, low = second[0], min(second)
        chosen = {0}
        for share in (0.1, 0.5, 0.9):
            level = high - share * (high - low)
            reached = next((s for s, v in zip(steps, second, strict=True) if v <= level), steps[-1])
            chosen.add(max(c for c in self.candidates if c <= reached))  # the last candidate at or before it
        return sorted(chosen)

    def record(self) -> tuple[dict, dict]:
        """(metrics, snapshots): the curve, the phase change, the measures of each kept snapshot and of the end (the
        checkpoint); {step: weights}."""
        steps = self.chosen_steps()
        snapshots = {s: self.candidates[s] for s in steps}
        curve = self.curve
        measured = {}
        model = copy.deepcopy(self.model).eval()
        end = {curve["steps"][-1]: self.model.state_dict()}
        for step, weights in {**snapshots, **end}.items():  # as they will be loaded: through float16
            model.load_state_dict({k: v.half().float() for k, v in weights.items()})
            measured[str(step)] = snapshot_measures(model, self.vocab, self.sequences)
        metrics = {
            "training_curve": {**curve, "sequences": len(self.sequences), "every": CURVE_EVERY},
            "phase_change_step": phase_change_step(curve["steps"], curve["loss_first"], curve["loss_second"]),
            "steepest_fall_step": steepest_fall_step(curve["steps"], curve["loss_second"]),
            "snapshot_steps": steps,
            "snapshots": measured,
        }
        return metrics, snapshots


INDUCTION_HEAD_MIN = 0.3  # a last-layer head with this induction score or more counts as an induction head


def induction_heads(scores: np.ndarray) -> list[tuple[int, int]]:
    """The last layer's heads whose induction score is at least INDUCTION_HEAD_MIN (the best one at least)."""
    last = scores.shape[0] - 1
    heads = [(last, h) for h in range(scores.shape[1]) if scores[last, h] >= INDUCTION_HEAD_MIN]
    return heads or [best_head(scores, layer=last)]


def snapshot_measures(model, vocab: Vocab, sequences: list[Repeated]) -> dict:
    """What a snapshot is held to on re-measurement: its losses and the best induction score then."""
    scores = head_scores(model, vocab, sequences)
    return {
        **_rounded(occurrence_measures(model, vocab, sequences)),
        "best_induction_score": round(float(scores["induction"].max()), 4),
        "best_previous_token_score": round(float(scores["previous_token"][0].max()), 4),
    }


def evaluate_induction(model, vocab: Vocab, sequences: list[Repeated], few_shot: bool = True) -> dict:
    """The end-of-training measures on held-out sequences (few_shot: with the few-shot curves, FEW_SHOT_PROMPTS
    fresh prompts per k). Heads are 0-based (layer, head); the best induction head is searched in the last
    layer, the best previous-token head in the first (where each can work)."""
    model.eval()
    scores = head_scores(model, vocab, sequences)
    layers = scores["induction"].shape[0]
    induction = best_head(scores["induction"], layer=layers - 1)
    previous = best_head(scores["previous_token"], layer=0)
    every = induction_heads(scores["induction"])
    intact = occurrence_measures(model, vocab, sequences)
    without_induction = occurrence_measures(model, vocab, sequences, [(STACK, *induction)])
    without_every = occurrence_measures(model, vocab, sequences, [(STACK, *h) for h in every])
    without_previous = occurrence_measures(model, vocab, sequences, [(STACK, *previous)])
    curves = {}
    if few_shot:
        curves = {
            "few_shot": few_shot_curve(model, vocab, FEW_SHOT_PROMPTS, FEW_SHOT_SEED),
            "few_shot_without_induction_heads": few_shot_curve(
                model, vocab, FEW_SHOT_PROMPTS, FEW_SHOT_SEED, [(STACK, *h) for h in every]
            )["accuracy"],
        }
    return {
        **_rounded(intact),
        "sequences": len(sequences),
        "head_scores": {k: np.round(v.astype(float), 4).tolist() for k, v in scores.items()},
        "best_induction_head": list(induction),
        "best_induction_score": round(float(scores["induction"][induction]), 4),
        "best_previous_token_head": list(previous),
        "best_previous_token_score": round(float(scores["previous_token"][previous]), 4),
        "induction_heads": [list(h) for h in every],
        "ablation": {
            "intact": round(intact["accuracy_second"], 4),
            "first_occurrence": round(intact["accuracy_first"], 4),
            "without_induction_head": round(without_induction["accuracy_second"], 4),
            "without_induction_heads": round(without_every["accuracy_second"], 4),
            "without_previous_token_head": round(without_previous["accuracy_second"], 4),
            "loss_without_induction_head": round(without_induction["loss_second"], 4),
            "loss_without_induction_heads": round(without_every["loss_second"], 4),
            "loss_without_previous_token_head": round(without_previous["loss_second"], 4),
        },
        "copying_drop_without_induction_head": round(
            intact["accuracy_second"] - without_induction["accuracy_second"], 4
        ),
        "copying_drop_without_induction_heads": round(intact["accuracy_second"] - without_every["accuracy_second"], 4),
        **curves,
    }
