"""Time-to-bar benchmark on digits_sort with budgets of a second or two: the result's shape, the cap, that
evaluation stays off the clock, and that a subset pass counts only once the full test split confirms it.
Speeds are not asserted: machines here are shared, and under load one step can take seconds."""

import time

import torch

from seqviz.bench import training
from seqviz.training.recipes import RECIPES

TRANSLATORS = {"toy_transformer_mt", "toy_gru_mt", "toy_bahdanau_mt"}
KEYS = {
    "seconds",
    "target_s",
    "reached",
    "metric",
    "bar",
    "value",
    "steps",
    "schedule_steps",
    "peak_lr",
    "eval_every_s",
}


def test_every_built_in_model_has_a_bar_and_the_issue_target():
    assert set(training.BARS) == set(RECIPES)
    for name, (metric, bar, target_s) in training.BARS.items():
        translation = name in TRANSLATORS or RECIPES[name].task in ("nat", "cmlm", "ctc", "unilm", "t5")
        assert target_s == (180 if translation else 60), name
        known = ("exact_match", "fill_grammatical_confident_first", "samples_grammatical_t1")
        fusions = (
            "seq2seq.exact_match",
            "right_context_agreement_noun_last",
            "fill.accuracy",
            "grammatical.confidence.N",
            "accuracy_with_retrieval",
        )
        images = ("accuracy", "recognised")
        autoencoders = ("detection_auc", "mask.grammatical_and_explains_input", "prior_grammatical")
        signals = ("letter_accuracy",)  # speech_ctc: 1 − greedy letter error rate
        signals += ("skill_vs_seasonal_naive",)  # the forecasters: 1 − MASE / seasonal-naive's MASE
        signals += ("accuracy.2", "accuracy.64")  # recall over distance: the value L tokens back recalled
        signals += ("accuracy_second",)  # induction_lm: the next symbol right inside a repeated stretch's 2nd copy
        assert 0 < bar <= 1 and metric in known + fusions + images + autoencoders + signals, name


def test_tiny_budget_stops_at_the_cap_with_real_evaluation(monkeypatch):
    monkeypatch.setitem(training.BARS, "digits_sort", ("exact_match", 0.9, 1))
    paused = []
    measure = training.measure_paused

    def timed_measure(*args, **kwargs):
        start = time.perf_counter()
        try:
            return measure(*args, **kwargs)
        finally:
            paused.append(time.perf_counter() - start)

    monkeypatch.setattr(training, "measure_paused", timed_measure)
    start = time.perf_counter()
    result = training.train_to_bar(names=["digits_sort"], budget_factor=1.5, eval_every_s=0.5)["digits_sort"]
    wall_s = time.perf_counter() - start
    assert set(result) == KEYS
    assert result["target_s"] == 1 and result["metric"] == "exact_match" and result["bar"] == 0.9
    assert result["eval_every_s"] == 0.5 and 0 < result["steps"] < RECIPES["digits_sort"].steps
    # the schedule is fitted to 90% of the 1 s target; the run ends with it, or at the cap
    assert 0 < result["schedule_steps"] < RECIPES["digits_sort"].steps and result["steps"] <= result["schedule_steps"]
    assert result["peak_lr"] == training.LR_SCALE * RECIPES["digits_sort"].lr
    assert 0 <= result["value"] <= 1 and isinstance(result["reached"], bool)
    if result["reached"]:
        assert result["value"] >= 0.9 and result["seconds"] <= 1.5 + 5  # at most one step past the cap
    else:
        assert result["seconds"] is None and result["value"] < 0.9
    assert 1 <= len(paused) <= 5  # pauses at 0.5 s and 1.0 s, the last at the cap (1.5 s), maybe a confirmation
    # stopped near the cap, not after the recipe's 1500 steps (minutes); generous, as a shared machine is slow
    assert wall_s - sum(paused) < 60


def scripted_measure(monkeypatch, subset_values, full_values, sleep_s=0.0):
    """Replace the held-out measurement with scripted values (the last one repeats) and the data with a
    prepared copy; returns the call log, each call with the wall time at which it began."""
    prepared = training.prepare(RECIPES["digits_sort"])
    monkeypatch.setattr(training, "prepare", lambda recipe: prepared)
    calls = []

    def fake(recipe, model, vocab, splits, metric, subset):
        assert not model.training and not torch.is_grad_enabled()  # evaluated in eval mode, without gradients
        calls.append(("subset" if subset else "full", time.perf_counter()))
        time.sleep(sleep_s)
        values = subset_values if subset else full_values
        return values[min([kind for kind, _ in calls].count(calls[-1][0]) - 1, len(values) - 1)]

    monkeypatch.setattr(training, "held_out", fake)
    return calls


def test_evaluation_time_is_not_counted(monkeypatch):
    monkeypatch.setitem(training.BARS, "digits_sort", ("exact_match", 0.9, 20))
    calls = scripted_measure(monkeypatch, [0.1, 0.2, 0.3, 1.0], [1.0], sleep_s=0.5)
    start = time.perf_counter()
    result = training.time_to_bar("digits_sort", eval_every_s=0.25)
    assert [kind for kind, _ in calls] == ["subset"] * 4 + ["full"]
    assert result["reached"] and result["value"] == 1.0
    assert result["seconds"] >= 4 * 0.25  # pauses come at least eval_every_s of training apart
    # the bar passed at the 4th pause; before it began, 3 pauses of 0.5 s were spent not training
    assert result["seconds"] <= calls[3][1] - start - 3 * 0.5


def test_a_subset_pass_counts_only_when_the_full_split_confirms_it(monkeypatch):
    monkeypatch.setitem(training.BARS, "digits_sort", ("exact_match", 0.9, 20))
    calls = scripted_measure(monkeypatch, [0.95], [0.85, 0.92])
    result = training.time_to_bar("digits_sort", eval_every_s=0.2)
    assert [kind for kind, _ in calls] == ["subset", "full", "subset", "full"]
    assert result["reached"] and result["value"] == 0.92
    assert result["seconds"] >= 2 * 0.2  # the second pause, not the first
