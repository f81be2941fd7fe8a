"""Writing with a masked diffusion LM: start from all [MASK] (given words stay), and in each of S
denoising steps predict every masked position at once, then reveal some of them; revealed words are never
changed again. Which positions a step reveals is the remasking strategy:

- random: a uniformly random subset (MDLM's ancestral sampler, with a fixed count per step);
- confidence: the positions whose sampled word is most probable (LLaDA's low-confidence remasking);
- blocks: semi-autoregressive (block diffusion): blocks of B positions left to right, confidence inside.

About N/S words are revealed per step, so S = N writes one word per step and S = 1 writes all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data.vocab import Vocab
from .processors import SuppressTokens

STRATEGIES = ("random", "confidence", "blocks")


@dataclass
class Diffusion:
    tokens: torch.Tensor  # (B, T) the written ids: [CLS] words [SEP]
    history: list[torch.Tensor]  # after each step, the ids (B, T) with [MASK] where nothing is revealed yet
    revealed_at: torch.Tensor  # (B, T) the step (1-based) that revealed each position; 0 if given or special
    confidence: torch.Tensor  # (B, T) the probability of each word when it was revealed; 0 if given

    @property
    def steps(self) -> int:
        return len(self.history)


def reveal_counts(n_masked: int, steps: int) -> list[int]:
    """How many positions each step reveals: n_masked split as evenly as possible over min(steps, n_masked)
    steps, the earlier steps taking the remainder."""
    steps = max(1, min(steps, n_masked))
    base, extra = divmod(n_masked, steps)
    return [base + (i < extra) for i in range(steps)]


def schedule(positions: list[int], steps: int, strategy: str, block: int = 4) -> list[tuple[list[int], int]]:
    """For each step, the masked positions it may reveal from and how many it reveals. Semi-autoregressive
    (blocks): the positions cut into blocks of `block` left to right, the steps shared among the blocks (at
    least one each, so there may be more steps than asked for)."""
    if not positions:
        return []
    if strategy != "blocks":
        return [(positions, count) for count in reveal_counts(len(positions), steps)]
    blocks = [positions[i : i + block] for i in range(0, len(positions), max(1, block))]
    per_block = steps_per_block([len(b) for b in blocks], steps)
    return [
        (members, count)
        for members, n in zip(blocks, per_block, strict=True)
        for count in reveal_counts(len(members), n)
    ]


def steps_per_block(sizes: list[int], steps: int) -> list[int]:
    """The steps shared among blocks in proportion to their sizes (largest remainders first), each block at
    least one step and at most one per position; the total is steps, kept between len(sizes) and sum(sizes)."""
    total = min(max(steps, len(sizes)), sum(sizes))
    exact = [total * size / sum(sizes) for size in sizes]
    shares = [max(1, min(size, int(e))) for size, e in zip(sizes, exact, strict=True)]
    while sum(shares) < total:  # to the block furthest below its exact share that has room
        i = max((i for i in range(len(sizes)) if shares[i] < sizes[i]), key=lambda i: exact[i] - shares[i])
        shares[i] += 1
    while sum(shares) > total:  # from the block furthest above its exact share
        i = max((i for i in range(len(sizes)) if shares[i] > 1), key=lambda i: shares[i] - exact[i])
        shares[i] -= 1
    return shares


def masked_start(lengths: list[int], vocab: Vocab, given: list[dict[int, str]] | None = None) -> torch.Tensor:
    """[CLS] [MASK]×N [SEP] per row (right-padded), the given words (word index -> word) in place. -> (B, T)"""
    width = max(lengths) + 2
    ids = torch.full((len(lengths), width), vocab.pad_id, dtype=torch.long)
    for row, n in enumerate(lengths):
        ids[row, 0], ids[row, 1 : n + 1], ids[row, n + 1] = vocab.cls_id, vocab.mask_id, vocab.sep_id
        for index, word in (given[row] if given else {}).items():
            ids[row, index + 1] = vocab.id(word)
    return ids


def word_suppressor(vocab: Vocab) -> SuppressTokens:
    """Only words may be written: every special token is removed."""
    return SuppressTokens(tuple(sorted(vocab.special_ids)))


@torch.no_grad()
def diffuse(
    model,
    ids: torch.Tensor,
    vocab: Vocab,
    steps: int,
    strategy: str = "confidence",
    block: int = 4,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
) -> Diffusion:
    """Denoise ids (B, T) in `steps` steps: each predicts every [MASK] at once (sampled at `temperature`,
    0 = the most probable word) and reveals the positions the strategy picks; nothing else changes."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    ids = ids.clone()
    device = ids.device
    masked = [torch.nonzero(row == vocab.mask_id).flatten().tolist() for row in ids.cpu()]
    plans = [schedule(positions, steps, strategy, block) for positions in masked]  # per row: per step
    n_steps = max((len(plan) for plan in plans), default=0)
    revealed_at = torch.zeros_like(ids)
    confidence = torch.zeros(ids.shape, device=device)
    suppress, history = word_suppressor(vocab), []
    for step in range(n_steps):
        scores = suppress(model(ids).logits.float())  # (B, T, V)
        if temperature > 0:
            probs = (scores / temperature).softmax(-1)
            flat = torch.multinomial(probs.flatten(0, 1).cpu(), 1, generator=generator).to(device)  # (B·T, 1)
            sampled = flat.view(ids.shape)  # (B, T)
        else:
            probs = scores.softmax(-1)
            sampled = probs.argmax(-1)  # (B, T)
        chosen_prob = probs.gather(-1, sampled[..., None])[..., 0]  # (B, T)
        for row in range(ids.size(0)):
            if step >= len(plans[row]):
                continue
            candidates, count = plans[row][step]
            open_now = [p for p in candidates if ids[row, p] == vocab.mask_id]
            picked = _pick(open_now, count, chosen_prob[row], strategy, generator)
            ids[row, picked] = sampled[row, picked]
            revealed_at[row, picked] = step + 1
            confidence[row, picked] = chosen_prob[row, picked]
        history.append(ids.clone())
    return Diffusion(ids, history, revealed_at, confidence)


def _pick(
    open_now: list[int], count: int, prob: torch.Tensor, strategy: str, generator: torch.Generator | None
) -> list[int]:
    if count >= len(open_now):
        return open_now
    if strategy == "random":
        order = torch.randperm(len(open_now), generator=generator).tolist()
        return [open_now[i] for i in order[:count]]
    ranked = sorted(open_now, key=lambda p: -float(prob[p]))  # the surest first
    return ranked[:count]


def denoising_grid(result: Diffusion, vocab: Vocab, row: int = 0):
    """One row's denoising, step by step, over its words only: the words after each step ([MASK] where none
    is revealed yet), each word's confidence once revealed (S, N), and which words each step revealed
    (S, N), as numpy arrays."""
    specials = torch.tensor(sorted(vocab.special_ids), device=result.tokens.device)
    positions = torch.nonzero(~torch.isin(result.tokens[row], specials)).flatten()  # (N,) the written words
    tokens = [vocab.decode(ids[row, positions].tolist()) for ids in result.history]
    steps = torch.arange(1, result.steps + 1, device=positions.device)[:, None]  # (S, 1)
    revealed_at = result.revealed_at[row, positions][None]  # (1, N)
    shown = (revealed_at > 0) & (revealed_at <= steps)  # (S, N): revealed by this step
    confidence = torch.where(shown, result.confidence[row, positions][None], torch.zeros(()))  # (S, N)
    return tokens, confidence.cpu().numpy(), (revealed_at == steps).cpu().numpy()
