"""A variational autoencoder of sentences (Bowman et al. 2016; Kingma & Welling 2014).

An encoder reads the whole sentence and describes it as a Gaussian q(z|x) = N(μ, σ²) in a small latent space
(a few dimensions); a left-to-right decoder writes the sentence back from one z drawn from it. The loss is the
negative evidence lower bound:

    −ELBO = E_q[−log p(x|z)]  +  KL(q(z|x) ‖ N(0, I))
            reconstruction       what the code costs: 0 when q is the prior, so z tells nothing of x

The decoder is an autoregressive language model that also reads z. It can model the sentences well without
z, so the cheapest optimum is often q(z|x) = p(z) for every x: the KL goes to 0 and z is ignored (posterior
collapse). Bowman's two cures are applied by the training batches, not here: the KL's weight annealed from 0
to 1 (kl_weight), and word dropout (decoder input words replaced by <unk>, so the decoder must lean on z).
With variational=False the same network is a plain autoencoder: z = μ, deterministic, no KL.

Shapes: B batch, S encoder length (words), T decoder length (<bos> words <eos>), D d_model, Z latent, V vocab.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from .layers import ModelConfig
from .output import ModelOutput
from .recurrent import RecurrentState
from .seq2seq import ConditionedDecoder


@dataclass
class VAEConfig(ModelConfig):
    latent: int = 16  # z's dimensions
    variational: bool = True  # False: a plain autoencoder (z = μ, no KL)
    word_dropout: float = 0.0  # training batches: share of decoder input words replaced by <unk>
    kl_anneal_steps: int = 0  # training batches: the KL's weight rises linearly 0 -> 1 over these steps (0: 1 at once)


@dataclass
class VAEOutput:
    logits: torch.Tensor  # (B, T, V): position t predicts token t + 1
    loss: torch.Tensor | None  # scalar: mean over the batch of reconstruction + kl_weight · KL
    reconstruction: torch.Tensor | None  # (B,) −log p(x|z) per sentence, summed over its tokens (nats)
    kl: torch.Tensor | None  # (B,) KL(q(z|x) ‖ N(0, I)) per sentence (nats); None for the plain autoencoder
    mu: torch.Tensor  # (B, Z)
    logvar: torch.Tensor | None  # (B, Z); None for the plain autoencoder
    z: torch.Tensor  # (B, Z): the code the decoder read


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, σ²) ‖ N(0, I)) in closed form, −½ Σ_d (1 + log σ² − μ² − σ²). (B, Z) -> (B,)"""
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(-1)


def sentence_nll(logits: torch.Tensor, labels: torch.Tensor, pad_id: int) -> torch.Tensor:
    """−log p of each sentence: position t's logits (B, T, V) against labels[t + 1], summed over the real
    tokens of each row. -> (B,)"""
    targets = labels[:, 1:]  # (B, T-1)
    nll = F.cross_entropy(logits[:, :-1].transpose(1, 2), targets, reduction="none")  # (B, T-1)
    return nll.masked_fill(targets == pad_id, 0.0).sum(1)


class SentenceVAE(nn.Module):
    """Bidirectional GRU encoder -> (μ, log σ²) -> z -> GRU decoder that starts from tanh(W z) and reads z
    beside every input word."""

    paradigm = "latent variable"
    config_class = VAEConfig

    def __init__(self, config: VAEConfig):
        super().__init__()
        self.config = config
        d, latent = config.d_model, config.latent
        self.embed = nn.Embedding(config.vocab_size, d)  # shared by encoder and decoder
        self.encoder_rnn = nn.GRU(d, d // 2, batch_first=True, bidirectional=True)  # final states (2, B, D/2)
        self.to_mu = nn.Linear(d, latent)
        self.to_logvar = nn.Linear(d, latent) if config.variational else None
        self.from_z = nn.Linear(latent, d)  # z -> the decoder's first state
        self.decoder_rnn = nn.GRU(d + latent, d, batch_first=True)  # reads [word; z] at every step
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(d, config.vocab_size)

    def encode(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """ids (B, S): the words, right-padded (no <bos>/<eos>). -> μ (B, Z), log σ² (B, Z) or None (autoencoder)."""
        lengths = (ids != self.config.pad_id).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            self.dropout(self.embed(ids)), lengths, batch_first=True, enforce_sorted=False
        )
        _, final = self.encoder_rnn(packed)  # (2, B, D/2): forward after the last word, backward after the first
        summary = torch.cat((final[0], final[1]), -1)  # (B, D)
        return self.to_mu(summary), self.to_logvar(summary) if self.to_logvar is not None else None

    def new_cache(self) -> RecurrentState:
        return RecurrentState()

    def decode(
        self,
        z: torch.Tensor,
        ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: RecurrentState | None = None,
    ) -> ModelOutput:
        """z (B, Z), ids (B, T) = <bos> w1 .. wn (<eos>): left to right, so position t sees ids ≤ t and z only.
        With a cache, ids are only the new positions. The loss (with labels) is the mean next-token loss."""
        if cache is not None and cache.hidden is not None:
            state = cache.hidden  # (1, B, D)
        else:
            state = torch.tanh(self.from_z(z))[None]  # (1, B, D)
        words = self.dropout(self.embed(ids))  # (B, T, D)
        inputs = torch.cat((words, z[:, None].expand(-1, ids.size(1), -1)), -1)  # (B, T, D + Z)
        states, state = self.decoder_rnn(inputs, state)  # (B, T, D), (1, B, D)
        if cache is not None:
            cache.hidden, cache.length = state, cache.length + ids.size(1)
        logits = self.head(self.dropout(states))  # (B, T, V)
        loss = sentence_nll(logits, labels, self.config.pad_id).mean() if labels is not None else None
        return ModelOutput(logits, loss)

    def decoder(self, z: torch.Tensor) -> ConditionedDecoder:
        """The decoder bound to z (B, Z): CausalLM's interface, so decoding/autoregressive.py's loops run it."""
        return ConditionedDecoder(self, z)

    def forward(
        self,
        ids: torch.Tensor,
        decoder_ids: torch.Tensor,
        labels: torch.Tensor | None = None,
        kl_weight: float | torch.Tensor = 1.0,
        z: torch.Tensor | None = None,
    ) -> VAEOutput:
        """ids (B, S) the words for the encoder; decoder_ids (B, T) <bos> w1 .. wn <eos>, possibly word-dropped;
        labels (B, T) the clean <bos> w1 .. wn <eos>. z (B, Z), when given, replaces the encoder's code;
        otherwise z = μ + σ·ε with ε ~ N(0, I) in training (the reparameterisation trick: the sample is a
        differentiable function of μ and σ), and z = μ in eval mode or for the plain autoencoder."""
        mu, logvar = self.encode(ids)  # (B, Z) each
        if z is None:
            z = mu
            if self.training and logvar is not None:
                z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)  # (B, Z)
        logits = self.decode(z, decoder_ids).logits  # (B, T, V)
        kl = kl_divergence(mu, logvar) if logvar is not None else None  # (B,)
        if labels is None:
            return VAEOutput(logits, None, None, kl, mu, logvar, z)
        reconstruction = sentence_nll(logits, labels, self.config.pad_id)  # (B,)
        per_sentence = reconstruction if kl is None else reconstruction + kl_weight * kl
        return VAEOutput(logits, per_sentence.mean(), reconstruction, kl, mu, logvar, z)
