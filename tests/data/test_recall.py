"""Recall over distance (data/recall.py): the answer is the value L tokens back and nothing else decides it;
draws are seeded; the training batches carry a loss at the answer only."""

from __future__ import annotations

import pytest
import torch

from seqviz.data.recall import (
    EVAL_DISTANCES,
    MAX_DISTANCE,
    PAIRS,
    RECALL_FILLERS,
    RECALL_KEYS,
    RECALL_VALUES,
    distance_of,
    example_sequence,
    recall_answer,
    recall_batches,
    recall_sequences,
    recall_splits,
    recall_vocab,
    shown,
    with_answer,
)

VOCAB = recall_vocab()


def _ids(tokens) -> set[int]:
    return {VOCAB.id(t) for t in tokens}


@pytest.mark.parametrize("distance", [1, 2, 3, 7, 64, 256])
def test_the_answer_is_the_value_exactly_L_back_and_the_key_appears_only_there_and_at_the_question(distance):
    ids = recall_sequences(distance, 200, VOCAB, torch.Generator().manual_seed(distance))
    assert ids.shape == (200, distance + 2 * PAIRS)
    question = ids.size(1) - 1
    assert torch.equal(recall_answer(ids), ids[:, question - distance])  # the token L back from the question
    assert torch.equal(distance_of(ids), torch.full((200,), distance))
    keys, values, fillers = _ids(RECALL_KEYS), _ids(RECALL_VALUES), _ids(RECALL_FILLERS)
    asked_pairs = set()
    for row in ids.tolist():
        key = row[-1]
        where = [i for i, t in enumerate(row) if t == key]
        assert key in keys and where == [question - distance - 1, question]  # its pair, then the question
        assert row[question - distance] in values
        pairs = [i for i, t in enumerate(row[:-1]) if t in keys]
        assert len(pairs) == len({row[i] for i in pairs}) == PAIRS  # four different keys, each once
        assert all(row[i + 1] in values for i in pairs) and sum(t in values for t in row) == PAIRS
        assert all(t in fillers for i, t in enumerate(row[:-1]) if i not in pairs and i - 1 not in pairs)
        asked_pairs.add(pairs.index(question - distance - 1))
    # the asked pair: only the last at L = 1 or 2, any of the four from L = 7 on
    assert asked_pairs == ({3} if distance <= 2 else {2, 3} if distance <= 4 else {0, 1, 2, 3})


def test_changing_any_filler_another_pair_or_the_key_never_changes_the_answer_and_the_value_does():
    generator = torch.Generator().manual_seed(0)
    ids = recall_sequences(16, 50, VOCAB, generator)
    answer = recall_answer(ids)
    asked = ids.size(1) - 1 - 16  # the asked value's position
    values = torch.tensor(sorted(_ids(RECALL_VALUES)))
    fillers = torch.tensor(sorted(_ids(RECALL_FILLERS)))
    for position in range(ids.size(1) - 1):
        if position in (asked - 1, asked):
            continue
        changed = ids.clone()
        is_filler = torch.isin(ids[:, position], fillers)
        is_value = torch.isin(ids[:, position], values)
        pool_f = fillers[torch.randint(len(fillers), (len(ids),), generator=generator)]
        pool_v = values[torch.randint(len(values), (len(ids),), generator=generator)]
        changed[:, position] = torch.where(is_filler, pool_f, torch.where(is_value, pool_v, ids[:, position]))
        assert torch.equal(recall_answer(changed), answer)  # a filler, or another pair's value
    unused = [k for k in sorted(_ids(RECALL_KEYS))]
    other_key = ids.clone()
    for row in range(len(ids)):
        free = [k for k in unused if k not in ids[row].tolist()]
        other_key[row, asked - 1] = other_key[row, -1] = free[row % len(free)]
    assert torch.equal(recall_answer(other_key), answer)
    other_value = ids.clone()
    other_value[:, asked] = VOCAB.id("0") + (ids[:, asked] - VOCAB.id("0") + 1) % len(RECALL_VALUES)
    assert torch.equal(recall_answer(other_value), other_value[:, asked]) and not torch.equal(
        recall_answer(other_value), answer
    )


def test_draws_are_seeded_and_the_splits_differ_per_distance_and_from_training():
    one, two = recall_splits(50, 41)["test"], recall_splits(50, 41)["test"]
    assert list(one) == list(EVAL_DISTANCES)
    assert all(torch.equal(one[L], two[L]) for L in one)
    assert not torch.equal(recall_splits(50, 42)["test"][32], one[32])
    batch = recall_batches(VOCAB, 50)(torch.Generator().manual_seed(0))  # training's stream (the recipe seed)
    L = batch["ids"].size(1) - 1 - 2 * PAIRS
    if L in one:
        assert not torch.equal(batch["ids"][:, :-1], one[L])
    assert torch.equal(example_sequence(8, 3), example_sequence(8, 3))
    assert not torch.equal(example_sequence(8, 3), example_sequence(8, 4))


def test_training_batches_append_the_answer_and_score_it_alone():
    batches = recall_batches(VOCAB, 32, distances=(5, 9))
    generator = torch.Generator().manual_seed(1)
    lengths = set()
    for _ in range(20):
        batch = batches(generator)
        ids, labels = batch["ids"], batch["labels"]
        lengths.add(ids.size(1) - 1 - 2 * PAIRS)
        assert torch.equal(ids[:, -1], recall_answer(ids[:, :-1]))
        assert (labels[:, :-1] == VOCAB.pad_id).all() and torch.equal(labels[:, -1], ids[:, -1])
    assert lengths <= set(range(5, 10)) and len(lengths) > 1
    ids, labels = with_answer(recall_sequences(3, 4, VOCAB, generator))
    assert ids.shape == labels.shape == (4, 3 + 2 * PAIRS + 1)


@pytest.mark.parametrize("bad", [0, -1, MAX_DISTANCE + 1, 2.5, "8", True, None])
def test_a_distance_outside_1_to_256_is_refused_clearly(bad):
    with pytest.raises(ValueError, match="whole number from 1 to 256"):
        recall_sequences(bad, 1, VOCAB, torch.Generator())


def test_a_long_sequence_is_shown_with_its_fillers_cut():
    tokens = VOCAB.decode(example_sequence(100, 0).tolist())
    text = shown(tokens)
    assert text.startswith(f"{tokens[0]} {tokens[1]} ") and text.endswith(f" {tokens[-1]}") and "(84)" in text
    assert shown(tokens[:5]) == " ".join(tokens[:5])
