"""Character vocabularies for text a user pastes or uploads: one token per Unicode code point."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..messages import Notice
from .vocab import Vocab

MAX_TEXT_CHARS = 200_000
CHAR_SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")
REPLACEMENT = "\ufffd"  # how an unknown character is shown when decoding


class CharVocab(Vocab):
    """``CharVocab(chars)``: the four CHAR_SPECIALS, then each distinct character in order."""

    kind = "char"

    def __init__(self, chars: Iterable[str], specials: Iterable[str] = CHAR_SPECIALS):
        chars = list(chars)  # a str iterates as its characters
        for c in chars:
            if not isinstance(c, str) or len(c) != 1:
                raise ValueError(f"a character vocabulary holds single characters, got {c!r}")
        super().__init__(chars, specials=tuple(specials))

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """Every distinct character of ``text``, sorted by code point (stable across runs)."""
        return cls(sorted(set(text)))

    def encode(self, text: str) -> list[int]:  # type: ignore[override]
        """One id per character; characters not in the vocabulary become ``unk_id``."""
        unk = self.unk_id
        return [self._index.get(c, unk) for c in text]

    def decode(self, ids: Iterable[int], skip_specials: bool = True) -> str:  # type: ignore[override]
        """The text for ``ids``. By default <pad>/<bos>/<eos> vanish and <unk> shows as U+FFFD."""
        out = []
        for i in ids:
            tok = self.token(int(i))
            if int(i) in self.special_ids and skip_specials:
                out.append(REPLACEMENT if tok == "<unk>" else "")
            else:
                out.append(tok)
        return "".join(out)


def decode_user_bytes(data: bytes) -> tuple[str, list[Notice]]:
    """Text from an uploaded file: UTF-8 (a byte-order mark is dropped); undecodable bytes become
    U+FFFD with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return text, [Notice("msg_not_utf8")]


def clean_user_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, list[Notice]]:
    """Normalise newlines (\\r\\n, \\r → \\n), drop control characters other than \\n and \\t and
    lone surrogates, NFC-normalise and truncate. Returns (clean text, warnings for the user)."""
    warnings: list[str] = []
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    kept = [c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs")]
    if len(kept) != len(text):
        removed = len(text) - len(kept)
        warnings.append(Notice("msg_control_removed", n=removed))
    text = unicodedata.normalize("NFC", "".join(kept))
    if len(text) > max_chars:
        text = text[:max_chars]
        warnings.append(Notice("msg_truncated", n=max_chars))
    if not text.strip():
        warnings.append(Notice("msg_empty_text"))
    return text, warnings
