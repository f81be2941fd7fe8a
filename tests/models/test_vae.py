"""The sentence VAE (models/vae.py) on tiny untrained models: the KL is the closed form and what sampling
estimates, the decoder reads left to right, the plain autoencoder is deterministic and pays no KL, and the
training batches drop words and anneal the KL's weight as they say; decoding from z (decoding/latent.py)."""

from __future__ import annotations

import math

import pytest
import torch

from seqviz.data.toy import en_vocab
from seqviz.decoding.latent import greedy_from_latent, interpolate, latent_steps, reconstruct
from seqviz.models.vae import SentenceVAE, VAEConfig, kl_divergence
from seqviz.training.batches import kl_weight_at, vae_batches
from seqviz.training.vae_evaluation import evaluate_vae, latent_map

SENTENCES = [
    ("the", "cat", "sleeps"),
    ("the", "cats", "do", "not", "sleep"),
    ("a", "small", "dog", "chases", "the", "red", "ball"),
    ("these", "girls", "that", "the", "boy", "sees", "swim"),
    ("this", "horse", "runs", "and", "the", "mice", "sing"),
]


def tiny(variational: bool = True, dropout: float = 0.0) -> SentenceVAE:
    torch.manual_seed(0)
    vocab = en_vocab()
    config = VAEConfig(vocab_size=len(vocab), d_model=16, n_heads=1, max_len=12, dropout=dropout, latent=4)
    config.variational = variational
    return SentenceVAE(config).double()


def batch(vocab, sentences=SENTENCES):
    return vae_batches(sentences, vocab, len(sentences))(torch.Generator().manual_seed(0))


def test_the_kl_is_the_closed_form_and_matches_a_monte_carlo_estimate():
    """KL(N(μ, σ²) ‖ N(0, I)) = E_q[log q(z) − log p(z)], estimated from 200,000 draws of z per row."""
    generator = torch.Generator().manual_seed(0)
    mu = torch.randn(3, 4, generator=generator, dtype=torch.double)
    logvar = torch.randn(3, 4, generator=generator, dtype=torch.double)
    closed = kl_divergence(mu, logvar)  # (3,)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    assert torch.allclose(closed, torch.distributions.kl_divergence(q, torch.distributions.Normal(0.0, 1.0)).sum(-1))
    z = mu + torch.exp(0.5 * logvar) * torch.randn(200_000, 3, 4, generator=generator, dtype=torch.double)
    log_q = q.log_prob(z).sum(-1)  # (S, 3)
    log_p = (-0.5 * z.pow(2) - 0.5 * math.log(2 * math.pi)).sum(-1)
    estimate, spread = (log_q - log_p).mean(0), (log_q - log_p).std(0) / math.sqrt(z.size(0))
    assert torch.all((estimate - closed).abs() < 4 * spread + 1e-3), (estimate, closed)
    assert torch.all(kl_divergence(torch.zeros(2, 4), torch.zeros(2, 4)) == 0)  # q = the prior: nothing to pay


def test_the_decoder_never_reads_a_later_word():
    """Changing the words after position t leaves the logits up to t as they were; z reaches every position."""
    model, vocab = tiny().eval(), en_vocab()
    ids = torch.tensor([[vocab.bos_id, *vocab.encode(["the", "girl", "that", "the", "dogs", "see", "swims"])]])
    changed = ids.clone()
    changed[0, 5:] = torch.tensor(vocab.encode(["cat", "runs", "slowly"]))
    z = torch.randn(1, 4, dtype=torch.double)
    before, after = model.decode(z, ids).logits, model.decode(z, changed).logits
    assert torch.equal(before[0, :5], after[0, :5]) and not torch.allclose(before[0, 5:], after[0, 5:])
    other = model.decode(z + 1, ids).logits
    assert not torch.allclose(before[0, 0], other[0, 0])  # the first word already depends on z
    words = torch.tensor([vocab.encode(["the", "girl", "swims"])])  # the encoder's input is the same sentence
    assert torch.equal(model(words, ids, z=z).logits, before)


