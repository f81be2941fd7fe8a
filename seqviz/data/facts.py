"""A world of facts for retrieval (RETRO): where each of 36 animals and people is, written as toy sentences.

Every world places each subject ("the old dog") somewhere ("under the table"), at random: the facts live
in a datastore, never in a model's weights. A question is the start of a fact ("the old dog is") and its
answer is the place. Some subject–place combinations never occur in training worlds, so a test question
about one can only be answered by reading the datastore.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

ADJECTIVES = ("big", "small", "old", "black", "white", "red")
NOUNS = ("cat", "dog", "girl", "boy", "horse", "mouse")
SUBJECTS = tuple(("the", adjective, noun) for adjective in ADJECTIVES for noun in NOUNS)
PLACES = (
    ("in", "the", "garden"),
    ("in", "the", "house"),
    ("in", "the", "car"),
    ("under", "the", "table"),
    ("on", "the", "table"),
    ("behind", "the", "house"),
    ("behind", "the", "car"),
    ("on", "the", "bike"),
)
VERB = "is"
HELD_OUT_SHARE = 0.2  # of subject–place combinations, never in a training world


def fact(subject: Sequence[str], place: Sequence[str]) -> tuple[str, ...]:
    return (*subject, VERB, *place)


def question(subject: Sequence[str]) -> tuple[str, ...]:
    return (*subject, VERB)


def parse_fact(words: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(subject, place) of a fact sentence "the ADJ NOUN is PREP the THING", or None when it is not one."""
    words = tuple(words)
    subject, place = words[:3], words[4:]
    if len(words) == 7 and words[3] == VERB and subject in SUBJECTS and place in PLACES:
        return subject, place
    return None


def held_out_combinations(seed: int = 11) -> frozenset[tuple[int, int]]:
    """(subject, place) index pairs that no training world uses: a fixed HELD_OUT_SHARE of all of them,
    never all the places of one subject."""
    rng = random.Random(seed)
    held = set()
    for s in range(len(SUBJECTS)):
        k = round(HELD_OUT_SHARE * len(PLACES))
        held |= {(s, p) for p in rng.sample(range(len(PLACES)), k)}
    return frozenset(held)


@dataclass(frozen=True)
class World:
    places: tuple[int, ...]  # the place index of every subject

    def facts(self) -> list[tuple[str, ...]]:
        return [fact(subject, PLACES[p]) for subject, p in zip(SUBJECTS, self.places, strict=True)]


def random_world(rng: random.Random, held_out: frozenset, ask: int | None = None, test: bool = False) -> World:
    """Each subject somewhere; in a training world never at a held-out place. In a test world the asked
    subject is at one of its held-out places (the others anywhere)."""
    places = []
    for s in range(len(SUBJECTS)):
        if test and s == ask:
            options = [p for p in range(len(PLACES)) if (s, p) in held_out]
        elif test:
            options = list(range(len(PLACES)))
        else:
            options = [p for p in range(len(PLACES)) if (s, p) not in held_out]
        places.append(rng.choice(options))
    return World(tuple(places))
