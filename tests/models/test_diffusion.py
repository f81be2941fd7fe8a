"""Masked diffusion: the corruption and its 1/t-weighted loss, and denoising from all [MASK] — every
position revealed exactly once, given words never touched, blocks written left to right."""

import pytest
import torch
import torch.nn.functional as F

from seqviz.data.toy import en_vocab
from seqviz.decoding.diffusion import (
    STRATEGIES,
    denoising_grid,
    diffuse,
    masked_start,
    reveal_counts,
    schedule,
    steps_per_block,
)
from seqviz.models.autoencoding import IGNORE
from seqviz.models.diffusion import MIN_NOISE, MaskedDiffusionLM, diffusion_corruption, diffusion_loss
from seqviz.models.layers import ModelConfig
from seqviz.training.batches import diffusion_batches

VOCAB = en_vocab()


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=len(VOCAB), d_model=32, n_heads=2, n_layers=2, d_ff=64, max_len=24, dropout=0.0)
    return MaskedDiffusionLM(config).eval()


def test_the_loss_weights_each_masked_word_by_one_over_its_sentences_t():
    torch.manual_seed(1)
    logits = torch.randn(2, 4, 7)  # (B, T, V)
    labels = torch.tensor([[IGNORE, 3, IGNORE, 5], [2, IGNORE, IGNORE, IGNORE]])
    t = torch.tensor([0.5, 0.1])
    words = torch.tensor([[False, True, True, True], [True, True, True, False]])  # 6 words in the batch

    def ce(row, col):
        return F.cross_entropy(logits[row, col][None], labels[row, col][None])

    expected = (ce(0, 1) / 0.5 + ce(0, 3) / 0.5 + ce(1, 0) / 0.1) / 6
    assert torch.allclose(diffusion_loss(logits, labels, t, words), expected)
    # halving t doubles a masked word's weight; an unmasked word never counts
    assert torch.allclose(diffusion_loss(logits, labels, t / 2, words), 2 * expected)
    other = logits.clone()
    other[0, 2] += 100.0  # position (0, 2) is not masked
    assert torch.allclose(diffusion_loss(other, labels, t, words), expected)


def test_corruption_masks_each_sentence_at_its_own_level_and_only_words():
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(8, len(VOCAB), (64, 20))
    words = torch.ones_like(ids, dtype=torch.bool)
    words[:, 0] = words[:, -1] = False  # [CLS] and [SEP]
    corrupted, labels, t = diffusion_corruption(ids, VOCAB.mask_id, words, generator)
    masked = corrupted == VOCAB.mask_id
    assert torch.equal(masked, labels != IGNORE) and not masked[~words].any()
    assert torch.equal(labels[masked], ids[masked]) and torch.equal(corrupted[~masked], ids[~masked])
    assert masked.any(1).all() and ((t >= MIN_NOISE) & (t <= 1)).all()
    spread = t.sort().values
    assert (spread.diff() - spread.diff().mean()).abs().max() < 1e-4  # one t per stratum of [0, 1)
    share = masked.float().sum(1) / words.sum(1)
    assert torch.corrcoef(torch.stack([share, t]))[0, 1] > 0.8  # more noise, more masks


def test_batches_carry_what_the_loss_needs(model):
    batch = diffusion_batches([("the", "cat", "sleeps"), ("a", "dog", "runs", "slowly")], VOCAB, 8)(
        torch.Generator().manual_seed(0)
    )
    assert set(batch) == {"ids", "labels", "t", "maskable"}
    loss = model(**batch).loss
    assert torch.isfinite(loss) and loss > 0


def test_reveal_counts_split_the_masks_over_the_steps():
    assert reveal_counts(7, 3) == [3, 2, 2] and reveal_counts(5, 5) == [1] * 5 and reveal_counts(3, 10) == [1, 1, 1]
    assert reveal_counts(6, 1) == [6]
    plan = schedule(list(range(1, 10)), 3, "blocks", block=4)  # blocks 1–4, 5–8, 9: at least a step each
    assert [members for members, _ in plan] == [[1, 2, 3, 4], [5, 6, 7, 8], [9]]
    assert sum(count for _, count in plan) == 9
    assert steps_per_block([4, 4, 1], 9) == [4, 4, 1] and steps_per_block([4, 4, 1], 1) == [1, 1, 1]
    assert steps_per_block([4, 4, 4], 6) == [2, 2, 2] and sum(steps_per_block([4, 3, 2], 5)) == 5


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_with_one_word_per_step_every_position_is_revealed_exactly_once(model, strategy):
    n = 9
    result = diffuse(model, masked_start([n, n], VOCAB), VOCAB, n, strategy, generator=torch.Generator().manual_seed(0))
    assert result.steps == n
    for row in range(2):
        assert sorted(result.revealed_at[row, 1 : n + 1].tolist()) == list(range(1, n + 1))
    assert not (result.tokens == VOCAB.mask_id).any()
    words = result.tokens[:, 1 : n + 1]
    assert not torch.isin(words, torch.tensor(sorted(VOCAB.special_ids))).any()  # only words are written
    for step, ids in enumerate(result.history, start=1):  # each step reveals one more, never changes one
        assert int((ids == VOCAB.mask_id).sum()) == 2 * (n - step)
        settled = (ids != VOCAB.mask_id) & (result.revealed_at > 0)
        assert torch.equal(ids[settled], result.tokens[settled])


def test_one_step_writes_everything_at_once_and_blocks_go_left_to_right(model):
    one = diffuse(model, masked_start([8], VOCAB), VOCAB, 1, "confidence")
    assert one.steps == 1 and one.revealed_at[0, 1:9].eq(1).all()
    blocks = diffuse(model, masked_start([8], VOCAB), VOCAB, 8, "blocks", block=4)
    first, second = blocks.revealed_at[0, 1:5], blocks.revealed_at[0, 5:9]
    assert first.max() < second.min()


def test_infilled_words_never_change(model):
    given = {0: "the", 3: "sleeps", 5: "the"}
    ids = masked_start([7], VOCAB, [given])
    for strategy in STRATEGIES:
        for steps in (1, 3, 7):
            result = diffuse(model, ids, VOCAB, steps, strategy, generator=torch.Generator().manual_seed(steps))
            written = VOCAB.decode(result.tokens[0, 1:8].tolist())
            assert all(written[i] == w for i, w in given.items()), (strategy, steps, written)
            assert all(result.revealed_at[0, i + 1] == 0 for i in given)  # given, not revealed
            assert sorted(result.revealed_at[0, 1:8].tolist())[3:] != [0] * 4  # the 4 blanks were written


def test_an_unknown_strategy_is_refused(model):
    with pytest.raises(ValueError, match="strategy"):
        diffuse(model, masked_start([3], VOCAB), VOCAB, 3, "sideways")


def test_the_grid_shows_each_step_with_the_words_revealed_so_far(model):
    given = {1: "cat"}
    result = diffuse(model, masked_start([4], VOCAB, [given]), VOCAB, 3, "confidence")
    tokens, confidence, new = denoising_grid(result, VOCAB)
    assert len(tokens) == confidence.shape[0] == new.shape[0] == 3 and confidence.shape[1] == 4
    assert tokens[-1] == VOCAB.decode(result.tokens[0, 1:5].tolist()) and all(row[1] == "cat" for row in tokens)
    assert new.sum() == 3 and not new[:, 1].any()  # the given word is never revealed
    assert tokens[0].count("[MASK]") == 2 and "[MASK]" not in tokens[-1]
    assert ((confidence > 0) == (new.cumsum(0) > 0)).all()  # coloured from the step that revealed it on
