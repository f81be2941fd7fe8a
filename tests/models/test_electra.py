"""ELECTRA: the generator is scored only where it filled a word, the discriminator on every word; samples
follow the generator's distribution; the discriminator reads the whole sentence both ways."""

import torch

from seqviz.data.toy import en_vocab
from seqviz.models.autoencoding import SequenceClassifier
from seqviz.models.electra import ELECTRA, N_SPECIALS, ElectraConfig, sample_words, word_positions
from seqviz.models.inputs import encode_mlm
from seqviz.training.batches import electra_batch
from seqviz.training.electra_evaluation import roc_auc

VOCAB = en_vocab()
SENTENCES = [("the", "black", "cat", "sleeps"), ("the", "dogs", "chase", "a", "small", "ball", "under", "the", "table")]


def tiny_electra(seed: int = 0) -> ELECTRA:
    torch.manual_seed(seed)
    config = ElectraConfig(
        vocab_size=len(VOCAB), d_model=32, n_heads=2, n_layers=2, d_ff=64, max_len=16, dropout=0.0,
        generator_d_model=16, generator_heads=1, generator_d_ff=32,
    )  # fmt: skip
    return ELECTRA(config).eval()


def batch(seed: int = 0) -> dict:
    return electra_batch(SENTENCES, VOCAB, torch.Generator().manual_seed(seed))


def test_generator_scored_only_where_masked_and_discriminator_on_every_word():
    """The gradient of the generator's loss reaches its logits only at the masked positions; the detection
    loss's gradient reaches the discriminator's logit at every word and nowhere else."""
    model, inputs = tiny_electra(), batch()
    out = model(**inputs)
    out.generator_logits.retain_grad()
    out.replaced_logits.retain_grad()
    (out.generator_loss + out.detection_loss).backward()
    generator_reached = out.generator_logits.grad.abs().sum(-1) > 0  # (B, T)
    assert torch.equal(generator_reached, inputs["masked"])
    discriminator_reached = out.replaced_logits.grad.abs() > 0
    assert torch.equal(discriminator_reached, word_positions(inputs["ids"]))
    assert inputs["masked"].sum() < word_positions(inputs["ids"]).sum()  # the point: most words are unmasked
    assert torch.allclose(out.loss, out.generator_loss + 50.0 * out.detection_loss)


def test_replacements_only_at_masked_positions_and_the_truth_is_the_difference():
    model, inputs = tiny_electra(), batch()
    with torch.no_grad():
        out = model(**inputs)
    unmasked = ~inputs["masked"]
    assert torch.equal(out.corrupted[unmasked], inputs["ids"][unmasked])
    assert torch.equal(out.replaced, out.corrupted != inputs["ids"])
    assert (out.corrupted[inputs["masked"]] >= N_SPECIALS).all()  # a sampled word, never [MASK] or padding


def test_sample_words_follows_the_distribution_by_inverse_cdf():
    logits = torch.full((1, 1, N_SPECIALS + 3), -1e9)
    logits[0, 0, N_SPECIALS:] = torch.tensor([0.2, 0.3, 0.5]).log()
    logits[0, 0, 0] = 10.0  # a special token, however likely, is never drawn
    draws = torch.tensor([0.1, 0.25, 0.45, 0.55, 0.99])
    picked = [int(sample_words(logits, u.view(1, 1))) - N_SPECIALS for u in draws]
    assert picked == [0, 1, 1, 2, 2]


def test_the_discriminator_reads_both_directions():
    """Changing the last word changes the discriminator's view of the first (bidirectional mask)."""
    model = tiny_electra()
    a = encode_mlm([("the", "cat", "sleeps")], VOCAB)
    b = encode_mlm([("the", "cat", "sleep")], VOCAB)
    with torch.no_grad():
        first_a, first_b = model.detect(a)[0][0, 1], model.detect(b)[0][0, 1]
    assert not torch.allclose(first_a, first_b)


def test_a_classifier_starts_from_the_discriminator_not_the_generator():
    model = tiny_electra()
    classifier = SequenceClassifier.from_pretrained(model, 2)
    for name, tensor in model.discriminator.state_dict().items():
        assert torch.equal(classifier.encoder.state_dict()[name], tensor)


def test_roc_auc_counts_pairs_and_halves_ties():
    truth = torch.tensor([True, True, False, False])
    assert roc_auc(torch.tensor([0.9, 0.8, 0.1, 0.2]), truth) == 1.0
    assert roc_auc(torch.tensor([0.1, 0.2, 0.9, 0.8]), truth) == 0.0
    assert roc_auc(torch.tensor([0.5, 0.5, 0.5, 0.5]), truth) == 0.5
    assert roc_auc(torch.tensor([0.9, 0.1, 0.5, 0.05]), truth) == 0.75


def test_one_sentence_detection_and_where_each_loss_comes_from():
    """The page's view: replacements only where masked, a detection loss at every word, BERT's loss only at
    the masked words."""
    from seqviz.decoding.detection import detect_replacements, masked_lm_losses
    from seqviz.models.autoencoding import MaskedLM
    from seqviz.models.layers import ModelConfig

    model = tiny_electra()
    ids = encode_mlm([SENTENCES[1]], VOCAB)[0]
    masked = [2, 5]
    detection = detect_replacements(model, ids, masked, seed=3)
    again = detect_replacements(model, ids, masked, seed=3)
    assert again.read == detection.read  # the seed decides the samples
    unmasked = [i for i in range(len(ids)) if i not in masked]
    assert [detection.read[i] for i in unmasked] == ids[unmasked].tolist()
    words = word_positions(ids).numpy()
    assert (~torch.isnan(torch.from_numpy(detection.detection_loss))).numpy().tolist() == words.tolist()
    assert set(torch.nonzero(~torch.isnan(torch.from_numpy(detection.generator_p_original))).flatten().tolist()) == set(
        masked
    )
    torch.manual_seed(0)
    mlm = MaskedLM(ModelConfig(vocab_size=len(VOCAB), d_model=32, n_heads=2, n_layers=1, d_ff=64, max_len=16)).eval()
    bert = masked_lm_losses(mlm, ids, masked, VOCAB.mask_id)
    assert set(torch.nonzero(~torch.isnan(torch.from_numpy(bert))).flatten().tolist()) == set(masked)
