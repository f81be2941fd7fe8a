"""Retrieval for RETRO: sentences embedded by a frozen encoder, and exact nearest neighbours by cosine.

The keys are toy_mlm's states after its third of four blocks, averaged over a sentence's tokens ([CLS]
words [SEP]) and normalised: the masked LM is never trained further, so a datastore's keys stay valid.
Measured on the facts world with 2,000 distractor sentences, the right fact is among the 4 neighbours for
97% of questions with these keys, 77% with the last layer's (which serves the masked-word prediction more
than the sentence), 95% with max pooling and 17% with the [CLS] state. A datastore of a few
thousand sentences is searched exactly, one matrix product per question: an approximate index (FAISS,
ScaNN) only pays off at millions of vectors, and exact search has no recall to measure or explain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ..data.facts import PLACES, SUBJECTS, World, fact, question
from ..data.vocab import Vocab
from ..models.autoencoding import encoder_mask
from ..models.inputs import encode_mlm

NEIGHBOURS = 4  # retrieved per question
KEY_BLOCK = 3  # the encoder's states after this many blocks are the keys
CHUNK_TOKENS = 12  # a neighbour is cut to this many tokens


@torch.no_grad()
def sentence_keys(encoder, vocab: Vocab, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> torch.Tensor:
    """Mean-pooled, unit-length states of a frozen masked LM for each sentence. -> (N, D)"""
    device = next(encoder.parameters()).device
    keys = []
    for start in range(0, len(sentences), batch_size):
        ids = encode_mlm(sentences[start : start + batch_size], vocab).to(device)
        mask, states = encoder_mask(ids, vocab.pad_id), encoder.encoder.embed_tokens(ids)  # (B, T, D)
        for block in encoder.encoder.blocks[:KEY_BLOCK]:
            states = block(states, mask).hidden
        real = (ids != vocab.pad_id).float()[..., None]  # (B, T, 1)
        pooled = (states * real).sum(1) / real.sum(1)  # (B, D)
        keys.append(torch.nn.functional.normalize(pooled, dim=-1).cpu())
    return torch.cat(keys)


@dataclass(frozen=True)
class Datastore:
    """Chunks of text and their keys. Read-only: an edit makes a new datastore, so sessions can share one."""

    chunks: tuple[tuple[str, ...], ...]
    keys: torch.Tensor  # (N, D), unit length

    def replaced(self, index: int, chunk: Sequence[str], key: torch.Tensor) -> Datastore:
        keys = self.keys.clone()
        keys[index] = key
        return Datastore((*self.chunks[:index], tuple(chunk), *self.chunks[index + 1 :]), keys)


def retrieve(store: Datastore, query_key: torch.Tensor, k: int = NEIGHBOURS) -> list[tuple[int, float]]:
    """The k chunks most similar to the query (cosine, exact over every key), best first: (index, score)."""
    scores = store.keys @ query_key  # (N,)
    top = scores.topk(min(k, len(store.chunks)))
    return list(zip(top.indices.tolist(), top.values.tolist(), strict=True))


def neighbour_ids(chunks: Sequence[Sequence[str]], vocab: Vocab) -> torch.Tensor:
    """The retrieved chunks as token ids, each cut to CHUNK_TOKENS and padded. -> (K, L)"""
    rows = [vocab.encode(list(chunk)[:CHUNK_TOKENS]) for chunk in chunks]
    width = max(1, max(map(len, rows), default=1))
    return torch.tensor([row + [vocab.pad_id] * (width - len(row)) for row in rows] or [[vocab.pad_id]])


@dataclass(frozen=True)
class FactKeys:
    """Keys computed once for the facts world (data/facts.py): every possible fact sentence, every question,
    and the distractor sentences every datastore also holds."""

    facts: torch.Tensor  # (subjects · places, D): fact(subject s, place p) at s · len(PLACES) + p
    questions: torch.Tensor  # (subjects, D)
    distractors: tuple[tuple[str, ...], ...]
    distractor_keys: torch.Tensor  # (M, D)


def fact_keys(encoder, vocab: Vocab, distractors: Sequence[Sequence[str]]) -> FactKeys:
    every_fact = [fact(subject, place) for subject in SUBJECTS for place in PLACES]
    return FactKeys(
        sentence_keys(encoder, vocab, every_fact),
        sentence_keys(encoder, vocab, [question(subject) for subject in SUBJECTS]),
        tuple(tuple(d) for d in distractors),
        sentence_keys(encoder, vocab, distractors),
    )


def world_store(keys: FactKeys, world: World) -> Datastore:
    """A world's datastore: its fact about every subject, then the distractor sentences."""
    rows = [s * len(PLACES) + p for s, p in enumerate(world.places)]
    return Datastore((*world.facts(), *keys.distractors), torch.cat((keys.facts[rows], keys.distractor_keys)))


@torch.no_grad()
def answer_batch(model, neighbours: torch.Tensor, prompts: torch.Tensor, eos_id: int, max_new_tokens: int = 6):
    """Greedy continuations of prompts (B, T) (<bos> question, all of one length) by a RETRO model reading
    neighbours (B, K, L), with a KV cache; each stops before its <eos>. -> list of token id lists"""
    decoder = model.decoder(model.encode(neighbours))
    cache = decoder.new_cache()
    feed, done = prompts, torch.zeros(prompts.size(0), dtype=torch.bool, device=prompts.device)
    answers: list[list[int]] = [[] for _ in range(prompts.size(0))]
    for _ in range(max_new_tokens):
        scores = decoder(feed, cache=cache).logits[:, -1]  # (B, V)
        scores[:, model.config.pad_id] = float("-inf")
        tokens = scores.argmax(-1)  # (B,)
        for row in (~done & (tokens != eos_id)).nonzero()[:, 0].tolist():
            answers[row].append(int(tokens[row]))
        done |= tokens == eos_id
        if done.all():
            break
        feed = tokens[:, None]
    return answers
