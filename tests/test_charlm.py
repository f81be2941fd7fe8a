import io
import math
import os
import pickle
import zipfile

import pytest
import torch

from seqviz.models.checkpoint import load_builtin, save_checkpoint
from seqviz.training.charlm import (
    ATTENTION_CHARS,
    KINDS,
    WINDOW,
    from_bytes,
    sample,
    to_bytes,
    train_char_model,
    window_attention,
)

TEXT = "the cat sleeps. the dog runs. 小猫睡觉。小狗跑步。\n" * 40


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_char_model_loss_falls_and_round_trips_through_bytes(kind):
    ckpt = train_char_model(TEXT, kind, seconds=math.inf, max_steps=30, seed=0)  # 30 steps, however slow
    losses = ckpt.metrics["losses"]
    assert len(losses) == 30 and sum(losses[-10:]) / 10 < 0.6 * sum(losses[:10]) / 10
    assert "猫" in ckpt.vocab and ckpt.vocab.kind == "char"
    text = sample(ckpt, "the ", 30, temperature=0.8, seed=1)
    assert isinstance(text, str) and len(text) > 0
    loaded = from_bytes(to_bytes(ckpt))
    assert type(loaded.model) is type(ckpt.model)
    assert sample(loaded, "the ", 30, temperature=0.8, seed=1) == text
    long = sample(ckpt, "the ", 3 * WINDOW, temperature=0.8, seed=1)  # the Transformer's window slides
    assert len(long) >= 2 * WINDOW  # (specials, never text, may take a few of the steps)


def test_too_short_or_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="at least"):
        train_char_model("short", "gru")
    with pytest.raises(ValueError, match="kind must be"):
        train_char_model(TEXT, "lstm")


class _Payload:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_hostile_model_files_are_refused_without_running_anything(tmp_path):
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_Payload(marker))
    with pytest.raises(ValueError, match="not a seqviz model file"):
        from_bytes(crafted)
    # the same pickle inside a zip that looks like a checkpoint
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model.safetensors", crafted)
        archive.writestr("config.json", '{"architecture": "CausalLM"}')
        archive.writestr("metrics.json", "{}")
    with pytest.raises(ValueError, match="could not be loaded"):
        from_bytes(buffer.getvalue())
    assert not marker.exists()
    with pytest.raises(ValueError, match="exactly"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("evil.pkl", crafted)
        from_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="larger than"):
        from_bytes(b"0" * (21 * 1024 * 1024))


def test_a_word_model_is_refused_by_the_character_page(tmp_path):
    save_checkpoint(tmp_path / "m", load_builtin("toy_clm"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("model.safetensors", "config.json", "metrics.json"):
            archive.write(tmp_path / "m" / name, name)
    with pytest.raises(ValueError, match="another page"):
        from_bytes(buffer.getvalue())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_512_character_prompts_and_continuations(kind):
    """Long inputs: a 600-character prompt (longer than the Transformer's window) and 512 new characters."""
    ckpt = train_char_model(TEXT, kind, seconds=math.inf, max_steps=5, seed=0)
    prompt = (TEXT * 2)[:600]
    text = sample(ckpt, prompt, 512, temperature=0.8, seed=2)
    assert 400 <= len(text) <= 512  # a barely trained model also draws specials, which are never text


def test_window_attention_over_512_characters_is_the_band_the_model_sees():
    """Row t is what character t attended to as the model read it with its sliding window: a distribution
    over the window ending at t, zero outside it, equal to running the model on that window alone."""
    ckpt = train_char_model(TEXT, "transformer", seconds=math.inf, max_steps=5, seed=0)
    text = (TEXT * 2)[:700]
    chars, weights = window_attention(ckpt, text, layer=1)
    span = ckpt.model.config.max_len
    assert chars == list(text[-ATTENTION_CHARS:]) and weights.shape == (ATTENTION_CHARS, ATTENTION_CHARS)
    assert torch.allclose(weights.sum(1), torch.ones(ATTENTION_CHARS), atol=1e-5)
    rows, cols = torch.meshgrid(torch.arange(ATTENTION_CHARS), torch.arange(ATTENTION_CHARS), indexing="ij")
    assert (weights[(cols > rows) | (cols <= rows - span)] == 0).all()
    for t in (3, span - 1, span, 300, ATTENTION_CHARS - 1):
        window = torch.tensor(ckpt.vocab.encode("".join(chars[max(0, t - span + 1) : t + 1])))
        with torch.no_grad():
            alone = ckpt.model(window[None], need_weights=True).self_attention[1].mean(1)[0, -1]
        assert torch.allclose(weights[t, max(0, t - span + 1) : t + 1], alone, atol=1e-5), t
    gru = train_char_model(TEXT, "gru", seconds=math.inf, max_steps=2, seed=0)
    with pytest.raises(ValueError, match="GRU"):
        window_attention(gru, text)
