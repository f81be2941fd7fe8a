"""T5's idea on the toy language: every task is text in, text out, and a prefix says which task it is.

Five tasks share one vocabulary and one encoder-decoder:
- translate: "translate : the cat sleeps" -> "le chat dort"
- reverse / sort: "reverse : 3 1 4" -> "4 1 3"
- fill (T5's span corruption): "fill : the <X> sleeps on <Y>" -> "<X> black cat <Y> the mat <Z>": each
  sentinel marks a missing span, and the target lists the spans after their sentinels, closed by the next one
- number: "number : the cats that the dog sees sleep" -> "plural" (the subject's grammatical number)
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .digits import DIGITS, digit_answer, digit_pairs
from .text import MAX_INPUT_CHARS, tokenize
from .toy import EN_WORDS, FR_WORDS, check_translation, is_grammatical, make_splits, subject_number
from .vocab import Vocab

TASKS = ("translate", "reverse", "sort", "fill", "number")
SEPARATOR = ":"  # after the task word, as in T5's "translate English to German: ..."
SENTINELS = ("<X>", "<Y>", "<Z>", "<W>")  # T5's <extra_id_0>, <extra_id_1>, ...: at most 3 spans, plus the closing one
ANSWERS = {"sg": "singular", "pl": "plural"}
MAX_SPANS, MAX_SPAN_WORDS = 3, 3

Pair = tuple[tuple[str, ...], tuple[str, ...]]


def t5_vocab() -> Vocab:
    words = sorted(set(EN_WORDS) | set(FR_WORDS))
    return Vocab([*words, *DIGITS, *TASKS, SEPARATOR, *SENTINELS, *ANSWERS.values()])


def with_prefix(task: str, words: Sequence[str]) -> tuple[str, ...]:
    return (task, SEPARATOR, *words)


def split_prefix(tokens: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """("translate", words) from "translate : words"; (None, tokens) when there is no "task :" at the start."""
    if len(tokens) >= 2 and tokens[1] == SEPARATOR:
        return tokens[0], tuple(tokens[2:])
    return None, tuple(tokens)


_SENTINEL = re.compile(r"(<[xyzw]>)", re.IGNORECASE)
DIGIT_TASKS = ("reverse", "sort")


def t5_tokens(text: str) -> list[str]:
    """What a user typed ("sort: 3141", "fill: the <x> sleeps") as T5's tokens: the toy tokeniser's words,
    the sentinels <X> <Y> <Z> <W> kept whole in any case, and a digit task's numbers split into digits."""
    tokens: list[str] = []
    for piece in _SENTINEL.split(str(text)[:MAX_INPUT_CHARS]):
        tokens += [piece.upper()] if _SENTINEL.fullmatch(piece) else tokenize(piece)
    task, body = split_prefix(tokens)
    if task in DIGIT_TASKS:  # "3141" -> 3 1 4 1
        return [task, SEPARATOR, *(part for t in body for part in (list(t) if t.isdigit() else [t]))]
    return tokens


def corrupt_spans(words: Sequence[str], rng: random.Random) -> Pair:
    """T5's span corruption of one sentence: 1–3 spans of 1–3 words (about 15% of the words, at least one
    span), not touching each other, each replaced by the next sentinel. -> (corrupted input, target)"""
    n = len(words)
    wanted = max(1, min(MAX_SPANS, round(0.15 * n / 2) or 1))
    starts, taken = [], set()
    for _ in range(20 * wanted):
        if len(starts) == wanted:
            break
        length = rng.randint(1, min(MAX_SPAN_WORDS, n))
        start = rng.randrange(0, n - length + 1)
        span = set(range(start - 1, start + length + 1))  # keep one word between spans
        if not span & taken:
            starts.append((start, length))
            taken |= set(range(start, start + length))
    source, target, position, sentinel = [], [], 0, 0
    for start, length in sorted(starts):
        source += [*words[position:start], SENTINELS[sentinel]]
        target += [SENTINELS[sentinel], *words[start : start + length]]
        position, sentinel = start + length, sentinel + 1
    source += words[position:]
    target.append(SENTINELS[sentinel])
    return tuple(source), tuple(target)


def fill_spans(source: Sequence[str], output: Sequence[str]) -> list[str] | None:
    """The sentence with the model's spans put back in place of the sentinels, or None when the output is
    not a span list for this input (wrong sentinels, wrong order, a missing closing sentinel)."""
    used = [t for t in source if t in SENTINELS]
    spans: dict[str, list[str]] = {}
    current = None
    for token in output:
        if token in SENTINELS:
            current = token
            spans[current] = []
        elif current is None:
            return None
        else:
            spans[current].append(token)
    closing = SENTINELS[len(used)] if len(used) < len(SENTINELS) else None
    if list(spans) != [*used, closing] or spans[closing]:
        return None
    return [w for t in source for w in (spans[t] if t in SENTINELS else [t])]


def answer_ok(task: str, source: Sequence[str], output: Sequence[str]) -> bool:
    """Whether output answers the task for source: the checker for translation and filled spans (any valid
    sentence counts), exact for the digits and the number."""
    if task == "translate":
        return check_translation(source, output)
    if task in DIGIT_TASKS:
        return tuple(output) == digit_answer(task, source)
    if task == "fill":
        filled = fill_spans(source, output)
        return filled is not None and is_grammatical(filled)
    if task == "number":
        return tuple(output) == (ANSWERS[subject_number(source)],)
    raise ValueError(f"unknown task {task!r}; the tasks are {', '.join(TASKS)}")


def task_examples(task: str, english_pairs: Sequence[Pair], n_digits: int, seed: int) -> list[Pair]:
    """(input, target) pairs of one task, without the prefix: from the English–French pairs, or digits."""
    rng = random.Random(seed)
    if task == "translate":
        return list(english_pairs)
    if task in DIGIT_TASKS:
        return digit_pairs(task, n_digits, seed)
    english = [en for en, _ in english_pairs]
    if task == "fill":
        return [corrupt_spans(en, rng) for en in english]
    return [(en, (ANSWERS[number],)) for en in english if (number := subject_number(en))]


def t5_splits(n_train: int, n_valid: int, n_test: int, seed: int) -> dict[str, dict[str, list[Pair]]]:
    """{split: {task: [(input without prefix, target)]}}: the toy sentences' splits, so a test sentence is
    held out of every task; digit strings of the test split never occur in training."""
    splits = make_splits(n_train, n_valid, n_test, seed)
    out: dict[str, dict[str, list[Pair]]] = {}
    for offset, (name, pairs) in enumerate(splits.items()):
        english_pairs = [(pair.en, pair.fr) for pair in pairs]
        out[name] = {task: task_examples(task, english_pairs, len(pairs), seed + 100 * offset) for task in TASKS}
    seen = {task: set(out["train"][task]) for task in DIGIT_TASKS}
    for name in out:
        if name != "train":
            for task, pairs in seen.items():
                out[name][task] = [p for p in out[name][task] if p not in pairs]
    return out
