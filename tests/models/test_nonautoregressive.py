"""Parallel decoders: a non-causal decoder, CTC collapse, mask-predict's schedule and its T = 1 case, and
distillation data that really comes from the autoregressive teacher."""

import pytest
import torch

from seqviz.decoding.parallel import (
    ctc_collapse,
    ctc_decode,
    length_distribution,
    mask_predict,
    masked_input,
    nat_decode,
)
from seqviz.models.layers import ModelConfig
from seqviz.models.nonautoregressive import UPSAMPLE, CTCTransformer, NARTransformer

PAD, MASK, BLANK = 0, 4, 7


def _nat():
    torch.manual_seed(0)
    return NARTransformer(
        ModelConfig(vocab_size=30, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=24, dropout=0.0)
    ).eval()


def _ctc():
    torch.manual_seed(0)
    return CTCTransformer(
        ModelConfig(vocab_size=30, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=24, dropout=0.0, blank_id=BLANK)
    ).eval()


SRC = torch.tensor([[10, 11, 12, 13, 14, 15]])


def test_the_decoder_is_not_causal():
    """Changing a later target position changes an earlier position's prediction (a causal decoder never would)."""
    model = _nat()
    memory = model.encode(SRC)
    tgt = torch.tensor([[MASK, MASK, MASK, MASK]])
    changed = tgt.clone()
    changed[0, 3] = 20
    first = model.decode(memory, tgt).logits[0, 0]
    assert not torch.allclose(first, model.decode(memory, changed).logits[0, 0])


@pytest.mark.parametrize(
    "path, expected",
    [
        ([5, 5, 5], [5]),  # repeats merge
        ([BLANK, 5, BLANK, BLANK, 6, BLANK], [5, 6]),  # blanks drop
        ([5, BLANK, 5], [5, 5]),  # a blank between two equal tokens keeps both
        ([5, 5, BLANK, 5, 6, 6, PAD, PAD], [5, 5, 6]),
        ([BLANK, BLANK], []),
    ],
)
def test_ctc_collapse(path, expected):
    assert ctc_collapse(path, BLANK, PAD) == expected


def test_mask_predict_with_one_iteration_is_one_nat_pass():
    model = _nat()
    result = mask_predict(model, SRC, MASK, iterations=1)
    probs, lengths = length_distribution(model, model.encode(SRC), SRC)
    length = int(lengths[0, probs[0].argmax()])
    one_pass = model.decode(model.encode(SRC), masked_input(torch.tensor([length]), MASK, PAD)).logits.argmax(-1)
    assert result.tokens == one_pass.tolist() and result.passes == 1
    assert nat_decode(model, SRC, MASK).tokens == result.tokens


def test_mask_predict_remasks_a_linearly_shrinking_number_of_tokens():
    model = _nat()
    result = mask_predict(model, SRC, MASK, iterations=4)
    length = len(result.tokens[0])
    remasked = [int(it.remasked[0].sum()) for it in result.iterations]
    assert remasked == [length] + [length * (4 - t) // 4 for t in (1, 2, 3)][: len(remasked) - 1]
    assert result.passes == len(result.iterations) <= 4


def test_length_distribution_is_a_distribution_over_possible_lengths():
    model = _nat()
    probs, lengths = length_distribution(model, model.encode(SRC), SRC)
    assert torch.isclose(probs.sum(), torch.tensor(1.0)) and (probs[lengths < 1] == 0).all()
    assert lengths[0].tolist() == list(range(6 - 8, 6 + 9))


def test_ctc_path_is_the_upsampled_source_length():
    result = ctc_decode(_ctc(), SRC)
    assert len(result.paths[0]) == UPSAMPLE * SRC.size(1) and result.passes == 1
    assert result.tokens[0] == ctc_collapse(result.paths[0], BLANK, PAD)


@pytest.mark.parametrize("objective", ["nat", "cmlm", "ctc"])
def test_training_loss_falls(objective):
    from seqviz.data.toy import joint_vocab
    from seqviz.training.batches import parallel_batches
    from seqviz.training.splits import translation_splits

    vocab = joint_vocab()
    config = ModelConfig(
        vocab_size=len(vocab),
        d_model=32,
        n_heads=4,
        n_layers=1,
        d_ff=64,
        max_len=72,
        dropout=0.0,
        blank_id=vocab.blank_id,
    )
    torch.manual_seed(0)
    model = (CTCTransformer if objective == "ctc" else NARTransformer)(config)
    pairs = translation_splits(200, 5, 5, seed=7)["train"]
    batches, generator = parallel_batches(pairs, vocab, 16, objective), torch.Generator().manual_seed(0)
    optimizer = torch.optim.Adam(model.parameters(), 3e-3)
    losses = []
    for _ in range(40):
        loss = model(**batches(generator)).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert sum(losses[-5:]) < 0.7 * sum(losses[:5])


def test_cmlm_batches_mask_some_and_score_only_those():
    from seqviz.data.toy import joint_vocab
    from seqviz.training.batches import parallel_batches
    from seqviz.training.splits import translation_splits

    vocab = joint_vocab()
    batch = parallel_batches(translation_splits(200, 5, 5, seed=7)["train"], vocab, 32, "cmlm")(
        torch.Generator().manual_seed(1)
    )
    masked = batch["tgt"] == vocab.mask_id
    assert masked.any(1).all()  # at least one per row
    assert ((batch["labels"] != vocab.pad_id) == masked).all()
    assert (masked.sum(1) < (batch["tgt"] != vocab.pad_id).sum(1)).any()  # not always all of them


def test_distilled_targets_are_the_teachers_translations():
    from seqviz.decoding.seq2seq import translate_all
    from seqviz.models.checkpoint import load_builtin
    from seqviz.training.splits import distilled_splits, translation_splits

    raw = translation_splits(60, 5, 5, seed=7)
    distilled = distilled_splits("toy_transformer_mt", 60, 5, 5, seed=7)
    teacher = load_builtin("toy_transformer_mt")
    sources = [s for s, _ in raw["train"]]
    assert [s for s, _ in distilled["train"]] == sources and distilled["test"] == raw["test"]
    assert [list(t) for _, t in distilled["train"]] == translate_all(teacher.model, teacher.vocab, sources)
    assert any(
        t1 != t2 for (_, t1), (_, t2) in zip(raw["train"], distilled["train"], strict=True)
    )  # synonyms made consistent


def test_mixed_translations_are_pieces_of_different_valid_ones():
    from seqviz.training.evaluation import is_mixed_translation, mixed_translations, repeated_token_rate

    source = "the big dog chases the red ball".split()
    assert not is_mixed_translation(source, "le grand chien chasse la balle rouge".split())  # valid
    assert is_mixed_translation(source, "le grand chien chasse le balle rouge".split())  # le ballon + la balle
    assert not is_mixed_translation(source, "le grand chien chasse le chat rouge".split())  # a plain error
    assert not is_mixed_translation("cat the".split(), ["le"])  # no translation to mix
    assert repeated_token_rate([["a", "a", "b"], ["c"]]) == 0.25
    outputs = ["le grand chien chasse la balle rouge".split(), "le grand chien chasse le balle rouge".split()]
    assert mixed_translations([source, source], outputs) == [1]
