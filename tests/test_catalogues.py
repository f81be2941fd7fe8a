"""The translation catalogues (seqviz/locales/*.toml): complete in every language, every key used, no key
built where nobody can find it, and a third language added by one file."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from seqviz.i18n import (
    CATALOGUES,
    LANGUAGES,
    LOCALES,
    PLURAL_RULES,
    SOURCE_LANGUAGE,
    CatalogueError,
    load_catalogue,
    load_catalogues,
    placeholders,
    texts,
    tr,
)

ROOT = Path(__file__).resolve().parents[1]
CODE = [*sorted((ROOT / "seqviz").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
SOURCE = CATALOGUES[SOURCE_LANGUAGE]
# The functions that take a key, and the position of the key among their arguments.
LOOKUPS = {"t": 0, "texts": 0, "tr": 1}


def names(catalogue, key: str) -> set[str]:
    return set().union(*(placeholders(text) for text in catalogue.shown(key)))


def lookups(tree: ast.AST):
    """(call, key argument) for every tr(lang, key), ctx.t(key), texts(...) in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            position = LOOKUPS.get(func)
            if position is not None and len(node.args) > position:
                yield node, node.args[position]


def string_constants() -> dict[str, list[str]]:
    """Every string literal in the app's code, with where it is."""
    found: dict[str, list[str]] = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_source_language_comes_first_and_each_language_names_itself():
    assert next(iter(LANGUAGES)) == SOURCE_LANGUAGE
    assert LANGUAGES == {"en": "English", "zh": "简体中文"}
    assert {path.stem for path in LOCALES.glob("*.toml")} == set(CATALOGUES)


@pytest.mark.parametrize("lang", sorted(set(CATALOGUES) - {SOURCE_LANGUAGE}))
def test_every_key_in_every_language_with_the_same_placeholders(lang):
    catalogue = CATALOGUES[lang]
    assert sorted(SOURCE.entries.keys() - catalogue.entries.keys()) == [], "missing translations"
    assert sorted(catalogue.entries.keys() - SOURCE.entries.keys()) == [], "keys English does not have"
    different = {
        key: (sorted(names(SOURCE, key)), sorted(names(catalogue, key)))
        for key in SOURCE.entries
        if names(SOURCE, key) != names(catalogue, key)
    }
    assert not different, f"placeholders differ (en, {lang}): {different}"
    for key, entry in SOURCE.entries.items():
        if isinstance(entry, list):  # a table: the same shape in every language
            other = catalogue.entries[key]
            assert isinstance(other, list) and len(other) == len(entry), key
            assert [len(row) for row in other if isinstance(row, list)] == [
                len(row) for row in entry if isinstance(row, list)
            ], key


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_a_plural_entry_counts_one_of_its_own_placeholders(lang):
    catalogue = CATALOGUES[lang]
    for key, entry in catalogue.entries.items():
        if isinstance(entry, dict):
            assert entry["count"] in placeholders(entry["other"]), f"{lang}: {key} counts {entry['count']!r}"
            assert set(entry) - {"count"} <= set(PLURAL_RULES[catalogue.plural][0]), key


