"""The code that ran (seqviz.export.code): every listing is the running object's own source, every page has
its listings, and the comparison marks exactly the lines that differ."""

from __future__ import annotations

import inspect
import textwrap

import pytest

from seqviz.export.code import (
    COMPARISONS,
    PACKAGE_ROOT,
    PAGE_CODE,
    compare,
    differing_lines,
    resolve,
    side_by_side,
    source_of,
)
from seqviz.i18n import tr
from seqviz.ui.code import ADDRESSES

LISTINGS = sorted({listing for listings in PAGE_CODE.values() for listing in listings}, key=lambda x: x.target)


def test_every_page_lists_its_code():
    addresses = list(ADDRESSES.values())  # every page file's address, "" for the home page
    assert sorted(PAGE_CODE) == sorted(addresses)
    assert all(PAGE_CODE[address] for address in addresses)


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.target)
def test_a_listing_is_the_running_objects_own_source(listing):
    obj = resolve(listing.target)
    shown = source_of(listing.target)
    assert shown.text == textwrap.dedent(inspect.getsource(obj))
    lines, first = inspect.getsourcelines(obj)
    assert shown.first_line == first
    file = PACKAGE_ROOT.parent / shown.path
    assert file.read_text(encoding="utf-8").splitlines()[first - 1 : first - 1 + len(lines)] == [
        line.rstrip("\n") for line in lines
    ]
    for lang in ("en", "zh"):  # what to look at, in both languages
        assert tr(lang, listing.look) != listing.look


def test_a_target_that_is_not_module_colon_name_is_refused():
    with pytest.raises(ValueError):
        resolve("seqviz.models.masks.causal_mask")
    with pytest.raises(AttributeError):
        resolve("seqviz.models.masks:no_such_mask")


def test_the_comparison_marks_exactly_the_lines_that_differ_on_a_planted_pair():
    left = ["def f(x):", "    y = x + 1", "    z = y * 2", "    return z"]
    right = ["def f(x):", "    y = x - 1", "    z = y * 2", "    w = z", "    return w"]
    rows = side_by_side(left, right)
    marked_left, marked_right = differing_lines(rows)
    assert marked_left == {1, 3}  # "x + 1" and "return z"
    assert marked_right == {1, 3, 4}  # "x - 1", "w = z" and "return w"
    assert [row.left for row in rows if row.left is not None] == left  # every line shown once, in order
    assert [row.right for row in rows if row.right is not None] == right
    same = [(row.left, row.right) for row in rows if row.same]
    assert same == [("def f(x):", "def f(x):"), ("    z = y * 2", "    z = y * 2")]


def test_identical_code_marks_nothing():
    lines = source_of("seqviz.models.masks:causal_mask").lines
    assert differing_lines(side_by_side(lines, lines)) == (set(), set())


def test_bert_against_gpt_marks_the_mask_and_the_loss_and_not_the_shared_block():
    comparison = COMPARISONS["bert_gpt"]
    rows = compare(comparison)
    marked_right = [row.right for row in rows if not row.same and row.right]
    unmarked = [row.left for row in rows if row.same]
    assert any(".tril()" in line for line in marked_right)  # the causal mask
    assert any("next_token_loss" in line for line in marked_right)  # the next-token objective
    assert any("self.head = nn.Linear(config.d_model, config.vocab_size)" in line for line in unmarked)


def test_every_comparison_has_both_sides_and_its_texts():
    for comparison in COMPARISONS.values():
        rows = compare(comparison)
        left, right = differing_lines(rows)
        assert left and right and any(row.same for row in rows)
        for key in (comparison.title, comparison.look, comparison.left_name, comparison.right_name):
            assert tr("en", key) != key and tr("zh", key) != key
