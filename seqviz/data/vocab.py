"""Token vocabularies: a fixed block of special tokens, then the regular tokens.

Every model in seqviz shares the same special ids (0..7), so masks, losses and decoders can
name them without looking anything up: padding is always 0, beginning-of-sequence always 1, …
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>", "[MASK]", "[CLS]", "[SEP]", "<blank>")


class Vocab:
    """An immutable, ordered mapping between tokens and integer ids.

    ``Vocab(tokens)`` puts ``specials`` first (ids 0, 1, …) and then ``tokens``, deduplicated in
    their first-seen order. A token that equals a special keeps the special's id.
    """

    kind = "word"

    def __init__(self, tokens: Iterable[str], specials: Sequence[str] = SPECIALS):
        if isinstance(tokens, str):
            raise TypeError("Vocab expects an iterable of tokens, not a single string")
        ordered: dict[str, int] = {}
        for tok in (*specials, *tokens):
            if not isinstance(tok, str):
                raise TypeError(f"tokens must be strings, got {type(tok).__name__}")
            ordered.setdefault(tok, len(ordered))
        if len(ordered) < len(specials):
            raise ValueError("special tokens must be distinct")
        self._specials: tuple[str, ...] = tuple(specials)
        self._tokens: tuple[str, ...] = tuple(ordered)
        self._index = ordered

    # --- special ids (fixed positions: see SPECIALS) ---
    def _special_id(self, name: str) -> int:
        if name not in self._specials:
            raise AttributeError(f"this vocabulary has no {name} token (specials: {self._specials})")
        return self._index[name]

    pad_id = property(lambda self: self._special_id("<pad>"))
    bos_id = property(lambda self: self._special_id("<bos>"))
    eos_id = property(lambda self: self._special_id("<eos>"))
    unk_id = property(lambda self: self._special_id("<unk>"))
    mask_id = property(lambda self: self._special_id("[MASK]"))
    cls_id = property(lambda self: self._special_id("[CLS]"))
    sep_id = property(lambda self: self._special_id("[SEP]"))
    blank_id = property(lambda self: self._special_id("<blank>"))

    @property
    def specials(self) -> tuple[str, ...]:
        return self._specials

    @property
    def tokens(self) -> tuple[str, ...]:
        """All tokens in id order, specials included."""
        return self._tokens

    @property
    def special_ids(self) -> frozenset[int]:
        return frozenset(range(len(self._specials)))

    @property
    def regular_ids(self) -> list[int]:
        return list(range(len(self._specials), len(self._tokens)))

    # --- container protocol ---
    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, tok: object) -> bool:
        return tok in self._index

    def __iter__(self):
        return iter(self._tokens)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self._tokens == other._tokens  # type: ignore[attr-defined]
            and self._specials == other._specials  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._specials, self._tokens))

    def __repr__(self) -> str:
        shown = ", ".join(self._tokens[len(self._specials) :][:8])
        more = ", …" if len(self._tokens) - len(self._specials) > 8 else ""
        return f"{type(self).__name__}(size={len(self)}: {shown}{more})"

    # --- lookups ---
    def token(self, i: int) -> str:
        i = int(i)
        if not 0 <= i < len(self._tokens):
            raise ValueError(f"id {i} is out of range for a vocabulary of size {len(self)}")
        return self._tokens[i]

    def id(self, tok: str) -> int:
        """The id of ``tok``; raises KeyError for an unknown token (``encode`` maps it to <unk>)."""
        try:
            return self._index[tok]
        except KeyError:
            raise KeyError(f"unknown token {tok!r}") from None

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Token ids; unknown tokens become ``unk_id``."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a sequence of tokens, not a string: tokenize first")
        unk = self.unk_id
        return [self._index.get(t, unk) for t in tokens]

    def decode(self, ids: Iterable[int], skip_specials: bool = False) -> list[str]:
        """Tokens for ``ids``; with ``skip_specials`` the special tokens are left out."""
        out = []
        n_special = len(self._specials)
        for i in ids:
            i = int(i)
            if skip_specials and 0 <= i < n_special:
                continue
            out.append(self.token(i))
        return out

    # --- serialisation ---
    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable description; ``from_dict`` rebuilds an equal vocabulary."""
        return {"kind": self.kind, "specials": list(self._specials), "tokens": list(self._tokens)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Vocab:
        try:
            specials, tokens = list(d["specials"]), list(d["tokens"])
        except (KeyError, TypeError) as err:
            raise ValueError("a vocabulary dict needs 'specials' and 'tokens' lists") from err
        if d.get("kind", cls.kind) != cls.kind:
            raise ValueError(f"expected a {cls.kind!r} vocabulary, got {d.get('kind')!r}")
        if tokens[: len(specials)] != specials:
            raise ValueError("the token list must start with the special tokens")
        vocab = cls(tokens[len(specials) :], specials=specials)
        if list(vocab.tokens) != tokens:
            raise ValueError("the token list contains duplicates")
        return vocab
