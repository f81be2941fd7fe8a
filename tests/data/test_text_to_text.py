"""T5's tasks on the toy language: prefixes, span corruption and the judges of each answer."""

import random

import pytest

from seqviz.data.text_to_text import (
    SENTINELS,
    TASKS,
    answer_ok,
    corrupt_spans,
    fill_spans,
    split_prefix,
    t5_splits,
    t5_tokens,
    t5_vocab,
    with_prefix,
)


def test_a_prefix_is_the_task_word_and_a_colon():
    assert with_prefix("sort", ("3", "1")) == ("sort", ":", "3", "1")
    assert split_prefix(("sort", ":", "3", "1")) == ("sort", ("3", "1"))
    assert split_prefix(("the", "cat")) == (None, ("the", "cat"))
    assert split_prefix(("paint", ":", "the")) == ("paint", ("the",))  # an unknown prefix is still found


def test_typed_text_keeps_sentinels_whole_and_splits_a_digit_tasks_numbers():
    assert t5_tokens("fill: The <x> sleeps on <Y>.") == ["fill", ":", "the", "<X>", "sleeps", "on", "<Y>"]
    assert t5_tokens("sort: 3141 5") == ["sort", ":", "3", "1", "4", "1", "5"]
    assert t5_tokens("translate: 12 cats") == ["translate", ":", "12", "cats"]  # digits split only to sort or reverse
    assert t5_tokens("") == [] and t5_tokens("x" * 10_000) == ["x" * 2_000]


@pytest.mark.parametrize("seed", range(30))
def test_span_corruption_hides_spans_and_the_target_lists_them(seed):
    words = "the small black dog that the girls see runs in the garden".split()
    source, target = corrupt_spans(words, random.Random(seed))
    used = [t for t in source if t in SENTINELS]
    assert 1 <= len(used) <= 3 and used == list(SENTINELS[: len(used)])
    assert target[0] == SENTINELS[0] and target[-1] == SENTINELS[len(used)]
    assert fill_spans(source, target) == words  # putting the spans back gives the sentence
    assert all(a not in SENTINELS or b not in SENTINELS for a, b in zip(source, source[1:], strict=False))


def test_the_judges_accept_any_valid_answer_and_refuse_the_rest():
    source = ("the", "<X>", "sleeps")
    assert answer_ok("fill", source, ("<X>", "cat", "<Y>")) and answer_ok("fill", source, ("<X>", "dog", "<Y>"))
    assert not answer_ok("fill", source, ("<X>", "cats", "<Y>"))  # disagrees with "sleeps"
    assert not answer_ok("fill", source, ("<X>", "cat"))  # no closing sentinel
    assert not answer_ok("fill", source, ("cat", "<X>", "<Y>"))  # a word before the first sentinel
    assert answer_ok("reverse", ("1", "2"), ("2", "1")) and not answer_ok("sort", ("2", "1"), ("2", "1"))
    assert answer_ok("number", ("the", "cats", "sleep"), ("plural",))
    assert not answer_ok("number", ("the", "cat", "sleeps"), ("plural",))
    assert answer_ok("translate", ("the", "cat", "sleeps"), ("le", "chat", "dort"))
    with pytest.raises(ValueError):
        answer_ok("paint", (), ())


def test_splits_hold_every_task_and_keep_test_digits_out_of_training():
    splits = t5_splits(300, 20, 60, seed=7)
    for name in ("train", "test"):
        assert set(splits[name]) == set(TASKS) and all(splits[name][task] for task in TASKS)
    for task in ("reverse", "sort"):
        assert not set(splits["test"][task]) & set(splits["train"][task])
    vocab = t5_vocab()
    for task in TASKS:
        for source, target in splits["test"][task][:20]:
            assert vocab.unk_id not in vocab.encode([*with_prefix(task, source), *target])  # every token known
