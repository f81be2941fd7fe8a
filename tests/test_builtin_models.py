"""The shipped checkpoints load, match their recipes, and still reach their recorded quality."""

import pytest

from seqviz.recipes import RECIPES, english_splits, evaluate_mlm, load_builtin


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_checkpoint_loads_and_matches_recipe(name):
    ckpt = load_builtin(name)
    assert ckpt.recipe["name"] == name
    assert ckpt.metrics["steps"] == ckpt.recipe["steps"]
    assert sum(p.numel() for p in ckpt.model.parameters()) == ckpt.metrics["parameters"]


def test_toy_mlm_quality_on_heldout_sentences():
    ckpt = load_builtin("toy_mlm")
    recipe = RECIPES["toy_mlm"]
    test_sentences = english_splits(**recipe.data)["test"][:300]
    metrics = evaluate_mlm(ckpt.model, ckpt.vocab, test_sentences)
    assert metrics["fill_grammatical"] >= 0.9
    # the float16 checkpoint reproduces the quality recorded at training time
    assert abs(metrics["fill_grammatical"] - ckpt.metrics["fill_grammatical"]) < 0.05
