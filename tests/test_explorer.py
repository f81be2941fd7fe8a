"""The explorer: tiny random BERT, GPT-2 and T5 models saved to a folder, loaded as a user would load theirs
(library and page), with no download anywhere."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("transformers", reason="the explorer's extra (requirements-hf.txt) is not installed")

from seqviz.explorer import loading, tiny  # noqa: E402
from seqviz.explorer.loading import (  # noqa: E402
    ExplorerError,
    attention_maps,
    load_model,
    next_token,
    prompt_ids,
)
from seqviz.explorer.tiny import save_tiny_model  # noqa: E402
from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page  # noqa: E402

SENTENCE = "the black cat sees the small dogs"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("hf")
    return {kind: save_tiny_model(kind, root / kind) for kind in ("bert", "gpt2", "t5")}


def _rows_sum_to_one(attention: np.ndarray) -> bool:
    return bool(np.allclose(attention.sum(-1), 1.0, atol=1e-4))


def test_encoder_attention_is_bidirectional_and_labelled_by_its_tokens(folders):
    model = load_model(str(folders["bert"]))
    assert model.kind == "encoder" and model.parameters > 0
    maps = attention_maps(model, SENTENCE)
    assert maps.tokens == ["[CLS]", *SENTENCE.split(), "[SEP]"]
    assert maps.self_attention.shape == (2, 2, 9, 9) and _rows_sum_to_one(maps.self_attention)
    assert np.triu(maps.self_attention, 1).sum() > 1  # tokens attend to their right
    assert maps.cross_attention is None


def test_decoder_attention_is_causal_and_steps_give_a_distribution(folders):
    model = load_model(str(folders["gpt2"]))
    assert model.kind == "decoder"
    maps = attention_maps(model, SENTENCE)
    assert maps.tokens == SENTENCE.split()
    assert np.allclose(np.triu(maps.self_attention, 1), 0) and _rows_sum_to_one(maps.self_attention)
    step = next_token(model, prompt_ids(model, "the cat"), k=5)
    assert step.tokens == ["the", "cat"] and len(step.top_tokens) == 5
    assert step.top_probs == sorted(step.top_probs, reverse=True) and abs(step.last_row.sum() - 1) < 1e-4


def test_encoder_decoder_shows_encoder_decoder_and_cross_attention(folders):
    model = load_model(str(folders["t5"]))
    assert model.kind == "encoder-decoder"
    maps = attention_maps(model, SENTENCE, max_new_tokens=6)
    source, target = len(maps.tokens), len(maps.target_tokens)
    assert maps.tokens[-1] == "</s>" and 2 <= target <= 7
    assert maps.cross_attention.shape == (2, 2, target, source) and _rows_sum_to_one(maps.cross_attention)
    assert maps.decoder_attention.shape == (2, 2, target, target)
    assert np.allclose(np.triu(maps.decoder_attention, 1), 0)
    with pytest.raises(ExplorerError, match="decoder-only"):
        next_token(model, [1, 2], 3)


@pytest.mark.parametrize(
    "source, reason",
    [
        ("", "enter a model"),
        ("does/not-exist-here", "offline"),
        ("bad name!", "neither a folder"),
    ],
)
def test_bad_sources_get_a_reason(monkeypatch, source, reason):
    monkeypatch.setattr(loading, "online", lambda *a, **k: False)
    with pytest.raises(ExplorerError, match=reason):
        load_model(source)


def test_a_folder_without_a_model_or_a_file_is_refused(tmp_path):
    with pytest.raises(ExplorerError, match="no config.json"):
        load_model(str(tmp_path))
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(ExplorerError, match="is a file"):
        load_model(str(tmp_path / "weights.bin"))


def test_the_command_saves_three_tiny_models_the_page_can_load(tmp_path, capsys):
    assert tiny.main(["--tiny", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bert", "gpt2", "t5"]
    assert load_model(str(tmp_path / "gpt2")).kind == "decoder"


def test_long_input_is_cut_and_said(folders):
    model = load_model(str(folders["bert"]))
    maps = attention_maps(model, " ".join(["the cat"] * 60))
    assert maps.truncated and len(maps.tokens) == loading.MAX_TOKENS


@pytest.mark.parametrize("kind, views", [("bert", 1), ("gpt2", 3), ("t5", 3)])
def test_page_loads_each_kind_and_draws_its_attention(folders, kind, views):
    at = open_page("pages/16_Explorer.py")
    assert "Enter a model folder" in all_text(at)
    at.text_input(key="hf_source").set_value(str(folders[kind])).run()
    assert not at.exception, at.exception
    assert "Loaded" in all_text(at)
    assert assert_figures_export(at, "explorer") >= views
    if kind == "gpt2":
        before = len(at.markdown)
        at.button(key="hf_next").click().run()
        assert not at.exception and len(at.markdown) == before
        at.radio(key="hf_self_view").set_value("ae_all_heads").run()
        assert not at.exception


def test_page_says_why_a_model_cannot_be_loaded(tmp_path):
    at = open_page("pages/16_Explorer.py", lang="zh")
    at.text_input(key="hf_source").set_value(str(tmp_path)).run()
    assert not at.exception
    assert "无法加载模型" in all_text(at) + "".join(e.value for e in at.error)
