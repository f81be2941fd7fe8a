"""Autoregressive decoding: one token at a time, each step feeding the last output back in.

`generate_steps` yields one record per generated token (the distribution before and after the logits
processors, the token chosen, the new position's attention, the KV-cache shapes), so a page can advance
one step per click. `beam_search` keeps the whole search tree, pruned hypotheses included. The KV cache
is created inside each call and dropped with it: the model is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import torch

from ..data.vocab import Vocab
from .processors import SuppressTokens, Temperature, TopK, TopP, apply, choose


@torch.no_grad()
def next_token_probs(model, ids: torch.Tensor) -> torch.Tensor:
    """P(x_{t+1} | x_1..x_t) for a prefix ids (T,) -> (V,). The causal mask means the model cannot have
    looked at anything after the prefix, even if it were there."""
    return model(ids[None]).logits[0, -1].softmax(-1)


def sampling_processors(temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> list:
    """The usual chain: temperature, then top-k, then top-p."""
    return [Temperature(temperature), TopK(top_k), TopP(top_p)]


@dataclass
class StepRecord:
    step: int  # index of the generated token, from 0
    token_id: int
    probs_before: torch.Tensor  # (V,) softmax of the raw scores
    probs_after: torch.Tensor  # (V,) softmax after the processors (what was sampled from)
    attention: tuple[torch.Tensor, ...] | None  # per layer (H, T): the new position's attention row
    cache_shapes: list[tuple[int, ...]] | None  # per layer (B, H, T, Dh), after this step
    positions_computed: int  # positions this step's forward pass ran over (1 with a cache, T without)
    cross_attention: tuple[torch.Tensor, ...] | None = None  # encoder-decoders: per layer (H, S) over the source


@torch.no_grad()
def decode_step(
    model,
    ids: torch.Tensor,
    processors: Sequence = (),
    greedy: bool = True,
    generator: torch.Generator | None = None,
    cache=None,
    need_weights: bool = False,
    step: int = 0,
) -> StepRecord:
    """One step after the prefix ids (T,): without a cache the whole prefix runs through the model; with one,
    only the positions the cache does not hold yet (one per step once it is warm)."""
    greedy = greedy or any(isinstance(p, Temperature) and p.value == 0 for p in processors)  # T = 0 is argmax
    processors = [SuppressTokens((model.config.pad_id,)), *processors]  # padding is never text
    feed = ids[cache.length :] if cache is not None else ids
    out = model(feed[None], need_weights=need_weights, cache=cache)
    scores = out.logits[0, -1]  # (V,)
    processed = apply(processors, scores)
    token = choose(processed, greedy, generator)

    def last_rows(weights):  # per layer (B, H, T, K) -> (H, K): what the new position looked at
        return tuple(layer[0, :, -1] for layer in weights) if need_weights and weights is not None else None

    return StepRecord(
        step,
        int(token),
        scores.softmax(-1),
        processed.softmax(-1),
        last_rows(out.self_attention),
        cache.shapes() if cache is not None else None,
        feed.numel(),
        last_rows(out.cross_attention),
    )


def generate_steps(
    model,
    prompt_ids: torch.Tensor,
    max_new_tokens: int,
    processors: Sequence = (),
    greedy: bool = True,
    generator: torch.Generator | None = None,
    use_cache: bool = True,
    eos_id: int | None = None,
    need_weights: bool = False,
    slide: bool = False,
) -> Iterator[StepRecord]:
    """Generate after prompt_ids (T,) (at least one token, e.g. <bos>), one StepRecord per new token.
    Stops at eos_id, after max_new_tokens, or when the model's context window is full — unless `slide`,
    which then keeps going on the last window-1 tokens, recomputed each step (the model sees only those)."""
    if prompt_ids.numel() == 0:
        raise ValueError("the prompt needs at least one token (start from <bos>)")
    cache = model.new_cache() if use_cache else None
    ids, window = prompt_ids, model.config.max_len
    for step in range(max_new_tokens):
        if ids.numel() >= window and not slide:
            return
        if ids.numel() >= window:  # cached positions would be stale once the window moves
            record = decode_step(model, ids[-(window - 1) :], processors, greedy, generator, None, need_weights, step)
        else:
            record = decode_step(model, ids, processors, greedy, generator, cache, need_weights, step)
        yield record
        ids = torch.cat((ids, torch.tensor([record.token_id], dtype=ids.dtype, device=ids.device)))
        if eos_id is not None and record.token_id == eos_id:
            return


def generate(model, prompt_ids: torch.Tensor, max_new_tokens: int, **options) -> torch.Tensor:
    """The prompt followed by the generated tokens. -> (T + new,)"""
    new = [r.token_id for r in generate_steps(model, prompt_ids, max_new_tokens, **options)]
    return torch.cat((prompt_ids, torch.tensor(new, dtype=prompt_ids.dtype, device=prompt_ids.device)))


# ---- beam search ---------------------------------------------------------------------------------------


@dataclass
class BeamNode:
    node_id: int
    parent: int | None  # None for the root (the prompt)
    token_id: int | None
    step: int  # 0 for the root, then 1, 2, ...
    log_prob: float  # sum of log-probabilities from the root
    score: float  # log_prob / length ** length_penalty, what beams are ranked by
    status: str = "kept"  # "kept", "pruned" or "finished" (ended with <eos>)


@dataclass
class BeamResult:
    ids: torch.Tensor  # (T + new,) the best hypothesis
    score: float
    nodes: list[BeamNode] = field(default_factory=list)  # the whole search tree


def _length_normalised(log_prob: float, length: int, length_penalty: float) -> float:
    return log_prob / max(1, length) ** length_penalty


@torch.no_grad()
def beam_search(
    model,
    prompt_ids: torch.Tensor,
    width: int,
    max_new_tokens: int,
    length_penalty: float = 1.0,
    eos_id: int | None = None,
) -> BeamResult:
    """Keep the `width` best partial sequences at every step (ranked by length-normalised log-probability);
    every candidate considered is recorded in the tree, kept or pruned. Width 1 is greedy decoding."""
    width = max(1, min(width, model.config.vocab_size))
    nodes = [BeamNode(0, None, None, 0, 0.0, 0.0)]
    beams = [(prompt_ids, 0.0, 0)]  # (ids, log_prob, node_id)
    finished: list[tuple[torch.Tensor, float, float]] = []  # (ids, log_prob, score)
    for step in range(1, max_new_tokens + 1):
        if not beams or beams[0][0].numel() >= model.config.max_len:
            break
        batch = torch.stack([ids for ids, _, _ in beams])  # (B, T): all beams have the same length
        log_probs = model(batch).logits[:, -1].log_softmax(-1)  # (B, V)
        log_probs[:, model.config.pad_id] = float("-inf")  # padding is never text
        candidates = []
        for row, (ids, total, parent) in enumerate(beams):
            top = log_probs[row].topk(width)
            for token, lp in zip(top.indices.tolist(), top.values.tolist(), strict=True):
                score = _length_normalised(total + lp, step, length_penalty)
                candidates.append((score, total + lp, token, ids, parent))
        candidates.sort(key=lambda c: c[0], reverse=True)
        survivors = []
        for rank, (score, total, token, ids, parent) in enumerate(candidates):
            node = BeamNode(len(nodes), parent, token, step, total, score)
            nodes.append(node)
            if len(survivors) + len(finished) >= width or rank >= width:
                node.status = "pruned"
                continue
            new_ids = torch.cat((ids, torch.tensor([token], dtype=ids.dtype, device=ids.device)))
            if eos_id is not None and token == eos_id:
                node.status = "finished"
                finished.append((new_ids, total, score))
            else:
                survivors.append((new_ids, total, node.node_id))
        beams = survivors
        if len(finished) >= width:
            break
    for ids, total, node_id in beams:  # unfinished beams still compete at the end
        finished.append((ids, total, nodes[node_id].score))
    best = max(finished, key=lambda f: f[2])
    return BeamResult(best[0], best[2], nodes)


def best_path(result: BeamResult) -> list[int]:
    """Node ids from the root to the best hypothesis's last token."""
    by_id = {n.node_id: n for n in result.nodes}
    tail = [n for n in result.nodes if n.status in ("kept", "finished")]
    if not tail:
        return [0]
    last = max(
        (n for n in tail if n.step == max(t.step for t in tail) or n.status == "finished"), key=lambda n: n.score
    )
    path = [last.node_id]
    while by_id[path[-1]].parent is not None:
        path.append(by_id[path[-1]].parent)
    return path[::-1]


