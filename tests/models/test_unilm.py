"""UniLM: one network, three masks. The views share the network's parameters (the same tensors), each
mode's attention obeys its mask, and the decoders that run on the views agree with each other."""

import pytest
import torch

from seqviz.data.toy import joint_vocab
from seqviz.decoding.autoregressive import generate
from seqviz.decoding.unilm import prefix_translate
from seqviz.models.autoencoding import IGNORE
from seqviz.models.inputs import encode_prefix_pairs, next_token_targets, pad_rows
from seqviz.models.layers import ModelConfig
from seqviz.models.masks import bidirectional_mask, causal_mask, joint_mask
from seqviz.models.unilm import MODES, N_SEGMENTS, UniLM, source_lengths_of, unilm_mask, unilm_segments
from seqviz.training.batches import unilm_batches

VOCAB = joint_vocab()


@pytest.fixture(scope="module")
def network():
    torch.manual_seed(0)
    config = ModelConfig(
        vocab_size=len(VOCAB),
        d_model=32,
        n_heads=2,
        n_layers=2,
        d_ff=64,
        max_len=40,
        dropout=0.0,
        n_segments=N_SEGMENTS,
    )
    return UniLM(config).eval()


def test_the_three_masks_are_the_named_masks():
    ids = torch.ones(1, 7, dtype=torch.long)
    source = torch.tensor([3])
    assert torch.equal(unilm_mask("bidirectional", ids, source, 0)[0], bidirectional_mask(7))
    assert torch.equal(unilm_mask("causal", ids, source, 0)[0], causal_mask(7))
    assert torch.equal(unilm_mask("seq2seq", ids, source, 0)[0], joint_mask(3, 4))
    with pytest.raises(ValueError):
        unilm_mask("sideways", ids, source, 0)


def test_padding_is_hidden_and_each_row_has_its_own_source():
    ids = torch.tensor([[5, 9, 6, 9, 0], [5, 9, 9, 6, 9]])
    mask = unilm_mask("seq2seq", ids, torch.tensor([3, 4]), pad_id=0)
    assert not mask[0, :, 4].any()  # the padding key
    assert torch.equal(mask[0, :4, :4], joint_mask(3, 1)) and torch.equal(mask[1], joint_mask(4, 1))
    assert unilm_segments("seq2seq", ids, torch.tensor([3, 4])).tolist() == [[2, 2, 2, 3, 3], [2, 2, 2, 2, 3]]
    assert source_lengths_of(torch.tensor([[1, 8, 6, 9], [1, 8, 8, 8]]), 6).tolist() == [3, 4]


def test_one_parameter_set_serves_every_mode(network):
    """The views are the network, seen three ways: the same Parameter objects, nothing of their own."""
    own = [id(p) for p in network.parameters()]
    for mode in MODES:
        view = network.view(mode)
        assert [id(p) for p in view.parameters()] == own
        assert view.network is network
    assert len({id(network.view(mode).network) for mode in MODES}) == 1


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_attends_only_where_its_mask_allows(network, mode):
    ids = torch.tensor(
        [[VOCAB.bos_id, *VOCAB.encode(["the", "cat", "sleeps"]), VOCAB.sep_id, *VOCAB.encode(["le", "chat"])]]
    )
    view = network.view(mode)
    with torch.no_grad():
        weights = view(ids, need_weights=True).self_attention
    mask = unilm_mask(mode, ids, view.source_lengths(ids), VOCAB.pad_id)[0]  # (T, T)
    for layer in weights:
        assert torch.all(layer[0][:, ~mask] == 0)  # blocked cells: exactly 0
        assert torch.allclose(layer[0].sum(-1), torch.ones(layer.shape[1:3]))


def test_changing_a_later_word_reaches_earlier_positions_only_under_the_bidirectional_mask(network):
    a = torch.tensor([[VOCAB.cls_id, *VOCAB.encode(["the", "cat", "sleeps"]), VOCAB.sep_id]])
    b = torch.tensor([[VOCAB.cls_id, *VOCAB.encode(["the", "cat", "sleep"]), VOCAB.sep_id]])
    with torch.no_grad():
        for mode, sees_right in (("bidirectional", True), ("causal", False)):
            view = network.view(mode)
            same = torch.allclose(view(a).logits[0, 2], view(b).logits[0, 2], atol=1e-5)
            assert same != sees_right, mode


@pytest.mark.parametrize("mode", ["causal", "seq2seq"])
def test_the_kv_cache_gives_the_same_tokens_as_recomputing(network, mode):
    prompt = [VOCAB.bos_id, *VOCAB.encode(["the", "dog"])] + ([VOCAB.sep_id] if mode == "seq2seq" else [])
    view = network.view(mode)
    cached = generate(view, torch.tensor(prompt), 8, use_cache=True)
    recomputed = generate(view, torch.tensor(prompt), 8, use_cache=False)
    assert torch.equal(cached, recomputed)


def test_batched_translation_equals_one_sentence_at_a_time(network):
    sources = [["the", "cat", "sleeps"], ["the", "small", "black", "dog", "runs"], ["a", "boy"]]
    view = network.view("seq2seq")
    src = pad_rows([VOCAB.encode(s) for s in sources], VOCAB.pad_id)
    batched = prefix_translate(view, src, VOCAB, max_new_tokens=6)
    for source, out in zip(sources, batched, strict=True):
        alone = prefix_translate(view, torch.tensor([VOCAB.encode(source)]), VOCAB, max_new_tokens=6)[0]
        assert out == alone
        assert len(out) <= 6 and all(t not in VOCAB.special_ids for t in out)


def test_prefix_lm_targets_score_only_the_translation():
    ids, lengths = encode_prefix_pairs([(("the", "cat"), ("le", "chat"))], VOCAB)
    assert ids[0].tolist() == [
        VOCAB.bos_id,
        *VOCAB.encode(["the", "cat"]),
        VOCAB.sep_id,
        *VOCAB.encode(["le", "chat"]),
        VOCAB.eos_id,
    ]
    targets = next_token_targets(ids, VOCAB.pad_id, first=lengths - 1)
    assert targets[0].tolist() == [IGNORE] * 3 + [*VOCAB.encode(["le", "chat"]), VOCAB.eos_id, IGNORE]


def test_training_batches_mix_the_modes_with_their_masks():
    pairs = [(("the", "cat", "sleeps"), ("le", "chat", "dort")), (("the", "dogs", "run"), ("les", "chiens", "courent"))]
    draw = unilm_batches(pairs, VOCAB, 4, {"bidirectional": 1, "causal": 1, "seq2seq": 1})
    generator = torch.Generator().manual_seed(0)
    seen = set()
    for _ in range(30):
        batch = draw(generator)
        segment = int(batch["segments"][0, 0])
        mode = {0: "bidirectional", 1: "causal", 2: "seq2seq"}[segment]
        seen.add(mode)
        scored = batch["targets"] != IGNORE
        assert scored.any(1).all()
        keys = (batch["ids"] != VOCAB.pad_id)[:, None, :].expand_as(batch["mask"])  # (B, T, T)
        if mode == "bidirectional":  # every real token in view of every position
            assert torch.equal(batch["mask"], keys)
        if mode == "causal":
            assert torch.equal(batch["mask"], keys & causal_mask(keys.size(1)))
        if mode == "seq2seq":  # only the French and <eos> are scored
            assert not scored[:, :4].any()
    assert seen == set(MODES)
