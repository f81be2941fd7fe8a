"""BART: each noise does what it reports, the decoder never reads a later target word, and the pre-training
batches are noised monolingual sentences in, the whole original sentence out."""

import random

import pytest
import torch

from seqviz.data.toy import joint_vocab
from seqviz.data.vocab import SPECIALS
from seqviz.models.bart import (
    BART,
    MASK_ID,
    MAX_SPAN,
    NOISES,
    SHUFFLE_DISTANCE,
    SPECIAL_IDS,
    delete_tokens,
    explains,
    infill_spans,
    mask_tokens,
    noise,
    shuffle_locally,
)
from seqviz.models.layers import ModelConfig
from seqviz.models.seq2seq import TransformerSeq2Seq
from seqviz.training.batches import denoising_batches, monolingual_sentences

VOCAB = joint_vocab()
PAIRS = [
    (("the", "black", "cat", "sleeps"), ("le", "chat", "noir", "dort")),
    (("the", "small", "dogs", "see", "a", "girl"), ("les", "petits", "chiens", "voient", "une", "fille")),
    (("this", "boy", "runs", "quickly"), ("ce", "garçon", "court", "vite")),
    (("the", "cats", "sleep"), ("les", "chats", "dorment")),
]


def sentences(n=300, seed=0):
    """Random word ids (no specials), 1–35 words: the noises must hold on any sentence, not only toy ones."""
    rng = random.Random(seed)
    return [[rng.randrange(len(SPECIALS), len(VOCAB)) for _ in range(rng.randint(1, 35))] for _ in range(n)]


def test_masking_keeps_the_length_and_masks_exactly_the_reported_words():
    rng = random.Random(1)
    for ids in sentences():
        out = mask_tokens(ids, rng)
        assert len(out.ids) == len(ids) and out.positions
        assert [i for i, t in enumerate(out.ids) if t == MASK_ID] == list(out.positions)
        assert all(out.ids[i] == ids[i] for i in range(len(ids)) if i not in out.positions)


def test_deletion_removes_exactly_the_reported_words_never_all_never_a_special():
    rng = random.Random(2)
    for ids in sentences():
        out = delete_tokens(ids, rng)
        assert out.ids == [t for i, t in enumerate(ids) if i not in out.positions]
        assert out.ids and (len(out.positions) >= 1 or len(ids) == 1)
    with_specials = [VOCAB.bos_id, *VOCAB.encode(["the", "cat", "sleeps"]), VOCAB.eos_id]
    for _ in range(50):
        out = delete_tokens(with_specials, rng)
        assert all(with_specials[i] not in SPECIAL_IDS for i in out.positions)


def test_infilling_replaces_each_span_of_zero_to_three_words_by_one_mask():
    rng = random.Random(3)
    lengths = set()
    for ids in sentences():
        out = infill_spans(ids, rng)
        assert out.spans and all(0 <= length <= MAX_SPAN for _, length in out.spans)
        lengths |= {length for _, length in out.spans}
        rebuilt, position = [], 0  # each span -> one [MASK], the rest untouched
        for start, length in out.spans:
            rebuilt += [*ids[position:start], MASK_ID]
            position = start + length
        assert out.ids == rebuilt + ids[position:]
        assert out.ids.count(MASK_ID) == len(out.spans)
        assert len(out.ids) == len(ids) - sum(length for _, length in out.spans) + len(out.spans)
    assert lengths == {0, 1, 2, 3}  # a 0-length span inserts a [MASK] where nothing is missing


def test_local_shuffle_moves_no_word_more_than_k():
    rng = random.Random(4)
    moved = 0
    for ids in sentences():
        out = shuffle_locally(ids, rng)
        assert sorted(out.order) == list(range(len(ids)))
        assert out.ids == [ids[i] for i in out.order]
        assert all(abs(source - target) <= SHUFFLE_DISTANCE for target, source in enumerate(out.order))
        moved = max(moved, max(abs(s - t) for t, s in enumerate(out.order)))
    assert moved == SHUFFLE_DISTANCE  # the bound is reached, not just respected


def test_noises_are_seeded_and_explain_their_outputs():
    for name in NOISES:
        for ids in sentences(50):
            first, again = noise(name, ids, random.Random(7)), noise(name, ids, random.Random(7))
            assert first == again
            assert explains(name, ids, first.ids)
    assert not explains("mask", ["the", "cat", "sleeps"], ["a", "[MASK]", "sleeps"], "[MASK]")
    assert not explains("delete", ["the", "cat", "sleeps"], ["cat", "the"], "[MASK]")
    assert explains("infill", ["the", "cat", "sleeps"], ["the", "[MASK]", "cat", "sleeps"], "[MASK]")
    assert not explains("shuffle", list("abcde"), list("ebcda"), "[MASK]")  # a and e moved 4 places
    with pytest.raises(ValueError):
        noise("rotate", [10, 11], random.Random(0))


def test_bart_is_the_translators_network_and_its_decoder_is_causal():
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=len(VOCAB), d_model=32, n_heads=2, n_layers=2, d_ff=64, max_len=20, dropout=0.0)
    model = BART(config).eval()
    assert isinstance(model, TransformerSeq2Seq)
    assert set(model.state_dict()) == set(TransformerSeq2Seq(config).state_dict())
    src = torch.tensor([VOCAB.encode(["the", "[MASK]", "cat", "sleeps"])])
    a = torch.tensor([[VOCAB.bos_id, *VOCAB.encode(["the", "black", "cat", "sleeps"])]])
    b = torch.tensor([[VOCAB.bos_id, *VOCAB.encode(["the", "black", "dogs", "see", "a", "girl"])]])
    with torch.no_grad():
        la, lb = model(src, a).logits[0], model(src, b).logits[0]
    assert torch.allclose(la[:3], lb[:3], atol=1e-5)  # <bos> the black: the same prefix, whatever follows
    assert not torch.allclose(la[3], lb[3], atol=1e-4)  # after "cat" / "dogs"


def test_denoising_batches_read_noised_monolingual_sentences_and_write_the_whole_original():
    mono = monolingual_sentences(PAIRS)
    assert mono == [PAIRS[0][0], PAIRS[1][1], PAIRS[2][0], PAIRS[3][1]]  # never a sentence beside its translation
    batch = denoising_batches(PAIRS, VOCAB, 16)(torch.Generator().manual_seed(0))
    allowed = (SPECIAL_IDS - {MASK_ID}) - {VOCAB.pad_id}
    assert not torch.isin(batch["src"], torch.tensor(sorted(allowed))).any()  # words and [MASK] only
    assert torch.equal(batch["labels"], batch["tgt"])
    for row in batch["tgt"].tolist():
        words = [t for t in row if t != VOCAB.pad_id]
        assert words[0] == VOCAB.bos_id and words[-1] == VOCAB.eos_id
        assert tuple(VOCAB.decode(words[1:-1])) in mono
