"""Induction heads (issue 41, part B): the seeded data and prompt formats; no model reads a later token; the
shipped induction_lm and its training snapshots meet their bars when measured again; switching off the
induction head (or the previous-token head) stops the copying; the few-shot curve is what the model does."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch

from seqviz.data.induction import (
    CHANCE,
    LENGTH,
    MAX_SHOTS,
    STRETCH_MAX,
    STRETCH_MIN,
    SYMBOLS,
    few_shot_prompt,
    few_shot_prompts,
    induction_batches,
    induction_vocab,
    parse_symbols,
    repeat_targets,
    repeated_sequences,
)
from seqviz.explain.induction import (
    STACK,
    few_shot_accuracy,
    head_scores,
    occurrence_measures,
    phase_change_step,
    steepest_fall_step,
)
from seqviz.models.checkpoint import checkpoint_dir, load_builtin, load_snapshot, snapshot_steps
from seqviz.training.recipes import RECIPES

NAME = "induction_lm"
RE_MEASURED = 200  # held-out sequences measured again here (the recorded metrics use all 500)
# The bars, set from the shipped run (500 held-out sequences; 3,000 steps, the phase change at step 700): copying
# inside the second copy 98.6% (first copy 1.7%, chance 1/60); induction score of the best head (L2 H2) 0.93, of
# the second induction head (L2 H1) 0.64; previous-token score of L1 H2 0.86; few-shot 100% for k = 1–4, 94.6% at
# k = 8, 2.8–3.6% without the induction heads. Copying with heads switched off: 73.6% without L2 H2 alone (L2 H1
# still copies), 1.7% without both induction heads, 7.9% without the previous-token head.
BARS = {
    "accuracy_second": 0.95,
    "accuracy_first_max": 0.05,  # the first copy is random: about chance (1/60)
    "best_induction_score": 0.80,
    "best_previous_token_score": 0.75,
    "few_shot_from_one_example": 0.90,  # every k ≥ 1
}
NEAR_FIRST = 0.10  # ablated: second-copy accuracy within 10 points of the first copy's


# ---- data ---------------------------------------------------------------------------------------------------


def test_sequences_are_seeded_and_hold_one_stretch_written_twice():
    a, b = repeated_sequences(50, seed=3), repeated_sequences(50, seed=3)
    assert a == b and a != repeated_sequences(50, seed=4)
    assert len(SYMBOLS) == len(set(SYMBOLS)) == 60 and CHANCE == pytest.approx(1 / 60)
    for s in a:
        assert len(s.symbols) == LENGTH and STRETCH_MIN <= s.length <= STRETCH_MAX
        assert s.second >= s.first + s.length  # no overlap
        assert s.symbols[s.first : s.first + s.length] == s.symbols[s.second : s.second + s.length]
        ids = s.ids(induction_vocab())
        assert ids[0] == induction_vocab().bos_id and len(ids) == LENGTH + 1
        # the targets: the 2nd … last symbol of each copy, as positions in <bos> + symbols
        assert [ids[p] for p in s.targets("first")] == [ids[p] for p in s.targets("second")]
        assert s.targets("second")[0] == s.second + 2 and len(s.targets("second")) == s.length - 1
    places = {s.second - s.first for s in a}
    assert len(places) > 10  # the distance between the copies varies: no fixed offset could copy


def test_training_batches_are_new_draws_from_the_generator():
    batches = induction_batches(induction_vocab(), 4)
    one = batches(torch.Generator().manual_seed(0))
    again = batches(torch.Generator().manual_seed(0))
    assert torch.equal(one["ids"], again["ids"]) and torch.equal(one["ids"], one["labels"])
    assert one["ids"].shape == (4, LENGTH + 1)
    test = {s.symbols for s in repeated_sequences(RECIPES[NAME].data["n_test"], RECIPES[NAME].data["seed"])}
    vocab = induction_vocab()
    assert not {tuple(vocab.decode(row[1:].tolist())) for row in one["ids"]} & test


def test_few_shot_prompts_pair_keys_and_values_of_a_fresh_mapping():
    rng = random.Random(0)
    for k in range(MAX_SHOTS + 1):
        prompt = few_shot_prompt(rng, k)
        assert len(prompt.pairs) == k and len(prompt.tokens) == 2 * k + 1
        used = [s for pair in prompt.pairs for s in pair]
        assert len(set(used)) == len(used)  # distinct keys and values
        if k:
            assert (prompt.query, prompt.answer) in prompt.pairs
        else:
            assert prompt.query != prompt.answer
        assert prompt.tokens[-1] == prompt.query
    assert few_shot_prompts(3, 20, seed=1) == few_shot_prompts(3, 20, seed=1)
    with pytest.raises(ValueError):
        few_shot_prompt(rng, MAX_SHOTS + 1)


def test_typed_sequences_are_cleaned_and_repeats_found():
    kept, unknown, cut = parse_symbols("KA mi, zz so <b> ka mi")
    assert kept == ["ka", "mi", "so", "ka", "mi"] and unknown == ["zz", "<b>"] and not cut
    kept, _, cut = parse_symbols("ka " * 100)
    assert len(kept) == LENGTH and cut
    assert parse_symbols("") == ([], [], False)
    # "ka mi" comes again: the second "mi" (position 5 in <bos> ka mi so ka mi) could be copied
    assert repeat_targets(["ka", "mi", "so", "ka", "mi"]) == [5]
    assert repeat_targets(["ka", "mi", "so"]) == []


def test_the_phase_change_is_where_the_second_copy_falls_below_half_the_first():
    steps, first, second = [0, 50, 100, 150], [4.1, 4.1, 4.1, 4.1], [4.1, 3.9, 1.5, 0.4]
    assert phase_change_step(steps, first, second) == 100
    assert steepest_fall_step(steps, second) == 100
    assert phase_change_step(steps, first, first) is None


# ---- the shipped model ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ckpt():
    return load_builtin(NAME)


@pytest.fixture(scope="module")
def held_out():
    data = RECIPES[NAME].data
    return repeated_sequences(data["n_test"], data["seed"])[:RE_MEASURED]


def _heads(ckpt):
    return tuple(ckpt.metrics["best_previous_token_head"]), tuple(ckpt.metrics["best_induction_head"])


def test_no_position_reads_a_later_token(ckpt):
    """Changing the symbols after t changes nothing at positions ≤ t (the shipped model and a snapshot)."""
    vocab = ckpt.vocab
    ids = torch.tensor([repeated_sequences(1, seed=5)[0].ids(vocab)])
    for model in (ckpt.model, load_snapshot(checkpoint_dir(NAME), snapshot_steps(checkpoint_dir(NAME))[1])):
        with torch.no_grad():
            before = model(ids).logits
            for t in (0, 10, 40):
                changed = ids.clone()
                changed[0, t + 1 :] = torch.randint(len(vocab.specials), len(vocab), (ids.size(1) - t - 1,))
                after = model(changed).logits
                assert torch.allclose(before[0, : t + 1], after[0, : t + 1], atol=1e-5), t


def test_the_checkpoint_meets_its_bars_on_re_measurement(ckpt, held_out):
    measured = occurrence_measures(ckpt.model, ckpt.vocab, held_out)
    for values in (measured, ckpt.metrics):
        assert values["accuracy_second"] >= BARS["accuracy_second"]
        assert values["accuracy_first"] <= BARS["accuracy_first_max"]
        assert values["loss_first"] > math.log(60) - 0.1 and values["loss_second"] < 1.0
    assert abs(measured["accuracy_second"] - ckpt.metrics["accuracy_second"]) < 0.03
    scores = head_scores(ckpt.model, ckpt.vocab, held_out)
    previous, induction = _heads(ckpt)
    assert previous[0] == 0 and induction[0] == 1  # layer 1 looks back one, layer 2 copies
    assert scores["induction"][induction] >= BARS["best_induction_score"]
    assert scores["previous_token"][previous] >= BARS["best_previous_token_score"]
    assert ckpt.metrics["best_induction_score"] >= BARS["best_induction_score"]
    assert np.allclose(scores["induction"], ckpt.metrics["head_scores"]["induction"], atol=0.05)


def test_ablated_induction_heads_stop_the_copying(ckpt, held_out):
    """The induction heads (both of layer 2's: the model grew two) or the previous-token head switched off:
    second-copy accuracy falls to near the first copy's. The best induction head alone leaves the other copying
    part of the stretch, less than intact."""
    previous, induction = _heads(ckpt)
    every = [tuple(h) for h in ckpt.metrics["induction_heads"]]
    assert induction in every and len(every) == 2 and all(h[0] == 1 for h in every)
    intact = occurrence_measures(ckpt.model, ckpt.vocab, held_out)
    first = intact["accuracy_first"]
    for heads in (every, [previous]):
        ablated = occurrence_measures(ckpt.model, ckpt.vocab, held_out, [(STACK, *h) for h in heads])
        assert ablated["accuracy_second"] <= first + NEAR_FIRST, (heads, ablated)
        assert ablated["loss_second"] > math.log(60) - 0.5, (heads, ablated)  # as hard as random symbols
    alone = occurrence_measures(ckpt.model, ckpt.vocab, held_out, [(STACK, *induction)])
    assert alone["accuracy_second"] < intact["accuracy_second"] - 0.1
    recorded = ckpt.metrics["ablation"]
    assert recorded["without_induction_heads"] <= recorded["first_occurrence"] + NEAR_FIRST
    assert recorded["without_previous_token_head"] <= recorded["first_occurrence"] + NEAR_FIRST
    assert ckpt.metrics["copying_drop_without_induction_heads"] >= BARS["accuracy_second"] - NEAR_FIRST


def test_every_snapshot_meets_its_recorded_measures(ckpt, held_out):
    """The snapshots (half precision, a few) measured again: as recorded; before the phase change the second
    copy is as hard as the first, after it copying works."""
    directory = checkpoint_dir(NAME)
    steps = snapshot_steps(directory)
    end = ckpt.metrics["steps"]  # the checkpoint itself: measured with the snapshots, not saved twice
    assert steps == ckpt.metrics["snapshot_steps"] and 3 <= len(steps) <= 6 and steps[0] == 0 and end not in steps
    curve_sequences = repeated_sequences(RECIPES[NAME].data["n_test"], RECIPES[NAME].data["seed"])[:200]
    for step in steps:
        recorded = ckpt.metrics["snapshots"][str(step)]
        measured = occurrence_measures(load_snapshot(directory, step), ckpt.vocab, curve_sequences)
        assert abs(measured["loss_second"] - recorded["loss_second"]) < 0.02, step
        assert abs(measured["loss_first"] - recorded["loss_first"]) < 0.02, step
    assert ckpt.metrics["snapshots"]["0"]["loss_second"] > math.log(60) - 0.1
    assert ckpt.metrics["snapshots"][str(end)]["accuracy_second"] >= BARS["accuracy_second"]
    assert ckpt.metrics["snapshots"][str(steps[-1])]["accuracy_second"] > 0.5  # the last snapshot: after the change
    phase = ckpt.metrics["phase_change_step"]
    assert phase is not None and steps[0] < phase <= steps[-1]
    assert any(s < phase for s in steps) and any(s >= phase for s in steps)
    size = sum(p.stat().st_size for p in (directory / "snapshots").iterdir())
    assert size < 1_000_000  # a few small files


def test_few_shot_answers_come_from_the_induction_head(ckpt):
    curve = ckpt.metrics["few_shot"]
    assert curve["k"] == list(range(MAX_SHOTS + 1)) and curve["prompts_per_k"] == 500
    assert curve["accuracy"][0] <= 3 * CHANCE  # zero-shot: chance
    assert min(curve["accuracy"][1:]) >= BARS["few_shot_from_one_example"]
    assert max(ckpt.metrics["few_shot_without_induction_heads"][1:]) < 0.1
    prompts = few_shot_prompts(3, 100, seed=77)
    measured = few_shot_accuracy(ckpt.model, ckpt.vocab, prompts)
    assert abs(measured - curve["accuracy"][3]) < 0.08
    every = [(STACK, *h) for h in ckpt.metrics["induction_heads"]]
    assert few_shot_accuracy(ckpt.model, ckpt.vocab, prompts, every) < 0.1


def test_the_lesson_calls_a_fall_sudden_only_when_it_is():
    from seqviz.lessons.prompt import fall_kind

    assert fall_kind([0, 500, 600, 700, 3000], [4.1, 4.0, 1.0, 0.3, 0.2], 4.1, 3000) == "sudden"
    assert fall_kind([0, 1000, 2000, 3000], [4.1, 3.0, 2.0, 1.0], 4.1, 3000) == "gradual"
    assert fall_kind([0, 3000], [4.1, 4.0], 4.1, 3000) == "never"
