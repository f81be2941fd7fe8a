"""Time to the quality bar: how many seconds of training from scratch each built-in model needs before it
first passes its bar on held-out data (the issue's targets: every model within 60 s, translation models
within 180 s, on 2 CPU cores).

Method: the recipe's model (same seed and config) on the recipe's data, trained on a schedule fitted to the
target: the peak learning rate doubled, and the cosine decay spread over the steps that fit in 90% of the
target on this machine (the mean time of a few probe steps on a throwaway copy). The shipped checkpoints
were trained on the recipes' longer schedules (`python -m seqviz.train`); a budget of minutes needs one
that ends in time. Every `eval_every_s` seconds of training the loop pauses and measures a small held-out
subset; when the subset passes, the full test split confirms it, and only then is the bar reached. Data
preparation, model building and every evaluation stay outside the clock; the clock counts training
seconds only, so the reported time is an upper bound with a resolution of `eval_every_s`. Training stops
at the bar, at the end of the schedule (measured once more there), or at `budget_factor` × the target,
whichever comes first. train_loop reads every step's loss, so a GPU is synchronised at each step.
"""

from __future__ import annotations

import copy
import time

import torch

from ..training.bart_evaluation import reconstruction
from ..training.builtin import build_model, evaluate_recipe, prepare
from ..training.electra_evaluation import detection_measures
from ..training.evaluation import diffusion_grammatical, evaluate_fill, sample_grammatical, sample_lengths
from ..training.image_evaluation import SAMPLES_PER_DIGIT, evaluate_classifier, sampled_recognition
from ..training.loop import Progress, train_loop
from ..training.recipes import RECIPES

MODEL_TARGET_S, TRANSLATION_TARGET_S = 60, 180  # the targets, 2 CPU cores

