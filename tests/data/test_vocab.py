import json

import pytest

from seqviz.data.chars import CharVocab
from seqviz.data.vocab import SPECIALS, Vocab


def test_specials_come_first_in_fixed_order():
    v = Vocab(["b", "a"])
    assert v.tokens[:8] == SPECIALS
    ids = (v.pad_id, v.bos_id, v.eos_id, v.unk_id, v.mask_id, v.cls_id, v.sep_id, v.blank_id)
    assert ids == tuple(range(8))
    assert v.special_ids == frozenset(range(8))
    assert v.regular_ids == [8, 9]
    assert v.token(8) == "b" and v.id("a") == 9


def test_tokens_deduplicated_in_first_seen_order_and_specials_not_repeated():
    v = Vocab(["x", "y", "x", "<pad>", "z"])
    assert v.tokens[8:] == ("x", "y", "z")
    assert len(v) == 11
    assert "y" in v and "w" not in v


def test_encode_decode_round_trip_and_unknown():
    v = Vocab(["the", "cat", "sleeps"])
    ids = v.encode(["the", "cat", "sleeps"])
    assert v.decode(ids) == ["the", "cat", "sleeps"]
    assert v.encode(["the", "dog"]) == [v.id("the"), v.unk_id]
    with_specials = [v.bos_id, *ids, v.eos_id, v.pad_id]
    assert v.decode(with_specials)[0] == "<bos>"
    assert v.decode(with_specials, skip_specials=True) == ["the", "cat", "sleeps"]


def test_decode_accepts_numpy_and_torch_ids():
    np = pytest.importorskip("numpy")
    v = Vocab(["a", "b"])
    assert v.decode(np.array([8, 9])) == ["a", "b"]
    torch = pytest.importorskip("torch")
    assert v.decode(torch.tensor([9, 8])) == ["b", "a"]


def test_misuse_gives_clear_errors():
    v = Vocab(["a"])
    with pytest.raises(TypeError, match="tokenize first"):
        v.encode("a b")
    with pytest.raises(ValueError, match="out of range"):
        v.token(99)
    with pytest.raises(ValueError, match="out of range"):
        v.decode([0, -1])
    with pytest.raises(KeyError, match="unknown token"):
        v.id("zzz")
    with pytest.raises(TypeError):
        Vocab("abc")


def test_dict_round_trip_through_json_is_exact():
    v = Vocab(["le", "chat", "noir", "été", "猫"])
    again = Vocab.from_dict(json.loads(json.dumps(v.to_dict())))
    assert again == v and again.tokens == v.tokens
    assert hash(again) == hash(v)
    assert again.encode(["chat", "猫"]) == v.encode(["chat", "猫"])


def test_from_dict_rejects_malformed_input():
    good = Vocab(["a", "b"]).to_dict()
    with pytest.raises(ValueError):
        Vocab.from_dict({"tokens": ["a"]})
    with pytest.raises(ValueError):
        Vocab.from_dict({**good, "tokens": good["tokens"][1:]})
    with pytest.raises(ValueError):
        Vocab.from_dict({**good, "tokens": good["tokens"] + ["a"]})
    with pytest.raises(ValueError):
        Vocab.from_dict({**good, "kind": "char"})


def test_vocab_without_a_special_says_so():
    v = CharVocab("ab")
    assert (v.pad_id, v.bos_id, v.eos_id, v.unk_id) == (0, 1, 2, 3)
    with pytest.raises(AttributeError, match=r"\[MASK\]"):
        _ = v.mask_id
