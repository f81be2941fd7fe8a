import json

import pytest
import torch

from seqviz.data.vocab import Vocab
from seqviz.models.autoencoding import MaskedLM
from seqviz.models.autoregressive import CausalLM
from seqviz.models.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from seqviz.models.layers import ModelConfig


@pytest.mark.parametrize("cls", [MaskedLM, CausalLM])
@pytest.mark.parametrize("half", [False, True])
def test_checkpoint_round_trip(tmp_path, cls, half):
    vocab = Vocab(["the", "cat", "sleeps"])
    torch.manual_seed(0)
    model = cls(ModelConfig(vocab_size=len(vocab), d_model=16, n_heads=2, n_layers=1, d_ff=32, max_len=8)).eval()
    save_checkpoint(tmp_path / "m", Checkpoint(model, vocab, {"token_accuracy": 0.5}, {"steps": 3}), half=half)
    loaded = load_checkpoint(tmp_path / "m")
    assert type(loaded.model) is cls and not loaded.model.training
    assert loaded.vocab.to_dict() == vocab.to_dict()
    assert loaded.metrics == {"token_accuracy": 0.5} and loaded.recipe == {"steps": 3}
    ids = torch.tensor([[1, 8, 9, 10, 2]])
    with torch.no_grad():
        a, b = model(ids).logits, loaded.model(ids).logits
    assert torch.allclose(a, b, atol=2e-2 if half else 1e-6)
    for original, restored in zip(model.state_dict().values(), loaded.model.state_dict().values(), strict=True):
        assert torch.allclose(original, restored, atol=1e-3 if half else 0)


def test_unknown_architecture_is_refused(tmp_path):
    vocab = Vocab(["a"])
    model = MaskedLM(ModelConfig(vocab_size=len(vocab), d_model=8, n_heads=2, n_layers=1, d_ff=8, max_len=4))
    save_checkpoint(tmp_path, Checkpoint(model, vocab))
    config = json.loads((tmp_path / "config.json").read_text())
    config["architecture"] = "os.system"
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="unknown architecture"):
        load_checkpoint(tmp_path)
