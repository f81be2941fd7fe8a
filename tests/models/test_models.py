import pytest
import torch

from seqviz.models.autoencoding import IGNORE, MaskedLM, masked_lm_corruption
from seqviz.models.autoregressive import CausalLM
from seqviz.models.layers import POSITION_KINDS, ModelConfig

VOCAB = 40


def _model(cls, positions="learned", seed=0):
    torch.manual_seed(seed)
    return cls(
        ModelConfig(vocab_size=VOCAB, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=16, positions=positions)
    ).eval()


def _ids(t=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(8, VOCAB, (2, t), generator=g)


@pytest.mark.parametrize("positions", POSITION_KINDS)
def test_causal_logits_ignore_the_future_bidirectional_do_not(positions):
    ids = _ids()
    changed = ids.clone()
    changed[:, 5:] = (changed[:, 5:] + 1 - 8) % (VOCAB - 8) + 8  # change every token after position 4
    causal, bidirectional = _model(CausalLM, positions), _model(MaskedLM, positions)
    with torch.no_grad():
        a, b = causal(ids).logits, causal(changed).logits
        assert torch.allclose(a[:, :5], b[:, :5], atol=1e-5)
        assert not torch.allclose(a[:, 5:], b[:, 5:], atol=1e-3)
        c, d = bidirectional(ids).logits, bidirectional(changed).logits
        assert not torch.allclose(c[:, :5], d[:, :5], atol=1e-3)


@pytest.mark.parametrize("cls", [MaskedLM, CausalLM])
def test_fast_path_matches_attention_capture(cls):
    model, ids = _model(cls), _ids()
    ids[1, 6:] = 0  # padding
    with torch.no_grad():
        fast, explicit = model(ids), model(ids, need_weights=True)
    assert fast.self_attention is None
    assert torch.allclose(fast.logits, explicit.logits, atol=1e-5)
    assert len(explicit.self_attention) == 2
    assert explicit.self_attention[0].shape == (2, 4, 8, 8)
    assert (explicit.self_attention[1][1, :, :, 6:] == 0).all()  # padded keys get no weight


def test_forward_stores_nothing_on_the_module():
    model, ids = _model(MaskedLM), _ids()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    attrs = set(vars(model))
    with torch.no_grad():
        model(ids, need_weights=True)
    assert set(vars(model)) == attrs
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_losses_are_finite_and_ignore_unlabelled_positions():
    ids = _ids()
    labels = torch.full_like(ids, IGNORE)
    labels[:, 2] = ids[:, 2]
    assert torch.isfinite(_model(MaskedLM)(ids, labels).loss)
    assert torch.isfinite(_model(CausalLM)(ids, ids).loss)


def test_too_long_input_is_a_clear_error():
    with pytest.raises(ValueError, match="longer than the model's maximum"):
        _model(CausalLM)(torch.ones(1, 17, dtype=torch.long))


def test_bert_corruption_rule():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(8, VOCAB, (400, 50), generator=g)
    maskable = torch.ones_like(ids, dtype=torch.bool)
    maskable[:, 0] = False
    corrupted, labels = masked_lm_corruption(ids, 4, maskable, torch.arange(8, VOCAB), g)
    chosen = labels != IGNORE
    assert not chosen[:, 0].any()
    assert 0.13 < chosen.float().mean() < 0.17
    as_mask = (corrupted == 4) & chosen
    unchanged = (corrupted == ids) & chosen
    assert 0.77 < as_mask.sum() / chosen.sum() < 0.83
    assert 0.08 < unchanged.sum() / chosen.sum() < 0.14  # 10% kept + random draws that hit the same token
    assert torch.equal(corrupted[~chosen], ids[~chosen])
