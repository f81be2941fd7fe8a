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

    autoregressive = open_page("pages/4_Autoregressive.py")
    for _ in range(3):
        autoregressive.button(key="ar_next").click().run()
    autoregressive.button(key="char_train").click().run()
    assert not autoregressive.exception, autoregressive.exception
    assert autoregressive.session_state["char_models"]  # the session's own trained models

    for script in ("pages/6_Seq2Seq.py", "pages/7_Parallel.py", "pages/2_Masks.py"):
        assert not open_page(script).exception
    for name, ckpt in shared.items():
        assert builtin_model(name, "cpu") is ckpt, f"{name} was loaded again: the check would prove nothing"
        assert _fingerprint(ckpt) == before[name], f"a session changed the shared {name}"
        assert not any(p.requires_grad for p in ckpt.model.parameters()), name