def test_the_autoencoder_is_deterministic_and_pays_no_kl_and_the_vae_samples():
    vocab = en_vocab()
    inputs = batch(vocab)
    ae = tiny(variational=False).train()
    first, second = ae(**inputs), ae(**inputs)
    assert first.kl is None and first.logvar is None and ae.to_logvar is None
    assert torch.equal(first.z, first.mu) and torch.equal(first.z, second.z)
    assert torch.equal(first.loss, first.reconstruction.mean())
    assert torch.equal(ae(**{**inputs, "kl_weight": torch.tensor(0.3)}).loss, first.loss)

    vae = tiny(variational=True).train()
    a, b = vae(**inputs), vae(**inputs)
    assert not torch.allclose(a.z, b.z) and not torch.allclose(a.z, a.mu)  # z = μ + σ·ε, ε drawn each call
    weighted = vae(**{**inputs, "kl_weight": torch.tensor(0.25)})
    assert torch.allclose(weighted.loss, (weighted.reconstruction + 0.25 * weighted.kl).mean())
    vae.eval()
    assert torch.equal(vae(**inputs).z, vae(**inputs).mu)  # at eval time z = μ


def test_word_dropout_and_kl_annealing_do_what_they_say_counted_on_batches():
    vocab = en_vocab()
    next_batch, generator = vae_batches(SENTENCES * 20, vocab, 64, 0.4, 10), torch.Generator().manual_seed(1)
    batches = [next_batch(generator) for _ in range(30)]
    assert [float(b["kl_weight"]) for b in batches[:12]] == pytest.approx([i / 10 for i in range(11)] + [1.0])
    dropped = words = 0
    for b in batches:
        labels, read = b["labels"], b["decoder_ids"]
        special = torch.isin(labels, torch.tensor(sorted(vocab.special_ids)))
        assert torch.equal(read[special], labels[special])  # <bos>, <eos>, padding stay
        assert not (labels == vocab.unk_id).any()  # the targets are the clean sentence
        assert torch.equal(read[read != vocab.unk_id], labels[read != vocab.unk_id])  # only <unk> replaces
        dropped += int((read == vocab.unk_id).sum())
        words += int((~special).sum())
    assert abs(dropped / words - 0.4) < 0.03, dropped / words
    plain = vae_batches(SENTENCES, vocab, 8)(generator)  # no dropout, no annealing
    assert torch.equal(plain["decoder_ids"], plain["labels"]) and float(plain["kl_weight"]) == 1.0
    assert kl_weight_at(0, 0) == 1.0 and kl_weight_at(5, 10) == 0.5 and kl_weight_at(50, 10) == 1.0


def test_decoding_from_z_step_by_step_batched_and_along_a_line():
    model, vocab = tiny().eval(), en_vocab()
    z = torch.randn(3, 4, dtype=torch.double)
    tokens, ended = greedy_from_latent(model, z, vocab.bos_id, vocab.eos_id)
    for row in range(3):
        steps = [r.token_id for r in latent_steps(model, vocab, z[row])]
        assert steps[: len(tokens[row])] == tokens[row]  # one z alone, one word per step: the same sentence
        assert (steps[-1] == vocab.eos_id) == ended[row]
    walk = interpolate(model, vocab, SENTENCES[0], SENTENCES[1], points=5)
    ends = reconstruct(model, vocab, [SENTENCES[0], SENTENCES[1]])
    assert len(walk) == 5 and walk[0] == ends[0] and walk[-1] == ends[1]  # the line starts and ends at the μ


def test_the_measures_and_the_latent_map_run_on_a_tiny_model():
    vocab = en_vocab()
    for variational in (True, False):
        metrics = evaluate_vae(tiny(variational).eval(), vocab, SENTENCES, prior_samples=4, pairs=2, points=4)
        assert metrics["heldout_sentences"] == 5 and metrics["latent"] == 4 and len(metrics["mu_variance"]) == 4
        assert (metrics["kl"] is None) != variational and 0 <= metrics["prior_grammatical"] <= 1
        assert metrics["nll_own_z"] == metrics["reconstruction_nll"] > 0
    mapped = latent_map(tiny().eval(), vocab, SENTENCES)
    assert mapped.mu.shape == (5, 4)
    assert mapped.labels["subject_number"][:2] == ["sg", "pl"] and mapped.labels["negation"][:2] == [False, True]
    assert mapped.labels["length"] == [len(s) for s in SENTENCES] and mapped.labels["relative_clause"][3]
