import torch

from seqviz.models.autoregressive import CausalLM
from seqviz.models.layers import ModelConfig
from seqviz.training.loop import learning_rate_at, train_loop


def _task():
    """Learn to repeat a fixed cycle of tokens: a causal LM should drive its loss near zero."""
    cycle = torch.tensor([3, 4, 5, 6, 7])

    def next_batch(generator):
        starts = torch.randint(0, 5, (16,), generator=generator)
        ids = torch.stack([cycle.roll(-int(s)).repeat(2) for s in starts])  # (16, 10)
        return {"ids": ids, "labels": ids}

    return next_batch


def _model():
    torch.manual_seed(0)
    return CausalLM(ModelConfig(vocab_size=8, d_model=32, n_heads=2, n_layers=1, d_ff=64, max_len=16, dropout=0.0))


def test_training_learns_and_reports_progress():
    seen = []
    losses = train_loop(_model(), _task(), steps=150, lr=3e-3, seed=0, callback=seen.append, warmup=10)
    assert len(losses) == 150 and [p.step for p in seen] == list(range(1, 151))
    assert losses[-1] < 0.2 < losses[0]


def test_training_is_seeded():
    a = train_loop(_model(), _task(), steps=20, seed=3)
    b = train_loop(_model(), _task(), steps=20, seed=3)
    assert a == b


def test_callback_can_stop_training():
    losses = train_loop(_model(), _task(), steps=100, callback=lambda p: p.step < 7)
    assert len(losses) == 7


def test_learning_rate_schedule():
    assert learning_rate_at(0, 100, 1.0, 10) == 0.1
    assert learning_rate_at(10, 100, 1.0, 10) == 1.0
    assert abs(learning_rate_at(100, 100, 1.0, 10) - 0.1) < 1e-9


def test_an_untrained_model_is_the_recipes_start_and_leaves_the_callers_generator_alone():
    from seqviz.data.toy import en_vocab
    from seqviz.training.builtin import build_model, untrained_model
    from seqviz.training.recipes import RECIPES

    vocab = en_vocab()
    torch.manual_seed(123)
    before = torch.rand(3)
    torch.manual_seed(123)
    model = untrained_model("toy_rnn_lm", vocab)
    assert torch.equal(torch.rand(3), before)  # as if no model had been built
    assert not model.training
    reference = build_model(RECIPES["toy_rnn_lm"], vocab)
    weights, reference_weights = model.state_dict(), reference.state_dict()
    assert weights.keys() == reference_weights.keys()
    assert all(torch.equal(weights[name], reference_weights[name]) for name in weights)