def test_every_key_is_used_and_every_key_used_exists():
    constants = string_constants()
    unused = sorted(key for key in SOURCE.entries if key not in constants)
    assert not unused, f"catalogue keys no code names (a key built at run time is listed where it is built): {unused}"
    unknown = []
    for path in CODE:
        for call, key in lookups(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(key, ast.Constant) and key.value not in SOURCE.entries:
                unknown.append(f"{path.relative_to(ROOT)}:{call.lineno} {key.value}")
    assert not unknown, f"keys looked up that no catalogue has: {unknown}"


def test_no_key_is_pieced_together_at_run_time():
    """ctx.t(f"ar_{mode}") would hide its keys from the unused-key check: a table of whole keys at the
    place that builds them (MODE_NAME_KEYS = {"greedy": "ar_greedy", ...}) keeps every key findable."""
    pieced = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path in CODE
        for call, key in lookups(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(key, ast.JoinedStr | ast.BinOp)
        or (isinstance(key, ast.Call) and getattr(key.func, "attr", "") in ("format", "join"))
    ]
    assert not pieced, f"keys built from pieces: {pieced}"


def test_the_checks_above_can_fail():
    assert list(lookups(ast.parse('ctx.t(f"ar_{m}")')))[0][1].__class__ is ast.JoinedStr
    assert [key.value for _, key in lookups(ast.parse('tr(lang, "home_title", n=1)'))] == ["home_title"]
    assert placeholders("{n:,} of {total} ({item.name}, {rows[0]})") == {"n", "total", "item", "rows"}


def test_counts_choose_their_plural_form():
    assert tr("en", "par_tokens", n=1) == "1 token"
    assert tr("en", "par_tokens", n=2) == "2 tokens"
    assert tr("en", "par_tokens", n=0) == "0 tokens"
    assert tr("zh", "par_tokens", n=1) == "1 个词元"
    assert tr("en", "msg_control_removed", n=1) == "Removed 1 control character."
    assert tr("en", "msg_control_removed", n=1200) == "Removed 1,200 control characters."
    assert tr("en", "par_length_forced", n=4, s=1).startswith("Length forced to 4 (the source has 1 word)")
    assert [PLURAL_RULES["east_slavic"][1](n) for n in (1, 2, 5, 11, 12, 21, 22, 25)] == [
        "one",
        "few",
        "many",
        "many",
        "many",
        "one",
        "few",
        "many",
    ]


def test_a_missing_translation_falls_back_to_english_and_an_unknown_key_is_an_error():
    assert tr("xx", "home_title") == SOURCE.entries["home_title"]
    assert texts("xx", "paradigm_columns") == list(SOURCE.entries["paradigm_columns"])
    with pytest.raises(KeyError):
        tr("en", "no_such_key")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_loader_refuses_a_key_written_twice(tmp_path):
    path = write(tmp_path, "xx.toml", '[language]\nname = "X"\nplural = "one"\n[text]\nhome = "a"\nhome = "b"\n')
    with pytest.raises(CatalogueError, match="xx.toml"):
        load_catalogue(path)


@pytest.mark.parametrize(
    "body",
    [
        '[language]\nname = "X"\nplural = "dual"\n[text]\na = "b"\n',  # an unknown plural rule
        '[text]\na = "b"\n',  # no [language]
        '[language]\nname = "X"\nplural = "one"\n[text]\na = 3\n',  # not text
        '[language]\nname = "X"\nplural = "one"\n[text]\na.one = "{n} x"\na.other = "{n} xs"\n',  # no count
        '[language]\nname = "X"\nplural = "none"\n[text]\na.count = "n"\na.one = "{n}"\na.other = "{n}"\n',
        '[language]\nname = "X"\nplural = "one"\n[text]\na = "unclosed\n',  # bad TOML
    ],
)
def test_the_loader_refuses_a_malformed_catalogue(tmp_path, body):
    with pytest.raises(CatalogueError):
        load_catalogue(write(tmp_path, "xx.toml", body))


def test_a_third_language_is_one_more_file(tmp_path):
    for path in LOCALES.glob("*.toml"):
        shutil.copy(path, tmp_path)
    english = (LOCALES / "en.toml").read_text(encoding="utf-8")
    french = english.replace('name = "English"', 'name = "Français"').replace('plural = "one"', 'plural = "zero_one"')
    french = french.replace('home_title = "seqviz — how sequence models work"', 'home_title = "seqviz — le titre"')
    write(tmp_path, "fr.toml", french)
    catalogues = load_catalogues(tmp_path)
    assert list(catalogues) == ["en", "fr", "zh"]
    assert catalogues["fr"].name == "Français"
    assert catalogues["fr"].form("home_title", {}) == "seqviz — le titre"
    assert catalogues["fr"].form("par_tokens", {"n": 0}) == "{n} token"  # French counts zero as one
