"""Turning whatever a user types into tokens for the figures, safely and with a report of what was done."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_INPUT_CHARS = 2_000  # longer input is cut before tokenising
# a CJK ideograph, kana or hangul syllable is one token; runs of letters/digits are words; other symbols stand alone
_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
    r"|[^\W_]+(?:'[^\W_]+)?"
    r"|\[MASK\]"
    r"|[^\w\s]",
    re.UNICODE,
)


@dataclass(frozen=True)
class TokenizedInput:
    tokens: tuple[str, ...]
    empty: bool = False  # nothing usable was typed
    truncated_from: int | None = None  # token count before truncation, when it was cut
    removed_control: bool = False  # control characters were dropped


_SENTENCE_END = {".", "!", "?", "。", "！", "？", "…"}


def split_tokens(text: str) -> list[str]:
    """Split any text into display tokens: words, single CJK characters, single symbols; sentence-final
    punctuation is dropped, as the toy language has none. Never raises."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", str(text))[:MAX_INPUT_CHARS])
    while tokens and tokens[-1] in _SENTENCE_END:
        tokens.pop()
    return tokens


def strip_control(text: str) -> tuple[str, bool]:
    """Drop control and format characters (NUL, BEL, bidi overrides ...), keeping spaces and newlines as spaces."""
    kept = []
    for ch in str(text):
        category = unicodedata.category(ch)
        if ch in "\n\t\r":
            kept.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co"):
            continue
        else:
            kept.append(ch)
    cleaned = "".join(kept)
    return cleaned, cleaned != str(text).replace("\n", " ").replace("\t", " ").replace("\r", " ")


def tokenize_input(text: str, max_tokens: int) -> TokenizedInput:
    """Clean, split and cap a user's sentence at max_tokens, recording each change for the page to report."""
    cleaned, removed_control = strip_control(text)
    tokens = split_tokens(cleaned)
    if not tokens:
        return TokenizedInput((), empty=True, removed_control=removed_control)
    truncated_from = len(tokens) if len(tokens) > max_tokens else None
    return TokenizedInput(tuple(tokens[:max_tokens]), False, truncated_from, removed_control)
