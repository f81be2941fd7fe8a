"""The recall models (recurrent and Transformer, every positions kind): no output at a position t reads a token
after t — changing the tokens after t never changes the logits at t or before, on the shipped weights and on
sequences as long as the longest question (L = 256)."""

from __future__ import annotations

import pytest
import torch

from seqviz.data.recall import MAX_DISTANCE, PAIRS, recall_sequences, recall_vocab
from seqviz.models.checkpoint import load_builtin
from seqviz.training.recall_evaluation import RECALL_MODELS


@pytest.mark.parametrize("name", list(RECALL_MODELS))
@pytest.mark.parametrize("cut", [1, 9, 40, MAX_DISTANCE])
def test_changing_tokens_after_t_never_changes_the_outputs_up_to_t(name, cut):
    model = load_builtin(name).model
    vocab = recall_vocab()
    generator = torch.Generator().manual_seed(cut)
    ids = recall_sequences(MAX_DISTANCE, 2, vocab, generator)  # (2, 256 + 2·pairs)
    assert ids.size(1) == MAX_DISTANCE + 2 * PAIRS
    changed = ids.clone()
    later = changed[:, cut + 1 :]
    changed[:, cut + 1 :] = torch.tensor(vocab.regular_ids)[torch.randint(len(vocab.regular_ids), later.shape)]
    with torch.no_grad():
        before, after = model(ids).logits, model(changed).logits
    assert torch.allclose(before[:, : cut + 1], after[:, : cut + 1], atol=1e-5)
    assert not torch.allclose(before[:, cut + 1 :], after[:, cut + 1 :], atol=1e-5)  # the later ones do change