# name -> (metric key, bar, target seconds). Bars of the first seven are the ones tests/test_builtin_models.py
# holds the shipped checkpoints to. The rest: the shipped metrics.json exact_match less 3 points, rounded
# down to the hundredth (nat_raw 0.887, cmlm_raw 0.939, cmlm_distilled 0.966, ctc_raw 0.842, ctc_distilled
# 0.914), which keeps distilled above raw as the lesson needs.
BARS: dict[str, tuple[str, float, int]] = {
    "toy_mlm": ("fill_grammatical_confident_first", 0.98, MODEL_TARGET_S),
    "toy_clm": ("samples_grammatical_t1", 0.95, MODEL_TARGET_S),
    # the speculative-decoding draft: a good-enough LM (shipped 0.865); its real test is how often toy_clm agrees
    "toy_clm_draft": ("samples_grammatical_t1", 0.85, MODEL_TARGET_S),
    # the recurrent LMs (issue 24) are held to the samples bar their tests hold them to
    **{name: ("samples_grammatical_t1", 0.90, MODEL_TARGET_S) for name in ("toy_rnn_lm", "toy_lstm_lm", "toy_gru_lm")},
    "toy_transformer_mt": ("exact_match", 0.95, TRANSLATION_TARGET_S),
    "toy_bahdanau_mt": ("exact_match", 0.90, TRANSLATION_TARGET_S),
    "digits_reverse": ("exact_match", 0.95, MODEL_TARGET_S),
    "digits_sort": ("exact_match", 0.90, MODEL_TARGET_S),
    "nat_distilled": ("exact_match", 0.89, TRANSLATION_TARGET_S),  # AR Transformer's 99% less 10 points
    "nat_raw": ("exact_match", 0.85, TRANSLATION_TARGET_S),
    "cmlm_raw": ("exact_match", 0.90, TRANSLATION_TARGET_S),
    "cmlm_distilled": ("exact_match", 0.93, TRANSLATION_TARGET_S),
    "ctc_raw": ("exact_match", 0.80, TRANSLATION_TARGET_S),
    "ctc_distilled": ("exact_match", 0.88, TRANSLATION_TARGET_S),
    # the GRU without attention is shipped to FAIL on long sentences (0.246 overall): a low bar, on purpose
    "toy_gru_mt": ("exact_match", 0.20, TRANSLATION_TARGET_S),
    # the fusions (issue 19's bars): UniLM's hardest mode is translation; XLNet's lesson is the noun-last order
    "toy_unilm": ("seq2seq.exact_match", 0.90, TRANSLATION_TARGET_S),
    "toy_xlnet": ("right_context_agreement_noun_last", 0.90, MODEL_TARGET_S),
    "toy_t5": ("fill.accuracy", 0.90, TRANSLATION_TARGET_S),  # span filling is the last task over its bar
    "toy_retro": ("accuracy_with_retrieval", 0.90, MODEL_TARGET_S),
    # masked diffusion (issue 20): sentences written one word per step, the surest first
    "toy_diffusion": ("grammatical.confidence.N", 0.90, MODEL_TARGET_S),
    # the image models (issue 20): the judge, PixelCNN's samples named as asked, and the rival's (whose real
    # failure, ink in many pieces, is measured beside it and has no bar)
    "glyph_classifier": ("accuracy", 0.98, MODEL_TARGET_S),
    "toy_pixelcnn": ("recognised", 0.80, MODEL_TARGET_S),
    "pixels_one_shot": ("recognised", 0.85, MODEL_TARGET_S),
    # the autoencoder family (issue 39): ELECTRA's detection, BART's masked sentences rewritten right up to what
    # the mask hid, the VAEs' prior samples (the collapsed one writes grammatical sentences too: it ignores z),
    # the plain autoencoder's exact reconstructions
    "toy_electra": ("detection_auc", 0.62, MODEL_TARGET_S),
    "toy_bart": ("mask.grammatical_and_explains_input", 0.40, MODEL_TARGET_S),
    "toy_vae": ("prior_grammatical", 0.95, MODEL_TARGET_S),
    "toy_vae_unannealed": ("prior_grammatical", 0.95, MODEL_TARGET_S),
    "toy_ae": ("exact_match", 0.75, MODEL_TARGET_S),
    # the forecasters (issue 40): 1 − MASE / seasonal-naive's MASE on the same held-out series (above 0 beats the
    # floor); shipped 0.387 (teacher forcing), 0.309 (own predictions), 0.401 (direct): bars ~0.06–0.1 below
    **{name: ("skill_vs_seasonal_naive", 0.30, MODEL_TARGET_S) for name in ("series_recursive", "series_direct")},
    "series_recursive_free": ("skill_vs_seasonal_naive", 0.25, MODEL_TARGET_S),
    # CTC on speech-like frames (issue 40): 1 − the greedy letter error rate on held-out utterances (shipped
    # 0.9926, after 15 minutes of training; the bar is the shipped value less a point, rounded down)
    "speech_ctc": ("letter_accuracy", 0.98, MODEL_TARGET_S),
    # recall over distance (issue 41): the value L tokens back recalled on held-out sequences. The plain RNN is held to
    # the short distances it learns (shipped 1.0 at L = 2; it is shipped to FAIL far back: under half from L = 8,
    # tests/test_recall_checkpoints.py); the gated models and the Transformers at the longest trained L (shipped 1.0)
    "recall_rnn": ("accuracy.2", 0.95, MODEL_TARGET_S),
    **{
        name: ("accuracy.64", 0.95, MODEL_TARGET_S)
        for name in (
            "recall_lstm",
            "recall_gru",
            "recall_transformer",
            "recall_transformer_rope",
            "recall_transformer_nope",
        )
    },
    # induction heads (issue 41): the next symbol right inside a stretch's second copy, copied from the first
    # (shipped 0.986 after 3,000 steps, the phase change at step 700; the first copy stays at chance, 1/60)
    "induction_lm": ("accuracy_second", 0.95, MODEL_TARGET_S),
}

SUBSET_ITEMS = 200  # held-out test items measured at each pause
SUBSET_PER_DIGIT = 10  # an image generator's samples of each digit at each pause (full: as in its metrics.json)
SUBSET_SAMPLES, FULL_SAMPLES = 100, 200  # the causal LM is measured by sampling instead (full: as in its metrics.json)


def held_out(recipe, model, vocab, splits: dict, metric: str, subset: bool) -> float:
    """The metric on the first SUBSET_ITEMS test items (subset) or on the whole test split."""
    test = splits["test"]
    if subset:  # a multi-task recipe (T5) holds its test items per task
        test = {k: v[:SUBSET_ITEMS] for k, v in test.items()} if isinstance(test, dict) else test[:SUBSET_ITEMS]
    if metric == "samples_grammatical_t1":
        return sample_grammatical(model, vocab, n=SUBSET_SAMPLES if subset else FULL_SAMPLES, temperature=1.0)
    if metric == "fill_grammatical_confident_first":
        return evaluate_fill(model, vocab, test)[metric]
    if metric == "recognised":  # an image generator: its seeded samples named by the classifier
        return sampled_recognition(model, per_digit=SUBSET_PER_DIGIT if subset else SAMPLES_PER_DIGIT)
    if metric == "accuracy":  # the glyph classifier; the test split is (images, labels)
        images, labels = splits["test"]
        n = SUBSET_ITEMS if subset else len(labels)
        return evaluate_classifier(model, {"test": (images[:n], labels[:n])})["accuracy"]
    if metric == "grammatical.confidence.N":  # only the diffusion curve's point that has the bar
        lengths = sample_lengths(splits["train"], SUBSET_SAMPLES if subset else FULL_SAMPLES, seed=0)
        return diffusion_grammatical(model, vocab, lengths, 0, "confidence")
    if metric == "detection_auc":  # ELECTRA: detection only (its metrics.json also fine-tunes and probes)
        return detection_measures(model, vocab, test)[metric]
    if metric == "mask.grammatical_and_explains_input":  # BART: one noise (its metrics.json also fine-tunes)
        return reconstruction(model, vocab, [en for en, _ in test], "mask", grammar=True)[metric.split(".")[1]]
    value = evaluate_recipe(recipe, model, vocab, {**splits, "test": test})
    for key in metric.split("."):  # a nested metric: "seq2seq.exact_match"
        value = value[key]
    return value


