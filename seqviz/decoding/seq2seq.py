"""Translation with an encoder-decoder: the encoder runs once over the source, then the decoder runs once
per target token, from <bos> until it writes <eos>.

A seq2seq model bound to its encoded source (`model.decoder(memory)`) has the decoder-only interface, so the
step generator, sampling and beam search of autoregressive.py serve here unchanged; this module adds the
batched greedy loop used to measure quality, and teacher forcing vs free running.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from ..data.vocab import Vocab
from ..models.inputs import pad_rows
from .autoregressive import generate_steps
from .timing import Timing, measure

# the three built-in translators, in the order the pages show them -> catalogue key of each one's name
TRANSLATOR_NAME_KEYS = {
    "toy_transformer_mt": "s2s_transformer",
    "toy_gru_mt": "s2s_gru",
    "toy_bahdanau_mt": "s2s_bahdanau",
}


def _device(model) -> torch.device:
    return next(model.parameters()).device


def translate_steps(
    model,
    src_ids: torch.Tensor,
    bos_id: int,
    eos_id: int,
    max_new_tokens: int | None = None,
    need_weights: bool = True,
    **options,
):
    """Encode the source (S,) once, then yield one StepRecord per target token (with the cross-attention row
    of every layer). `options` are generate_steps' (processors, greedy, generator, use_cache)."""
    decoder = model.decoder(model.encode(src_ids[None]))
    prompt = torch.tensor([bos_id], device=src_ids.device)
    limit = max_new_tokens or model.config.max_len - 1
    yield from generate_steps(decoder, prompt, limit, eos_id=eos_id, need_weights=need_weights, **options)


@torch.no_grad()
def translate_batch(
    model, src: torch.Tensor, bos_id: int, eos_id: int, max_new_tokens: int | None = None
) -> list[list[int]]:
    """Greedy translations of a padded batch of sources (B, S), all rows decoded together with one cache;
    each result stops before its <eos> (or at the length limit)."""
    decoder = model.decoder(model.encode(src))
    cache = decoder.new_cache()
    feed = torch.full((src.size(0), 1), bos_id, dtype=torch.long, device=src.device)  # (B, 1)
    finished = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    results: list[list[int]] = [[] for _ in range(src.size(0))]
    for _ in range(max_new_tokens or model.config.max_len - 1):
        scores = decoder(feed, cache=cache).logits[:, -1]  # (B, V)
        scores[:, model.config.pad_id] = float("-inf")  # padding is never text
        tokens = scores.argmax(-1)  # (B,)
        for row in (~finished & (tokens != eos_id)).nonzero()[:, 0].tolist():
            results[row].append(int(tokens[row]))
        finished |= tokens == eos_id
        if finished.all():
            break
        feed = tokens[:, None]
    return results


@dataclass
class ForcingComparison:
    teacher_forced: list[int]  # at each target position, the model's top token given the reference prefix
    free_running: list[int]  # the model's greedy translation, each output fed back in
    first_divergence: int | None  # first position where free running leaves the reference, if it does
    forward_passes: tuple[int, int]  # decoder passes: teacher forcing (1), free running (one per token)


@torch.no_grad()
def teacher_forcing_vs_free_running(
    model, src_ids: torch.Tensor, reference: list[int], bos_id: int, eos_id: int
) -> ForcingComparison:
    """Training reads the reference prefix at every position in one pass; inference must feed back its own
    outputs one pass per token. reference is the target without <bos>/<eos>."""
    memory = model.encode(src_ids[None])
    tgt = torch.tensor([[bos_id, *reference]], device=src_ids.device)  # (1, T)
    forced = model.decoder(memory)(tgt).logits[0].argmax(-1).tolist()  # position t predicts token t + 1
    free = translate_batch(model, src_ids[None], bos_id, eos_id)[0]
    divergence = next(
        (i for i, (a, b) in enumerate(zip(free + [eos_id], reference + [eos_id], strict=False)) if a != b), None
    )
    return ForcingComparison(forced, free, divergence, (1, len(free) + 1))


@dataclass
class AttentionMaps:
    cross: list  # per decoder layer (H, T, S): target position t (writing token t+1) over the source
    encoder: list | None  # per encoder layer (H, S, S), bidirectional; None for a recurrent encoder
    decoder: list | None  # per decoder layer (H, T, T), causal; None for a recurrent decoder


@torch.no_grad()
def attention_maps(model, src_ids: torch.Tensor, tgt_ids: torch.Tensor) -> AttentionMaps:
    """Every attention of one teacher-forced pass: source (S,), target <bos> y (T,)."""
    memory = model.encode(src_ids[None], need_weights=True)
    out = model.decoder(memory)(tgt_ids[None], need_weights=True)

    def per_layer(weights):
        return None if weights is None else [w[0].cpu().numpy() for w in weights]

    return AttentionMaps(
        per_layer(out.cross_attention), per_layer(memory.self_attention), per_layer(out.self_attention)
    )


def word_attention_maps(model, vocab, words: Sequence[str], target: Sequence[str]) -> AttentionMaps:
    """`attention_maps` for source words and target words (the model reads <bos> + target)."""
    device = _device(model)
    src = torch.tensor(vocab.encode(list(words)), device=device)
    return attention_maps(model, src, torch.tensor([vocab.bos_id, *vocab.encode(list(target))], device=device))


@dataclass
class EncodeDecodeTime:
    encoder: Timing  # the encoder's one pass over the source
    decoder: Timing  # the whole greedy decoding loop (with the cache): one decoder pass per target token
    steps: int  # decoder passes, <eos> included


def time_encode_decode(
    model, src_ids: torch.Tensor, bos_id: int, eos_id: int, repeats: int = 7, steps: int | None = None
) -> EncodeDecodeTime:
    """Median wall-clock of the encoder once and of the decoder's T steps for one source (S,), after warm-up,
    with device synchronisation. T: the greedy translation's length with its end token, unless given (the
    decoder runs T steps whatever it writes, so the time depends on S and T alone)."""
    device = src_ids.device
    memory = model.encode(src_ids[None])
    if steps is None:
        steps = len(translate_batch(model, src_ids[None], bos_id, eos_id)[0]) + 1

    @torch.no_grad()
    def decode():
        decoder, cache = model.decoder(memory), model.new_cache()
        feed = torch.tensor([[bos_id]], device=device)
        for _ in range(steps):
            feed = decoder(feed, cache=cache).logits[:, -1:].argmax(-1)  # (1, 1)

    encoder = measure(torch.no_grad()(lambda: model.encode(src_ids[None])), device, 2, repeats)
    return EncodeDecodeTime(encoder, measure(decode, device, 2, repeats), steps)


def greedy_decode(model, src: torch.Tensor, vocab: Vocab) -> list[list[int]]:
    """Autoregressive greedy translations of a padded batch (B, S)."""
    return translate_batch(model, src, vocab.bos_id, vocab.eos_id)


@torch.no_grad()
def translate_all(
    model, vocab: Vocab, sources, batch_size: int = 100, decode: Callable = greedy_decode
) -> list[list[str]]:
    """Translations of many sources, batched by similar length; `decode(model, src, vocab)` turns a padded
    batch (B, S) into token ids per row (autoregressive greedy unless told otherwise)."""
    model.eval()
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    out: list[list[str]] = [[] for _ in sources]
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        src = pad_rows([vocab.encode(sources[i]) for i in rows], vocab.pad_id).to(_device(model))
        for i, ids in zip(rows, decode(model, src, vocab), strict=True):
            out[i] = vocab.decode(ids)
    return out
