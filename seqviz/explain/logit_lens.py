"""The logit lens (nostalgebraist 2020): every layer's hidden state decoded through the model's own final
norm and output head, as if the network stopped there. It shows when a model's answer appears — for a
causal LM the next token, for a masked LM the word under [MASK], for a translator the next French word —
and what it was on the way. It assumes the intermediate states live in the same space as the last one,
which the residual stream makes roughly true in pre-norm Transformers and nothing guarantees."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..models.inputs import encode_pairs
from ..models.layers import recorded_states


@dataclass(frozen=True)
class Lens:
    probabilities: torch.Tensor  # (L + 1, T, V): layer 0 is the embeddings, layer L the model's output
    final: torch.Tensor  # (T,) the token the whole model ranks first at each position

    @property
    def top(self) -> torch.Tensor:
        """The top token of each layer at each position. (L + 1, T)"""
        return self.probabilities.argmax(-1)

    @property
    def final_probability(self) -> torch.Tensor:
        """By layer, the probability each position gives the model's final answer. (L + 1, T)"""
        return self.probabilities.gather(-1, self.final.expand(self.probabilities.size(0), -1)[..., None])[..., 0]


def _lens(stack, head, states: list[torch.Tensor]) -> Lens:
    logits = torch.stack([head(stack.norm(h))[0] for h in states])  # (L + 1, T, V): one sentence
    probabilities = logits.softmax(-1)
    return Lens(probabilities.cpu(), probabilities[-1].argmax(-1).cpu())


@torch.no_grad()
def language_model_lens(model, ids: torch.Tensor) -> Lens:
    """A causal LM (model.decoder) or a masked LM (model.encoder) reading ids (1, T)."""
    stack = model.decoder if hasattr(model, "decoder") else model.encoder
    with recorded_states() as recorded:
        model(ids)
    return _lens(stack, model.head, recorded[stack])


@torch.no_grad()
def translator_lens(model, vocab, source, target) -> Lens:
    """A Transformer translator's decoder, teacher-forced on <bos> target <eos> for the source words."""
    batch = encode_pairs([(source, target)], vocab)
    device = next(model.parameters()).device
    with recorded_states() as recorded:
        model(batch["src"].to(device), batch["tgt"].to(device))
    return _lens(model.decoder_stack, model.head, recorded[model.decoder_stack])
