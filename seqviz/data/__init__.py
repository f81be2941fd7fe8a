"""Generated data: vocabularies, the toy English→French language, digit tasks and user text."""

from .chars import MAX_TEXT_CHARS, CharVocab, clean_user_text, decode_user_bytes
from .digits import DIGIT_TASKS, digit_answer, digit_pairs, digit_vocab
from .toy import (
    EN_WORDS, FR_WORDS, Pair, check_translation, en_vocab, example_sentences, fr_vocab,
    generate_pair, is_grammatical, joint_vocab, make_pairs, make_splits, parse_english,
    split_pairs, tokenize, translations, unknown_words, valid_fills,
)
from .vocab import SPECIALS, Vocab

__all__ = [
    "SPECIALS", "Vocab", "CharVocab", "MAX_TEXT_CHARS", "clean_user_text", "decode_user_bytes",
    "DIGIT_TASKS", "digit_answer", "digit_pairs", "digit_vocab",
    "EN_WORDS", "FR_WORDS", "Pair", "generate_pair", "make_pairs", "make_splits", "split_pairs",
    "parse_english", "is_grammatical", "translations", "check_translation", "valid_fills",
    "tokenize", "unknown_words", "example_sentences", "en_vocab", "fr_vocab", "joint_vocab",
]