def attention_rows(records: Sequence[StepRecord]) -> torch.Tensor:
    """The last layer's attention of each generated position, mean over heads, one row per step over every
    position up to the last step's; NaN where a row's step could not look (not written yet). -> (N, T)"""
    width = records[-1].attention[-1].size(-1)
    rows = torch.full((len(records), width), float("nan"))
    for i, record in enumerate(records):
        row = record.attention[-1].float().mean(0).cpu()  # (T_i,)
        rows[i, : row.numel()] = row
    return rows


def shown_candidates(probs: torch.Tensor, chosen: int, k: int) -> list[int]:
    """The k most probable token ids (V,) -> [k], with the chosen token in the last place if it is not among them."""
    top = probs.topk(k).indices.tolist()
    if chosen not in top:
        top[-1] = chosen
    return top


def beam_labels(result: BeamResult, vocab, prompt_ids: Sequence[int]) -> list[str]:
    """One label per tree node: the prompt's words at the root (without <bos>), then each node's token."""
    root = " ".join(vocab.decode(list(prompt_ids)[1:])) or "<bos>"
    return [root] + [vocab.token(n.token_id) for n in result.nodes[1:]]


def strip_eos(words: list[str], vocab: Vocab) -> tuple[list[str], bool]:
    """The generated words without the final <eos>, and whether the model ended the sentence itself."""
    eos = vocab.token(vocab.eos_id)
    return (words[:-1], True) if words and words[-1] == eos else (words, False)
