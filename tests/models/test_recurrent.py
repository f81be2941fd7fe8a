"""The recurrent language models (plain RNN, LSTM, GRU): the step-by-step unroll is the fused forward, a
step never sees a later token, the gradient norms are the loss's true derivatives (finite differences),
and the LSTM's gates are readable."""

from __future__ import annotations

import pytest
import torch
from torch.nn import functional as F

from seqviz.explain.reach import gradient_reach, reach_per_step
from seqviz.models.autoregressive import CausalLM
from seqviz.models.layers import ModelConfig
from seqviz.models.recurrent import GRULM, LSTMLM, TanhRNNLM

MODELS = (TanhRNNLM, LSTMLM, GRULM)


def tiny(cls, layers: int = 2, width: int = 16):
    torch.manual_seed(0)
    return cls(ModelConfig(vocab_size=20, d_model=width, n_heads=1, n_layers=layers, max_len=100)).double().eval()


@pytest.mark.parametrize("cls", MODELS)
def test_the_unrolled_steps_compute_what_the_fused_recurrence_does(cls):
    model = tiny(cls)
    ids = torch.randint(1, 20, (3, 9))
    fused, unrolled = model(ids).logits, model.unroll(ids)
    assert torch.allclose(fused, unrolled.logits, atol=1e-10)
    assert len(unrolled.states) == 9 and len(unrolled.states[0]) == 2 and unrolled.states[0][0].shape == (3, 16)


@pytest.mark.parametrize("cls", MODELS)
def test_a_step_never_sees_a_later_token(cls):
    model = tiny(cls)
    ids = torch.randint(1, 20, (1, 10))
    changed = ids.clone()
    changed[0, 6:] = (changed[0, 6:] % 19) + 1  # every token from position 6 on is another
    before, after = model(ids).logits, model(changed).logits
    assert torch.equal(before[0, :6], after[0, :6])
    assert not torch.allclose(before[0, 6:], after[0, 6:])


@pytest.mark.parametrize("cls", MODELS)
@pytest.mark.parametrize("k", [0, 1, 4])
def test_the_gradient_norms_are_the_losses_derivatives_by_finite_differences(cls, k):
    model, t = tiny(cls), 6
    ids = torch.randint(1, 20, (9,))
    norms = gradient_reach(model, ids, t)
    assert len(norms) == t + 1 and all(n >= 0 for n in norms)

    def loss(unrolled) -> torch.Tensor:
        return F.cross_entropy(unrolled.logits[0, t], ids[t + 1])

    # along the gradient's own direction the directional derivative is the gradient's norm
    unrolled = model.unroll(ids[None])
    grads = torch.autograd.grad(loss(unrolled), unrolled.states[t - k])
    direction = [g / torch.cat([x.flatten() for x in grads]).norm() for g in grads]
    eps = 1e-6
    with torch.no_grad():
        ahead = loss(model.unroll(ids[None], {t - k: [eps * d for d in direction]}))
        behind = loss(model.unroll(ids[None], {t - k: [-eps * d for d in direction]}))
    assert float((ahead - behind) / (2 * eps)) == pytest.approx(norms[k], rel=1e-5, abs=1e-9)


def test_a_step_without_a_next_token_is_refused():
    with pytest.raises(ValueError):
        gradient_reach(tiny(GRULM), torch.randint(1, 20, (5,)), 4)


def test_the_lstm_shows_its_gates_and_the_others_have_none():
    ids = torch.randint(1, 20, (2, 7))
    gates = tiny(LSTMLM).unroll(ids).gates
    assert len(gates) == 2 and set(gates[0]) == {"input", "forget", "output"}
    for layer in gates:
        for values in layer.values():
            assert values.shape == (2, 7, 16) and bool(((values > 0) & (values < 1)).all())
    assert tiny(GRULM).unroll(ids).gates == [] and tiny(TanhRNNLM).unroll(ids).cells == []


@pytest.mark.parametrize("k", [0, 3, 6])
def test_the_transformers_reach_is_its_losss_derivative_at_the_first_blocks_input(k):
    torch.manual_seed(0)
    model = CausalLM(ModelConfig(vocab_size=20, d_model=16, n_heads=2, n_layers=2, max_len=16)).double().eval()
    ids, t = torch.randint(1, 20, (9,)), 6
    norms = gradient_reach(model, ids, t)
    assert len(norms) == t + 1 and all(n > 0 for n in norms)  # one attention step reaches every earlier word

    def loss(shift: torch.Tensor | None) -> torch.Tensor:
        def nudge(_, args):
            x = args[0].clone()
            x[0, t - k] += shift
            return (x, *args[1:])

        hook = model.decoder.blocks[0].register_forward_pre_hook(nudge) if shift is not None else None
        try:
            return F.cross_entropy(model(ids[None]).logits[0, t], ids[t + 1])
        finally:
            if hook is not None:
                hook.remove()

    eps, basis = 1e-6, torch.eye(16, dtype=torch.float64)
    with torch.no_grad():  # the whole gradient, one coordinate at a time, by central differences
        partials = torch.stack([(loss(eps * e) - loss(-eps * e)) / (2 * eps) for e in basis])
    assert float(partials.norm()) == pytest.approx(norms[k], rel=1e-5)


@pytest.mark.parametrize("cls", (*MODELS, CausalLM))
def test_frozen_shared_weights_give_the_same_reach_and_stay_untouched(cls):
    model = tiny(cls) if cls is not CausalLM else CausalLM(ModelConfig(vocab_size=20, d_model=16, n_heads=2)).eval()
    ids = torch.randint(1, 20, (8,))
    trainable = gradient_reach(model, ids, 6)
    for parameter in model.parameters():  # as the pages' shared models are
        parameter.requires_grad_(False)
    with torch.no_grad():  # even inside a caller's no_grad
        frozen = gradient_reach(model, ids, 6)
    assert frozen == pytest.approx(trainable, rel=1e-6)
    assert all(p.grad is None and not p.requires_grad for p in model.parameters())


@pytest.mark.parametrize("a", [0.5, 0.9])
def test_the_reach_per_step_of_a_linear_recurrence_is_its_factor(a):
    """h_t = tanh(a·h_(t−1)) around h = 0 (zero inputs, zero biases) has ∂h_t/∂h_(t−1) = a·I exactly: the
    gradient shrinks by a per step back, and reach_per_step says a."""
    model = tiny(TanhRNNLM, layers=1)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.zero_()
        model.rnn.weight_hh_l0.copy_(a * torch.eye(16))
        model.head.weight.normal_()
    assert reach_per_step(model, [torch.arange(1, 13), torch.arange(3, 10)]) == pytest.approx(a, abs=1e-4)
