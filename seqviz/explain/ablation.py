"""Head ablation: switch off any attention heads of a built-in model and measure what it loses on held-out
data. Heads are named (stack, layer, head) — "encoder", "decoder" (self-attention) or "cross" for a
translator; "encoder" for the masked LM; "decoder" for a causal LM — and switched off through
`models.layers.ablated_heads`, which changes nothing shared: only the forward passes inside it, in this thread,
run without them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch

from ..data.toy import check_translation
from ..decoding.seq2seq import translate_all
from ..models.layers import ablated_heads

Head = tuple[str, int, int]  # (stack, layer, head), 0-based


def attention_modules(model) -> dict[str, list[torch.nn.Module]]:
    """The attention modules of a Transformer translator, an encoder-only LM or a causal LM, per stack and layer."""
    if hasattr(model, "decoder_stack"):
        return {
            "encoder": [b.self_attn for b in model.encoder.blocks],
            "decoder": [b.self_attn for b in model.decoder_stack.blocks],
            "cross": [b.cross_attn for b in model.decoder_stack.blocks],
        }
    if not hasattr(model, "encoder"):  # a causal LM (CausalLM): its one stack is the decoder
        return {"decoder": [b.self_attn for b in model.decoder.blocks]}
    return {"encoder": [b.self_attn for b in model.encoder.blocks]}


def switched_off(model, heads: Iterable[Head]) -> dict[torch.nn.Module, list[int]]:
    modules = attention_modules(model)
    out: dict[torch.nn.Module, list[int]] = {}
    for stack, layer, head in heads:
        out.setdefault(modules[stack][layer], []).append(head)
    return out


def without_heads(model, heads: Iterable[Head], measure: Callable[[], float]) -> float:
    """measure() (any held-out score of the model) with the given heads switched off."""
    with ablated_heads(switched_off(model, heads)):
        return measure()


def translation_accuracy(model, vocab, pairs, heads: Iterable[Head] = ()) -> float:
    """Exact match (by the toy checker) of greedy translations with the given heads switched off."""

    def exact_match() -> float:
        outputs = translate_all(model, vocab, [source for source, _ in pairs])
        return sum(check_translation(s, out) for (s, _), out in zip(pairs, outputs, strict=True)) / len(pairs)

    return without_heads(model, heads, exact_match)


def ablation_map(measure: Callable[[list[Head]], float], model, stack: str) -> np.ndarray:
    """The drop of `measure(heads switched off)` when each single head of one stack is switched off:
    (layers, heads), baseline − ablated."""
    base = measure([])
    layers = attention_modules(model)[stack]
    drops = np.zeros((len(layers), layers[0].n_heads))
    for layer in range(len(layers)):
        for head in range(layers[0].n_heads):
            drops[layer, head] = base - measure([(stack, layer, head)])
    return drops
