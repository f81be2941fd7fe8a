import pytest

from seqviz.data.digits import DIGIT_TASKS, digit_answer, digit_pairs, digit_vocab


@pytest.mark.parametrize("task", DIGIT_TASKS)
def test_targets_are_correct_and_lengths_in_range(task):
    pairs = digit_pairs(task, 300, seed=0, min_len=2, max_len=9)
    assert len(pairs) == 300
    for src, tgt in pairs:
        assert 2 <= len(src) <= 9 and set(src) <= set("0123456789")
        expected = {"copy": src, "reverse": src[::-1], "sort": tuple(sorted(src))}[task]
        assert tgt == expected == digit_answer(task, src)
    assert {len(s) for s, _ in pairs} == set(range(2, 10))


def test_reverse_and_sort_really_change_the_sequence():
    src = ("3", "1", "2")
    assert digit_answer("reverse", src) == ("2", "1", "3")
    assert digit_answer("sort", src) == ("1", "2", "3")
    assert digit_answer("copy", src) == src


def test_deterministic_under_seed_and_seeds_differ():
    assert digit_pairs("sort", 50, seed=4) == digit_pairs("sort", 50, seed=4)
    assert digit_pairs("sort", 50, seed=4) != digit_pairs("sort", 50, seed=5)


def test_unknown_task_and_bad_lengths_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown digit task 'add'.*copy, reverse, sort"):
        digit_pairs("add", 3, seed=0)
    with pytest.raises(ValueError):
        digit_pairs("copy", 3, seed=0, min_len=5, max_len=4)
    with pytest.raises(ValueError):
        digit_pairs("copy", -1, seed=0)


def test_digit_vocab_holds_the_ten_digits_after_specials():
    v = digit_vocab()
    assert v.decode(v.regular_ids) == list("0123456789")
    assert len(v) == 18
