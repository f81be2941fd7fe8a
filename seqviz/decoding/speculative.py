"""Speculative decoding (Leviathan et al. 2023; Chen et al. 2023): a small draft model guesses k tokens one at a
time, and the target model checks all k in ONE forward pass. The guesses the target agrees with are kept, and
the target's own token replaces the first one it rejects, so every round yields 1 to k+1 tokens for one target
pass.

Greedy: a guess is kept when it is the target's argmax, so the output is exactly the target's greedy output.
Sampling: a guess x drawn from the draft's q is kept with probability min(1, p(x)/q(x)); a rejection draws from
normalise(max(0, p − q)). The tokens are then distributed exactly as if sampled from the target's p.

Both models keep their own KV cache for the call; rejected guesses are cut out of the caches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

from .autoregressive import generate
from .processors import SuppressTokens, apply, choose
from .timing import Timing, measure_together


@dataclass
class SpeculativeRound:
    proposed: list[int]  # the draft's k guesses
    accepted: int  # how many of them were kept (a prefix)
    target_token: int  # the target's own token after them: the correction, or a bonus when all were kept


@dataclass
class SpeculativeResult:
    ids: torch.Tensor  # (T + new,) prompt and generated tokens
    rounds: list[SpeculativeRound] = field(default_factory=list)

    @property
    def target_passes(self) -> int:
        return len(self.rounds)

    @property
    def draft_passes(self) -> int:
        return sum(len(r.proposed) for r in self.rounds)

    @property
    def acceptance_rate(self) -> float:
        """Share of the draft's guesses the target kept."""
        proposed = self.draft_passes
        return sum(r.accepted for r in self.rounds) / proposed if proposed else 0.0


def accept_or_resample(
    p: torch.Tensor, q: torch.Tensor, token: int, greedy: bool, generator: torch.Generator | None = None
) -> int | None:
    """Check one guess: None to keep `token`, else the token that replaces it. p, q (V,) are the target's
    and the draft's distributions at this position."""
    if greedy:
        best = int(p.argmax())
        return None if best == token else best
    u = torch.rand((), generator=generator).item()
    if u * q[token] <= p[token]:  # u < p/q, written without dividing by q
        return None
    residual = (p - q).clamp_min(0)
    if residual.sum() <= 0:  # p == q up to rounding: any draw from p will do
        residual = p
    return int(torch.multinomial(residual / residual.sum(), 1, generator=generator))


def _probs(processors: Sequence, scores: torch.Tensor) -> torch.Tensor:
    return apply(processors, scores).softmax(-1)  # (..., V)


@torch.no_grad()
def speculative_generate(
    target,
    draft,
    prompt_ids: torch.Tensor,
    max_new_tokens: int,
    k: int = 4,
    greedy: bool = True,
    processors: Sequence = (),
    eos_id: int | None = None,
    generator: torch.Generator | None = None,
) -> SpeculativeResult:
    """Generate up to `max_new_tokens` after prompt_ids (T,) with the target's output distribution, the draft
    proposing k tokens per round. Both models must share the vocabulary."""
    if k < 1:
        raise ValueError(f"the draft must propose at least 1 token per round, got k = {k}")
    processors = [SuppressTokens((target.config.pad_id,)), *processors]
    window = min(target.config.max_len, draft.config.max_len)
    ids = prompt_ids.tolist()
    limit = min(len(ids) + max_new_tokens, window)
    target_cache, draft_cache = target.new_cache(), draft.new_cache()
    result = SpeculativeResult(prompt_ids)
    device = prompt_ids.device
    while len(ids) < limit and not (eos_id is not None and len(ids) > len(prompt_ids) and ids[-1] == eos_id):
        steps = min(k, limit - len(ids) - 1) if limit - len(ids) > 1 else 0
        proposed, draft_probs = [], []
        for _ in range(steps):  # the draft guesses one token at a time, feeding what its cache lacks
            feed = torch.tensor((ids + proposed)[draft_cache.length :], device=device)
            q = _probs(processors, draft(feed[None], cache=draft_cache).logits[0, -1])  # (V,)
            proposed.append(int(choose(q.log(), greedy, generator)))
            draft_probs.append(q)
        # one target pass scores every guess and the position after them
        feed = torch.tensor((ids + proposed)[target_cache.length :], device=device)
        p = _probs(processors, target(feed[None], cache=target_cache).logits[0, -(steps + 1) :])  # (k+1, V)
        accepted, replacement = 0, None
        for j, token in enumerate(proposed):
            replacement = accept_or_resample(p[j], draft_probs[j], token, greedy, generator)
            if replacement is not None:
                break
            accepted += 1
            if token == eos_id:
                break
        kept = proposed[:accepted]
        ended = eos_id is not None and eos_id in kept
        if replacement is None and not ended:  # every guess kept: the target's next token comes free
            replacement = int(choose(p[accepted].log(), greedy, generator))
        result.rounds.append(SpeculativeRound(proposed, accepted, replacement if replacement is not None else -1))
        ids += kept + ([] if replacement is None else [replacement])
        # the caches keep only positions whose tokens were kept (the newest token is fed next round)
        target_cache.truncate(len(ids) - 1)
        draft_cache.truncate(len(ids) - 1)
    return SpeculativeResult(torch.tensor(ids[:limit], dtype=prompt_ids.dtype, device=device), result.rounds)


@dataclass
class SpeculativeComparison:
    result: SpeculativeResult  # the speculative run
    plain_ids: torch.Tensor  # the target alone, same settings and seed
    speculative: Timing
    plain: Timing
    prompt_length: int

    def ms_per_token(self, which: str) -> float:
        """Median time of a run divided by the tokens it generated (sampled runs may differ in length)."""
        timing, ids = (self.speculative, self.result.ids) if which == "speculative" else (self.plain, self.plain_ids)
        return timing.median_ms / max(1, len(ids) - self.prompt_length)

    @property
    def speedup(self) -> float:
        """Time per token of the target alone over time per token with speculation."""
        return self.ms_per_token("plain") / self.ms_per_token("speculative")

    @property
    def identical(self) -> bool:
        return torch.equal(self.result.ids, self.plain_ids)


def compare_with_plain(
    target,
    draft,
    prompt_ids: torch.Tensor,
    max_new_tokens: int,
    k: int = 4,
    greedy: bool = True,
    processors: Sequence = (),
    eos_id: int | None = None,
    seed: int = 0,
    warmup: int = 1,
    repeats: int = 5,
) -> SpeculativeComparison:
    """Speculative decoding against the target decoding alone (with its KV cache), same settings and seed,
    timed in interleaved runs (median after warm-up, device synchronised)."""
    outputs = {}

    def plain():
        outputs["plain"] = generate(
            target,
            prompt_ids,
            max_new_tokens,
            processors=processors,
            greedy=greedy,
            generator=torch.Generator().manual_seed(seed),
            eos_id=eos_id,
        )

    def speculative():
        outputs["speculative"] = speculative_generate(
            target,
            draft,
            prompt_ids,
            max_new_tokens,
            k,
            greedy,
            processors,
            eos_id,
            torch.Generator().manual_seed(seed),
        )

    timings = measure_together({"speculative": speculative, "plain": plain}, prompt_ids.device, warmup, repeats)
    return SpeculativeComparison(
        outputs["speculative"], outputs["plain"], timings["speculative"], timings["plain"], len(prompt_ids)
    )
