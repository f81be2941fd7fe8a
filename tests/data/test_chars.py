import json

from seqviz.data.chars import MAX_TEXT_CHARS, CharVocab, clean_user_text, decode_user_bytes

TEXT = "Le chat dort. 猫在睡觉 🐈‍⬛🙂 שלום مرحبا\n\tend"


def test_char_vocab_round_trips_chinese_emoji_and_rtl_text():
    v = CharVocab.from_text(TEXT)
    assert v.specials == ("<pad>", "<bos>", "<eos>", "<unk>")
    assert v.decode(v.encode(TEXT)) == TEXT
    assert len(v.encode("🙂")) == 1  # one token per code point
    assert v.unk_id not in v.encode(TEXT)


def test_unknown_characters_map_to_unk_and_show_as_replacement():
    v = CharVocab.from_text("abc")
    ids = v.encode("abz")
    assert ids[-1] == v.unk_id
    assert v.decode(ids) == "ab\ufffd"
    assert v.decode([v.bos_id, *v.encode("cab"), v.eos_id, v.pad_id]) == "cab"
    assert v.decode([v.bos_id], skip_specials=False) == "<bos>"


def test_char_vocab_dict_round_trip_keeps_the_kind():
    v = CharVocab.from_text(TEXT)
    again = CharVocab.from_dict(json.loads(json.dumps(v.to_dict())))
    assert isinstance(again, CharVocab) and again == v
    assert again.encode(TEXT) == v.encode(TEXT)


def test_from_text_is_stable_regardless_of_character_order():
    assert CharVocab.from_text("bca") == CharVocab.from_text("abc")


def test_clean_user_text_normalises_newlines_and_strips_controls():
    text, warnings = clean_user_text("a\r\nb\rc\x00d\x07e\tf\n")
    assert text == "a\nb\nc" + "d" + "e\tf\n"
    assert any("2 control characters" in w for w in warnings)


def test_clean_user_text_nfc_normalises():
    decomposed = "e\u0301te\u0301"  # "été" with combining accents
    text, warnings = clean_user_text(decomposed)
    assert text == "été" and warnings == []


def test_clean_user_text_truncates_with_a_warning():
    text, warnings = clean_user_text("x" * (MAX_TEXT_CHARS + 10))
    assert len(text) == MAX_TEXT_CHARS
    assert "Text truncated to 200,000 characters." in warnings
    short, warnings = clean_user_text("héllo", max_chars=3)
    assert short == "hél" and warnings == ["Text truncated to 3 characters."]


def test_clean_user_text_reports_empty_text():
    assert clean_user_text("  \n")[1] == ["The text is empty."]


def test_decode_user_bytes():
    assert decode_user_bytes("\ufeffhé 猫".encode("utf-8")) == ("hé 猫", [])
    text, warnings = decode_user_bytes(b"ok \xff\xfe")
    assert text.startswith("ok ") and "\ufffd" in text and warnings
