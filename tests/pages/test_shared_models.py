"""Models cached with st.cache_resource are shared by every session: a session that fine-tunes, trains or
generates must leave their parameters exactly as they were (live training works on a session's copy)."""

from __future__ import annotations

import hashlib

from seqviz.training.recipes import RECIPES
from tests.pages.apptest_helpers import open_page


def _fingerprint(ckpt) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(ckpt.model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def test_a_session_that_trains_leaves_the_shared_models_untouched(monkeypatch):
    from seqviz.ui import charlm
    from seqviz.ui.models import builtin_model

    train = charlm._train_both
    monkeypatch.setattr(charlm, "_train_both", lambda ctx, text, seconds: train(ctx, text, 2))  # 2 s, not 10–60
    shared = {name: builtin_model(name, "cpu") for name in RECIPES}  # the objects every page gets
    before = {name: _fingerprint(ckpt) for name, ckpt in shared.items()}

    autoencoding = open_page("pages/3_Autoencoding.py")
    next(b for b in autoencoding.button if b.label == "Fine-tune both").click().run()
    assert not autoencoding.exception, autoencoding.exception
    assert "ae_finetune" in autoencoding.session_state  # the fine-tuning ran and its curves are kept

    autoregressive = open_page("pages/5_Autoregressive.py")
    for _ in range(3):
        autoregressive.button(key="ar_next").click().run()
    autoregressive.button(key="char_train").click().run()
    assert not autoregressive.exception, autoregressive.exception
    assert autoregressive.session_state["char_models"]  # the session's own trained models

    for script in ("pages/7_Seq2Seq.py", "pages/8_Parallel.py", "pages/2_Masks.py"):
        assert not open_page(script).exception
    for name, ckpt in shared.items():
        assert builtin_model(name, "cpu") is ckpt, f"{name} was loaded again: the check would prove nothing"
        assert _fingerprint(ckpt) == before[name], f"a session changed the shared {name}"
        assert not any(p.requires_grad for p in ckpt.model.parameters()), name


def _arrays(value):
    """Every numpy array inside a result: in its fields, lists, tuples and mappings."""
    import numpy as np

    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, (list, tuple)):
        for part in value:
            yield from _arrays(part)
    elif hasattr(value, "values") and callable(value.values):
        for part in value.values():
            yield from _arrays(part)
    elif hasattr(value, "__dataclass_fields__"):
        for field in value.__dataclass_fields__:
            yield from _arrays(getattr(value, field))


def test_what_a_section_computes_from_its_input_is_one_read_only_object_for_every_session():
    """The fusion, recurrent and seq2seq sections compute from the input alone once per server: the second
    session asking gets the very object the first got, and its arrays refuse writes."""
    import random

    import pytest

    from seqviz.data.facts import held_out_combinations, random_world
    from seqviz.ui import recurrent, seq2seq
    from seqviz.ui.fusions import retro, t5, unilm, xlnet
    from seqviz.ui.models import builtin_model

    words = tuple("the cats that the dog sees sleep".split())
    translator = builtin_model("toy_transformer_mt", "cpu")
    places = random_world(random.Random(1), held_out_combinations()).places
    computed = {
        "unilm": lambda: unilm._unilm_run("cpu", "seq2seq", ("the", "black", "cat", "sleeps")),
        "xlnet": lambda: xlnet._probs_in_order("cpu", words, tuple(range(len(words) + 1))),
        "t5": lambda: t5._answered("cpu", "translate", ("the", "black", "cat", "sleeps")),
        "retro": lambda: retro._read("cpu", places, 0, "retrieved"),
        "recurrent": lambda: recurrent._units("cpu", "toy_lstm_lm", words, 0),
        "seq2seq": lambda: seq2seq._attention(
            translator.model, "mt:cpu", words[:3], ("les", "chats"), translator.vocab
        ),
    }
    for name, compute in computed.items():
        first = compute()
        assert compute() is first, f"{name}: computed again for the same input"
        arrays = list(_arrays(first))
        assert arrays, name
        for array in arrays:
            with pytest.raises(ValueError, match="read-only"):
                array.flat[0] = 1.0
    assert unilm._unilm_run("cpu", "seq2seq", ("the", "black", "cat", "sleeps")).attention.ndim == 4
