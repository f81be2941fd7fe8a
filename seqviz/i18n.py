"""seqviz in the reader's language. Every text the app and the slide pack show lives in a catalogue,
one TOML file per language in seqviz/locales/ (`[language]` gives its name and plural rule, `[text]` its
entries), so a translator edits text, not Python, and a third language is one more file.

An entry is a string; a list of strings (a table's row); or, for a text that counts something, one form
per plural category with `count` naming the placeholder that chooses (`key.one`, `key.other`, ...).
`tr(lang, key, **values)` fills {placeholders} with str.format on our own templates only: user text is
passed as a value, never used as a template. A key missing in one language falls back to English.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

LOCALES = Path(__file__).with_name("locales")
SOURCE_LANGUAGE = "en"

# How a count chooses its form, by CLDR's plural categories; a catalogue names its rule in [language].
PLURAL_RULES: dict[str, tuple[tuple[str, ...], Callable[[int], str]]] = {
    "none": (("other",), lambda n: "other"),  # Chinese, Japanese, Korean, Vietnamese, ...
    "one": (("one", "other"), lambda n: "one" if n == 1 else "other"),  # English, German, Spanish, ...
    "zero_one": (("one", "other"), lambda n: "one" if n in (0, 1) else "other"),  # French, Portuguese
    "east_slavic": (  # Russian, Ukrainian
        ("one", "few", "many"),
        lambda n: (
            "one"
            if n % 10 == 1 and n % 100 != 11
            else "few"
            if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14
            else "many"
        ),
    ),
}


class CatalogueError(ValueError):
    """A catalogue that cannot be used: bad TOML (a repeated key among it), or an entry of the wrong shape."""


class Catalogue:
    """One language's entries, read-only once loaded (every session shares it)."""

    def __init__(self, code: str, name: str, plural: str, entries: dict):
        self.code, self.name, self.plural = code, name, plural
        self.entries = MappingProxyType(entries)

    def form(self, key: str, values: dict) -> str | None:
        """The template for key, its plural form chosen by the count it names; None when there is none."""
        entry = self.entries.get(key)
        if isinstance(entry, dict):
            count = values[entry["count"]]
            return entry.get(PLURAL_RULES[self.plural][1](abs(int(count)))) or entry["other"]
        return entry if isinstance(entry, str) else None

    def shown(self, key: str) -> list[str]:
        """Every text the entry can show: the string, each item of a list, each plural form."""
        entry = self.entries[key]
        if isinstance(entry, dict):
            return [text for form, text in entry.items() if form != "count"]
        return [entry] if isinstance(entry, str) else [text for item in entry for text in _flat(item)]


def _flat(item) -> list[str]:
    return [item] if isinstance(item, str) else [text for inner in item for text in _flat(inner)]


def load_catalogue(path: Path) -> Catalogue:
    """Read and check one language file. TOML itself refuses a key written twice."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path.name}: {error}") from error
    language, entries = data.get("language", {}), data.get("text")
    plural = language.get("plural")
    if not isinstance(language.get("name"), str) or plural not in PLURAL_RULES or not isinstance(entries, dict):
        raise CatalogueError(
            f"{path.name}: needs [language] with a name and a plural rule ({', '.join(PLURAL_RULES)}), and [text]"
        )
    forms = PLURAL_RULES[plural][0]
    for key, entry in entries.items():
        if isinstance(entry, dict):
            if not isinstance(entry.get("count"), str) or "other" not in entry or set(entry) - {"count", *forms}:
                raise CatalogueError(
                    f"{path.name}: {key} counts something: it needs `count` and the forms {', '.join(forms)}"
                )
        elif not isinstance(entry, str | list):
            raise CatalogueError(f"{path.name}: {key} must be text, a list of texts, or plural forms")
    return Catalogue(path.stem, language["name"], plural, entries)


def load_catalogues(folder: Path = LOCALES) -> dict[str, Catalogue]:
    """Every language in folder, the source language first."""
    paths = sorted(folder.glob("*.toml"), key=lambda p: (p.stem != SOURCE_LANGUAGE, p.stem))
    return {path.stem: load_catalogue(path) for path in paths}


CATALOGUES = MappingProxyType(load_catalogues())
LANGUAGES = MappingProxyType({code: catalogue.name for code, catalogue in CATALOGUES.items()})


def tr(lang: str, key: str, **values) -> str:
    """The text for key in lang (English where a translation is missing), with {placeholders} filled."""
    catalogue = CATALOGUES.get(lang)
    template = (catalogue and catalogue.form(key, values)) or CATALOGUES[SOURCE_LANGUAGE].form(key, values)
    if template is None:
        raise KeyError(key)
    return template.format(**values) if values else template


def texts(lang: str, key: str) -> list:
    """A list entry (a row of a table, the titles of a figure's panels) in lang, else in English."""
    catalogue = CATALOGUES.get(lang)
    entry = catalogue.entries.get(key) if catalogue else None
    return list(entry if isinstance(entry, list) else CATALOGUES[SOURCE_LANGUAGE].entries[key])


def placeholders(template: str) -> set[str]:
    """The names a template fills, without their format specs: '{n:,} of {total}' -> {'n', 'total'}."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}
