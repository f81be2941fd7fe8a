"""XLNet's two streams: the query stream predicts a position without ever seeing its token, the content
stream carries that token to the positions after it in the order, and the masks are the named ones."""

import pytest
import torch

from seqviz.data.toy import en_vocab
from seqviz.decoding.xlnet import infill_order, write_in_order
from seqviz.models.autoencoding import IGNORE
from seqviz.models.layers import ModelConfig
from seqviz.models.masks import permutation_mask
from seqviz.models.xlnet import PermutationLM, predicted_positions, two_stream_masks
from seqviz.training.batches import permutation_batches

VOCAB = en_vocab()
ORDER = [0, 3, 1, 4, 2]  # <bos>, then "sleeps", "the", "on"... in this order


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=len(VOCAB), d_model=32, n_heads=2, n_layers=2, d_ff=64, max_len=16, dropout=0.0)
    return PermutationLM(config).eval()


def sentence(*words):
    return torch.tensor([VOCAB.bos_id, *VOCAB.encode(list(words))])


def test_the_masks_are_the_permutation_masks_and_padding_is_blocked():
    content, query = two_stream_masks([ORDER, [0, 2, 1]], 5)
    assert torch.equal(content[0], permutation_mask(ORDER, include_self=True))
    assert torch.equal(query[0], permutation_mask(ORDER, include_self=False))
    assert not content[1, :, 3:].any() and not query[1, 3:].any()
    assert not query[0].diagonal().any()  # no position reads its own token in the query stream


def test_the_query_stream_never_sees_the_token_it_predicts(model):
    a, b = sentence("the", "cat", "sleeps", "on"), sentence("the", "dog", "sleeps", "on")  # differ at position 2
    with torch.no_grad():
        out_a, out_b = model.in_order(a, ORDER), model.in_order(b, ORDER)
    assert torch.allclose(out_a.logits[0, 2], out_b.logits[0, 2], atol=1e-6)  # position 2's own prediction
    # positions before 2 in the order cannot see it either; the one after it reads it through the content stream
    for earlier in (3, 1, 4):
        assert torch.allclose(out_a.logits[0, earlier], out_b.logits[0, earlier], atol=1e-6)
    later_order = [0, 2, 3, 1, 4]
    with torch.no_grad():
        late_a, late_b = model.in_order(a, later_order), model.in_order(b, later_order)
    assert not torch.allclose(late_a.logits[0, 3], late_b.logits[0, 3], atol=1e-4)


def test_the_order_not_the_word_positions_decides_what_is_read(model):
    with torch.no_grad():
        out = model.in_order(sentence("the", "cat", "sleeps", "on"), ORDER, need_weights=True)
    for layer in out.query_attention:
        blocked = ~permutation_mask(ORDER, include_self=False)
        assert torch.all(layer[0][:, blocked] == 0)
    for layer in out.content_attention:
        assert torch.all(layer[0][:, ~permutation_mask(ORDER)] == 0)


def test_partial_prediction_scores_the_last_third_of_each_order():
    assert predicted_positions([0, 5, 2, 1, 4, 3, 6]) == [3, 6]  # 6 words -> the last 2
    assert predicted_positions([0, 1]) == [1]  # at least one
    batch = permutation_batches(
        [("the", "cat", "sleeps"), ("the", "small", "dogs", "run", "in", "the", "garden")], VOCAB, 4
    )(torch.Generator().manual_seed(0))
    scored = batch["targets"] != IGNORE
    real = batch["ids"] != VOCAB.pad_id
    assert not scored[:, 0].any() and not (scored & ~real).any()
    for row in range(4):
        words = int(real[row].sum()) - 1
        assert int(scored[row].sum()) == -(-words // 3)
        assert torch.equal(batch["targets"][row][scored[row]], batch["ids"][row][scored[row]])


def test_infill_orders_put_the_given_words_first():
    assert infill_order(6, fixed=[4, 1], order=[5, 2]) == [0, 1, 4, 5, 2, 3]


def test_writing_in_order_keeps_the_given_words_and_reports_what_each_step_saw(model):
    ids = sentence("the", "cat", "sleeps", "on")
    ids[2] = VOCAB.mask_id
    order = infill_order(len(ids), fixed=[1, 3, 4], order=[2])
    written, steps = write_in_order(model, ids, order, VOCAB, fixed=[1, 3, 4])
    assert written[[0, 1, 3, 4]].tolist() == ids[[0, 1, 3, 4]].tolist()
    assert [s.position for s in steps] == [2] and steps[0].sees == [0, 1, 3, 4]
    assert written[2] == steps[0].token_id and steps[0].token_id not in VOCAB.special_ids
    assert steps[0].attention.shape == (2, 2, 5)
