"""The one tokeniser of user text: the masks page, the models and the slides split a sentence alike."""

import pytest

from seqviz.data.text import MAX_INPUT_CHARS, clean, split_words, tokenize, tokenize_input


def test_words_keep_their_case_for_the_figures_and_lose_it_for_the_models():
    assert split_words("The Cat sleeps.") == ["The", "Cat", "sleeps"]
    assert tokenize("The Cat sleeps.") == ["the", "cat", "sleeps"]


@pytest.mark.parametrize("typed", ["[MASK]", "[mask]", "[Mask]", "［ＭＡＳＫ］"])
def test_a_mask_typed_in_any_case_or_width_is_one_token(typed):
    assert split_words(f"the {typed} sleeps") == ["the", "[MASK]", "sleeps"]
    assert tokenize(f"the {typed} sleeps") == ["the", "[MASK]", "sleeps"]


def test_chinese_is_one_character_per_token_and_latin_beside_it_stays_a_word():
    assert split_words("猫在睡觉") == ["猫", "在", "睡", "觉"]
    assert split_words("cat猫") == ["cat", "猫"]


def test_full_width_input_from_a_chinese_keyboard_reads_as_plain_letters():
    assert tokenize("ｔｈｅ ｃａｔ ｓｌｅｅｐｓ！") == ["the", "cat", "sleeps"]
    assert tokenize("the cat sleeps？") == ["the", "cat", "sleeps"]


def test_only_final_punctuation_is_dropped_and_apostrophes_stay_inside_words():
    assert tokenize("the cat, the dog. sleep!!") == ["the", "cat", ",", "the", "dog", ".", "sleep"]
    assert tokenize("don't stop…") == ["don't", "stop"]


def test_control_and_format_characters_separate_words_and_are_reported():
    assert clean("a\x00b\u202ec") == ("a b c", True)
    assert clean("a\tb\nc") == ("a b c", False)  # whitespace is not worth a message
    result = tokenize_input("the cat\x07sleeps", 16)
    assert result.tokens == ("the", "cat", "sleeps") and result.removed_control


def test_tokenize_input_caps_reports_and_never_raises():
    assert tokenize_input("a b c d", 2).tokens == ("a", "b") and tokenize_input("a b c d", 2).truncated_from == 4
    assert tokenize_input("  ... ", 4).empty
    assert tokenize_input(None, 4).empty
    assert len(split_words("x " * MAX_INPUT_CHARS)) == MAX_INPUT_CHARS // 2
