"""What switching off attention heads costs the built-in models, on held-out data: the measures the
"Inside the models" page runs live, and the per-head drop maps recorded with the checkpoints.

- the translator (toy_transformer_mt): exact match of greedy translations (the toy checker) on the first
  ABLATION_PAIRS test pairs, heads of the encoder, the decoder's self-attention or the cross-attention;
- the masked LM (toy_mlm): right-context agreement (where only the words after a noun decide its number)
  on the right-context sites of the first ABLATION_SENTENCES test sentences, and how often filling 1–3
  masked words at once gives a sentence the checker accepts, on the same sentences.
"""

from __future__ import annotations

from collections.abc import Callable

from ..explain.ablation import Head, ablation_map, attention_modules, translation_accuracy, without_heads
from .evaluation import evaluate_fill, right_context_agreement, right_context_items

ABLATION_PAIRS, ABLATION_SENTENCES = 100, 200
Measure = Callable[[list[Head]], float]


def translator_measures(model, vocab, test_pairs) -> dict[str, Measure]:
    pairs = test_pairs[:ABLATION_PAIRS]
    return {"exact_match": lambda heads: translation_accuracy(model, vocab, pairs, heads)}


def masked_lm_measures(model, vocab, test_sentences) -> dict[str, Measure]:
    sentences = test_sentences[:ABLATION_SENTENCES]
    items = right_context_items(sentences)

    def agreement(heads: list[Head]) -> float:
        return without_heads(model, heads, lambda: right_context_agreement(model, vocab, items, "mlm"))

    def fill(heads: list[Head]) -> float:
        return without_heads(model, heads, lambda: evaluate_fill(model, vocab, sentences)["fill_grammatical_parallel"])

    return {"right_context_agreement": agreement, "fill_grammatical": fill}


def head_ablation_maps(model, measures: dict[str, Measure]) -> dict:
    """{measure: {stack: drops (layers × heads) as lists}, "baseline": {measure: value}}: each single head
    switched off in turn."""
    stacks = list(attention_modules(model))
    maps = {name: {s: ablation_map(m, model, s).round(4).tolist() for s in stacks} for name, m in measures.items()}
    return {**maps, "baseline": {name: round(m([]), 4) for name, m in measures.items()}}
