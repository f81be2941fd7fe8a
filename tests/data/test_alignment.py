"""The alignment truth: hand-checked pairs (articles, adjectives before and after the noun, ne … pas, a
frequency adverb behind its verb, relative pronouns, synonyms, repeated words), and every generated pair."""

import pytest

from seqviz.data.alignment import align
from seqviz.data.toy import check_translation
from seqviz.data.toy_generator import make_pairs

# (English, French, for each French word the English word(s) it translates, sure links only)
CASES = [
    ("the black cat sleeps", "le chat noir dort", ["the", "cat", "black", "sleeps"]),
    ("the small cat does not sleep", "le petit chat ne dort pas", ["the", "small", "cat", "not", "sleep", "not"]),
    ("a dog often sees the white bikes", "un chien voit souvent les bicyclettes blanches",
     ["a", "dog", "sees", "often", "the", "bikes", "white"]),
    ("the cat that a dog sees sleeps", "le chat qu' un chien voit dort",
     ["the", "cat", "that", "a", "dog", "sees", "sleeps"]),
    ("the girl that sings is on the table and the cats run quickly",
     "la fille qui chante est sur la table et les chats courent vite",
     ["the", "girl", "that", "sings", "is", "on", "the", "table", "and", "the", "cats", "run", "quickly"]),
    ("the black cat sees the black dog", "le chat noir voit le chien noir",
     ["the", "cat", "black", "sees", "the", "dog", "black"]),
]  # fmt: skip


@pytest.mark.parametrize(("en", "fr", "expected"), CASES)
def test_hand_checked_pairs(en, fr, expected):
    en, fr = en.split(), fr.split()
    assert check_translation(en, fr)  # each case is a real toy translation
    alignment = align(en, fr)
    assert [tuple(en[i] for i in sources) for sources in alignment.sure] == [(w,) for w in expected]


def test_repeated_words_align_in_order_and_the_auxiliary_is_a_possible_link():
    en, fr = "the black cat sees the black dog".split(), "le chat noir voit le chien noir".split()
    assert align(en, fr).sure == ((0,), (2,), (1,), (3,), (4,), (6,), (5,))
    en, fr = "the dogs do not run".split(), "les chiens ne courent pas".split()
    alignment = align(en, fr)
    assert alignment.sure == ((0,), (1,), (3,), (4,), (3,))
    assert alignment.possible == ((0,), (1,), (2, 3), (2, 4), (2, 3))  # "do": no French word of its own
    assert alignment.links("sure") <= alignment.links("possible")


def test_mismatched_or_foreign_pairs_are_refused():
    with pytest.raises(ValueError, match="no English"):
        align("the cat sleeps".split(), "le chien dort".split())
    with pytest.raises(ValueError, match="no French"):
        align("the black cat sleeps".split(), "le chat dort".split())
    with pytest.raises(ValueError, match="outside the toy language"):
        align("the zebra sleeps".split(), "le zèbre dort".split())


def test_every_generated_pair_aligns_one_to_one():
    for pair in make_pairs(3000, seed=11):
        alignment = align(pair.en, pair.fr)
        assert len(alignment.sure) == len(pair.fr) and all(len(s) == 1 for s in alignment.sure)
        covered = {s for sources in alignment.possible for s in sources}
        assert covered == set(range(len(pair.en)))  # every English word is translated by something
        assert sorted(s for (s,) in alignment.sure if pair.en[s] != "not") == sorted(
            i for i, w in enumerate(pair.en) if w not in ("not", "do", "does")
        )  # one French word per English word, two for each "not"
