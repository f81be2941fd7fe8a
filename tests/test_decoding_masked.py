import pytest
import torch

from seqviz.decoding.masked import fill_masks, mask_predictions
from seqviz.models.autoencoding import MaskedLM, describe_corruption, masked_lm_corruption
from seqviz.models.layers import ModelConfig
from seqviz.training.evaluation import right_context_items

MASK = 4


def _model():
    torch.manual_seed(0)
    return MaskedLM(ModelConfig(vocab_size=20, d_model=16, n_heads=2, n_layers=1, d_ff=32, max_len=12)).eval()


def test_both_strategies_fill_every_mask_and_nothing_else():
    ids = torch.tensor([[5, MASK, 7, MASK, MASK, 9], [5, 6, MASK, 8, 9, 10]])
    for strategy in ("parallel", "confident_first"):
        filled, order = fill_masks(_model(), ids, MASK, strategy)
        assert not (filled == MASK).any()
        assert torch.equal(filled[ids != MASK], ids[ids != MASK])
        assert sorted(order[0]) == [1, 3, 4] and order[1] == [2]
    with pytest.raises(ValueError):
        fill_masks(_model(), ids, MASK, "backwards")


def test_parallel_fill_is_the_argmax_of_one_pass():
    model, ids = _model(), torch.tensor([[5, MASK, 7, MASK]])
    filled, _ = fill_masks(model, ids, MASK, "parallel")
    with torch.no_grad():
        argmax = model(ids).logits.argmax(-1)
    assert filled[0, 1] == argmax[0, 1] and filled[0, 3] == argmax[0, 3]
    top = mask_predictions(model, ids[0], [1, 3], top_k=3)
    assert [p.position for p in top] == [1, 3] and top[0].top_ids[0] == int(argmax[0, 1])
    assert top[0].top_probs == sorted(top[0].top_probs, reverse=True)


def test_describe_corruption_names_each_action():
    g = torch.Generator().manual_seed(3)
    ids = torch.randint(8, 20, (1, 200), generator=g)
    corrupted, labels = masked_lm_corruption(ids, MASK, torch.ones_like(ids, dtype=torch.bool), torch.arange(8, 20), g)
    report = dict(describe_corruption(ids[0], corrupted[0], labels[0], MASK))
    assert set(report) == set(torch.nonzero(labels[0] != -100).flatten().tolist())
    for position, action in report.items():
        expected = {"mask": MASK, "keep": int(ids[0, position])}.get(action)
        if expected is not None:
            assert corrupted[0, position] == expected
        else:
            assert corrupted[0, position] not in (MASK, ids[0, position])


def test_right_context_items_find_the_deciding_cases():
    items = right_context_items(
        [("the", "cats", "sleep"), ("a", "cat", "sleeps"), ("the", "dog", "sees", "the", "cats")]
    )
    assert items == [
        (("the", "cats", "sleep"), 1, "cats", "cat"),
        (("the", "dog", "sees", "the", "cats"), 1, "dog", "dogs"),
    ]
