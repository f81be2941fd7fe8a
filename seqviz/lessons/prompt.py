"""Learning from the prompt, three steps of the autoregressive lesson: how the loss on a repeated stretch falls
over training (the phase change), what switching off the induction heads does to copying, and what the model
answers to a few-shot prompt of a mapping it never saw. Every answer is read from induction_lm's recorded
training curve or computed from the model when the step is shown."""

from __future__ import annotations

import random

from ..data.induction import FewShot, few_shot_prompt, repeated_sequences
from ..explain.induction import STACK, answer, occurrence_measures
from ..export.deck import Deck
from ..export.prompt_slides import INDUCTION_MODEL, few_shot, head_label, induction_metrics, phase_change
from ..training.recipes import RECIPES
from .steps import Question, Step, ask, band_of

ABLATION_SEQUENCES = 100  # held-out sequences the ablation step measures live
ACCURACY_BANDS = ((0.0, 0.1), (0.1, 0.5), (0.5, 0.9), (0.9, 1.01))
FEW_SHOT_K, FEW_SHOT_SEED = 3, 4_300
SUDDEN_SHARE = 0.2  # the fall from 10% to 90% of the way takes at most this share of training: sudden
LEARNED_FALL = 1.0  # nats: less than this and the second copy never got easier


def fall_kind(steps, second, plateau: float, total_steps: int) -> str:
    """ "never", "sudden" or "gradual": how the second copy's loss fell over training, from the plateau (the first
    copy's loss at the end: random symbols, ln 60 or so) to its lowest."""
    high, low = plateau, min(second)
    if high - low < LEARNED_FALL:
        return "never"
    levels = [high - share * (high - low) for share in (0.1, 0.9)]
    at = [next(s for s, v in zip(steps, second, strict=True) if v <= level) for level in levels]
    return "sudden" if at[1] - at[0] <= SUDDEN_SHARE * total_steps else "gradual"


def how_the_loss_falls(deck: Deck) -> Question:
    metrics = induction_metrics(deck)
    curve = metrics["training_curve"]
    labels = {
        "gradual": deck.t("les_icl_fall_gradual"),
        "sudden": deck.t("les_icl_fall_sudden"),
        "never": deck.t("les_icl_fall_never"),
    }
    kind = fall_kind(curve["steps"], curve["loss_second"], curve["loss_first"][-1], curve["steps"][-1])
    return ask(
        deck.t("les_icl_fall_q", steps=curve["steps"][-1]),
        labels[kind],
        list(labels.values()),
        deck.t(
            "les_icl_fall_a",
            start=curve["loss_second"][0],
            end=curve["loss_second"][-1],
            first=curve["loss_first"][-1],
            step=metrics["phase_change_step"],
        ),
    )


def copying_without_induction_heads(deck: Deck) -> Question:
    ckpt = deck.model(INDUCTION_MODEL)
    data = RECIPES[INDUCTION_MODEL].data
    sequences = repeated_sequences(data["n_test"], data["seed"])[:ABLATION_SEQUENCES]
    heads = [tuple(h) for h in ckpt.metrics["induction_heads"]]
    intact = occurrence_measures(ckpt.model, ckpt.vocab, sequences)
    ablated = occurrence_measures(ckpt.model, ckpt.vocab, sequences, [(STACK, *h) for h in heads])
    labels = [deck.t("les_bert_band", low=low, high=min(high, 1.0)) for low, high in ACCURACY_BANDS]
    names = deck.t("list_separator").join(head_label(deck, h) for h in heads)
    return ask(
        deck.t("les_icl_ablate_q", accuracy=intact["accuracy_second"], heads=names, n=len(sequences)),
        band_of(ablated["accuracy_second"], ACCURACY_BANDS, labels),
        labels,
        deck.t(
            "les_icl_ablate_a",
            ablated=ablated["accuracy_second"],
            first=intact["accuracy_first"],
            intact=intact["accuracy_second"],
        ),
    )


def lesson_prompt() -> FewShot:
    return few_shot_prompt(random.Random(FEW_SHOT_SEED), FEW_SHOT_K)


def few_shot_answer(deck: Deck) -> Question:
    ckpt = deck.model(INDUCTION_MODEL)
    prompt = lesson_prompt()
    said, p, _ = answer(ckpt.model, ckpt.vocab, prompt)
    keys = [k for k, _ in prompt.pairs]
    values = [v for _, v in prompt.pairs]
    other_value = next(v for v in values if v != prompt.answer)
    other_key = next(k for k in keys if k != prompt.query)
    kind = "les_icl_fs_right" if said == prompt.answer else "les_icl_fs_other" if said in values else "les_icl_fs_wrong"
    shown = deck.t("list_separator").join(f"{a} → {b}" for a, b in prompt.pairs) + deck.t("list_separator")
    return ask(
        deck.t("les_icl_fs_q", prompt=f"{shown}{prompt.query} → ?"),
        said if said in (prompt.answer, other_value, other_key) else deck.t("les_icl_fs_elsewhere"),
        [prompt.answer, other_value, other_key, deck.t("les_icl_fs_elsewhere")],
        deck.t(kind, said=said, p=p, answer=prompt.answer, accuracy=induction_metrics(deck)["few_shot"]["accuracy"][3]),
    )


STEPS = (
    Step("les_icl_fall_title", "les_icl_fall_text", question=how_the_loss_falls, answer_figure=phase_change),
    Step("les_icl_ablate_title", "les_icl_ablate_text", question=copying_without_induction_heads),
    Step("les_icl_fs_title", "les_icl_fs_text", question=few_shot_answer, answer_figure=few_shot),
)
