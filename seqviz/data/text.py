"""The one tokeniser of what a user types: the same words for the figures, the models and the slides,
and a record of what cleaning it needed so the page can say so."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_INPUT_CHARS = 2_000  # longer input is cut before tokenising
MASK_TOKEN = "[MASK]"
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"  # kana, ideographs, hangul
# One CJK character is one token; "[MASK]" in any case is one token; a word is letters and digits (an
# apostrophe inside it: "don't"); any other symbol stands alone.
_TOKEN = re.compile(rf"[{_CJK}]|\[mask\]|[^\W_{_CJK}]+(?:'[^\W_{_CJK}]+)*|[^\w\s]", re.IGNORECASE)
_SENTENCE_END = {".", "!", "?", "。", "…"}  # after NFKC, full-width ！ and ？ are ! and ?
_CONTROL = ("Cc", "Cf", "Cs", "Co")  # control, format (bidi overrides, zero-width), surrogate, private use


@dataclass(frozen=True)
class TokenizedInput:
    tokens: tuple[str, ...]
    empty: bool = False  # nothing usable was typed
    truncated_from: int | None = None  # token count before truncation, when it was cut
    removed_control: bool = False  # control characters were dropped


def clean(text) -> tuple[str, bool]:
    """NFKC-normalised text (full-width letters become plain ones) with control and format characters
    turned into spaces, and whether there were any (tab and newline are spaces, not reported)."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text))
    kept = [" " if ch in "\n\t\r" or unicodedata.category(ch) in _CONTROL else ch for ch in text]
    removed = any(ch not in "\n\t\r" and unicodedata.category(ch) in _CONTROL for ch in text)
    return "".join(kept), removed


def split_words(text) -> list[str]:
    """Tokens as typed (case kept): words, single CJK characters, single symbols, "[MASK]"; a sentence's
    final punctuation is dropped, as the toy language has none. Never raises."""
    cleaned, _ = clean(str(text)[:MAX_INPUT_CHARS] if text is not None else "")
    tokens = [MASK_TOKEN if t.lower() == "[mask]" else t for t in _TOKEN.findall(cleaned)]
    while tokens and tokens[-1] in _SENTENCE_END:
        tokens.pop()
    return tokens


def tokenize(text) -> list[str]:
    """The tokens a model of the toy language reads: split_words, lower-cased ("[MASK]" stays)."""
    return [t if t == MASK_TOKEN else t.lower() for t in split_words(text)]


def tokenize_input(text: str, max_tokens: int) -> TokenizedInput:
    """A user's sentence split as typed and capped at max_tokens, recording each change for the page."""
    _, removed_control = clean(text)
    tokens = split_words(text)
    if not tokens:
        return TokenizedInput((), empty=True, removed_control=removed_control)
    truncated_from = len(tokens) if len(tokens) > max_tokens else None
    return TokenizedInput(tuple(tokens[:max_tokens]), False, truncated_from, removed_control)
