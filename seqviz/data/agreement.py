"""Long-range agreement cases from the toy grammar: each verb whose form is decided by a subject k words
back ("the girl that the dogs see *does* not swim": "does" agrees with "girl", five words back; "see" with
"dogs", one back). The grammar finds them, nothing is hand-labelled: a verb is a case when its other form
makes the sentence ungrammatical, and its subject is the noun whose number, flipped, breaks the sentence
until the verb is flipped too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import toy_lexicon as lex
from .toy_grammar import is_grammatical

# a verb's other number: "sleeps" <-> "sleep", "is" <-> "are", "does" <-> "do"
VERB_OTHER = {
    **{v.sg: v.bare for v in lex.VERBS},
    **{v.bare: v.sg for v in lex.VERBS},
    lex.COPULA[lex.SG][0]: lex.COPULA[lex.PL][0],
    lex.COPULA[lex.PL][0]: lex.COPULA[lex.SG][0],
    lex.DO[lex.SG]: lex.DO[lex.PL],
    lex.DO[lex.PL]: lex.DO[lex.SG],
}
NOUN_OTHER = {**{n.sg: n.pl for n in lex.NOUNS if n.sg != n.pl}, **{n.pl: n.sg for n in lex.NOUNS if n.sg != n.pl}}
PLURAL_NOUNS = frozenset(n.pl for n in lex.NOUNS if n.sg != n.pl)
# a determiner that fits the flipped noun ("a cat" -> "the cats"), to find a subject, never shown
DET_FOR_FLIP = {"a": "the", "an": "the", "this": "these", "these": "this"}
DISTANCE_BUCKETS = ((1, 1), (2, 2), (3, 4), (5, 7), (8, 99))  # words from the subject to its verb
# a sentence with two long-range cases, "see" <- "dogs" (6 back, past the singular "bike") and "does" <- "girl"
# (10 back): the recurrent page's default and the slide's sentence when the deck's is too short
LONG_RANGE_EXAMPLE = "the girl that the dogs on the big red bike see does not swim"


@dataclass(frozen=True)
class AgreementCase:
    words: tuple[str, ...]  # the whole (grammatical) sentence
    verb: int  # the position of the verb that agrees
    right: str  # its form in the sentence
    wrong: str  # its other number, which the grammar refuses here
    subject: int  # the position of the noun it agrees with

    @property
    def distance(self) -> int:
        return self.verb - self.subject

    @property
    def attractors(self) -> int:
        """Nouns between the subject and its verb in the other number ("bike" between "dogs" and "see"):
        the words that pull a model towards the wrong form."""
        plural = self.words[self.subject] in PLURAL_NOUNS
        between = self.words[self.subject + 1 : self.verb]
        return sum(1 for w in between if w in NOUN_OTHER and (w in PLURAL_NOUNS) != plural)


def flip_noun(words: list[str], j: int) -> list[str]:
    """The words with noun j in its other number, its determiner made to fit ("a cat" -> "the cats");
    nothing else changes, so the sentence keeps its length."""
    flipped = list(words)
    flipped[j] = NOUN_OTHER[words[j]]
    d = j - 1
    while d >= 0 and words[d] in lex.ADJ_BY_WORD:
        d -= 1
    if d >= 0 and words[d] in DET_FOR_FLIP:
        flipped[d] = DET_FOR_FLIP[words[d]]
    return flipped


def sentence_cases(en: Sequence[str]) -> list[AgreementCase]:
    """Every agreement case in one sentence (none if it is not grammatical)."""
    words = list(en)
    if not is_grammatical(words):
        return []
    cases = []
    for i, word in enumerate(words):
        other = VERB_OTHER.get(word)
        if other is None or is_grammatical(words[:i] + [other] + words[i + 1 :]):
            continue  # not a verb, or both forms fit: nothing to the left decides it
        for j in range(i - 1, -1, -1):  # the nearest noun whose number decides this verb
            if words[j] not in NOUN_OTHER:
                continue
            flipped = flip_noun(words, j)
            if not is_grammatical(flipped) and is_grammatical(flipped[:i] + [other] + flipped[i + 1 :]):
                cases.append(AgreementCase(tuple(words), i, word, other, j))
                break
    return cases


def agreement_cases(sentences: Iterable[Sequence[str]]) -> list[AgreementCase]:
    return [case for en in sentences for case in sentence_cases(en)]


def distance_label(bucket: tuple[int, int]) -> str:
    """(1, 1) -> "1", (3, 4) -> "3–4", (8, 99) -> "8+"."""
    low, high = bucket
    return f"{low}+" if bucket == DISTANCE_BUCKETS[-1] else str(low) if low == high else f"{low}–{high}"


def bucket_of(distance: int) -> tuple[int, int]:
    return next(b for b in DISTANCE_BUCKETS if b[0] <= distance <= b[1])