def measure_paused(recipe, model, vocab, splits: dict, metric: str, subset: bool) -> float:
    """held_out in eval mode without gradients, leaving the training run as it was (global RNG included)."""
    model.eval()
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            return held_out(recipe, model, vocab, splits, metric, subset)
    finally:
        model.train()


def steps_in(seconds: float, model, next_batch, device, probe_steps: int = 24) -> int:
    """How many training steps fit in `seconds` on this machine: the mean step time of probe_steps steps
    (the first four are warm-up) on a throwaway copy of the model, so the run itself starts untouched."""
    marks = []
    train_loop(
        copy.deepcopy(model), next_batch, probe_steps, device=device, callback=lambda p: marks.append(p.elapsed_s)
    )
    step_s = (marks[-1] - marks[3]) / (len(marks) - 4)
    return max(1, int(seconds / step_s))


SCHEDULE_SHARE, LR_SCALE = 0.9, 2.0  # the fitted schedule: its share of the target, its peak over the recipe's


def time_to_bar(
    name: str,
    device="cpu",
    budget_factor: float = 1.5,
    eval_every_s: float | None = None,
    schedule_share: float = SCHEDULE_SHARE,
    lr_scale: float = LR_SCALE,
) -> dict:
    """Train one built-in model from scratch until it passes its bar; see the module docstring. value: the
    full test split's when reached, else the best measured (below the bar either way); steps: steps trained."""
    recipe = RECIPES[name]
    metric, bar, target_s = BARS[name]
    every = eval_every_s or target_s / 20
    cap_s = budget_factor * target_s
    vocab, splits, next_batch = prepare(recipe)  # outside the clock (distilled: the teacher's translations, cached)
    model = build_model(recipe, vocab)  # the model train_recipe builds

    paused_s, next_pause_s = 0.0, every
    best, reached_s, steps = None, None, 0

    def pause_to_measure(progress: Progress) -> bool:
        """Called after every step; True to go on training, False to stop."""
        nonlocal paused_s, next_pause_s, best, reached_s, steps
        entered = time.perf_counter()
        trained_s = progress.elapsed_s - paused_s  # elapsed_s includes the time of earlier pauses
        steps = progress.step
        out_of_budget = trained_s >= cap_s or progress.step == progress.steps
        if trained_s < next_pause_s and not out_of_budget:
            return True
        next_pause_s = (trained_s // every + 1) * every
        value = measure_paused(recipe, model, vocab, splits, metric, subset=True)
        if value >= bar:  # confirm on the whole test split before believing it
            value = measure_paused(recipe, model, vocab, splits, metric, subset=False)
            if value >= bar:
                reached_s = trained_s
        best = value if best is None or reached_s is not None else max(best, value)  # reached: the full value
        paused_s += time.perf_counter() - entered
        return reached_s is None and not out_of_budget

    schedule_steps = steps_in(schedule_share * target_s, model, next_batch, device)  # outside the clock too
    train_loop(model, next_batch, schedule_steps, lr_scale * recipe.lr, recipe.seed, device, pause_to_measure)
    return {
        "seconds": None if reached_s is None else round(reached_s, 2),
        "target_s": target_s,
        "reached": reached_s is not None,
        "metric": metric,
        "bar": bar,
        "value": None if best is None else round(best, 4),
        "steps": steps,
        "schedule_steps": schedule_steps,
        "peak_lr": lr_scale * recipe.lr,
        "eval_every_s": round(every, 2),
    }


def train_to_bar(device="cpu", names=None, budget_factor: float = 1.5, eval_every_s: float | None = None) -> dict:
    """{name: time_to_bar(name, ...)} for the named built-in models (default: all of them). The caller sets
    the thread count (torch.set_num_threads); it is used as is."""
    return {name: time_to_bar(name, device, budget_factor, eval_every_s) for name in (names or RECIPES)}
