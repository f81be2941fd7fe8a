import json
import random
import sys
from collections import Counter

import pytest

from seqviz.data import toy, toy_grammar
from seqviz.data import toy_lexicon as lex
from seqviz.data.text import tokenize
from seqviz.data.toy import (
    EN_WORDS,
    FR_WORDS,
    check_translation,
    is_grammatical,
    make_splits,
    sentences_of_split,
    split_pairs,
    translations,
    unknown_words,
)
from seqviz.data.toy_generator import generate_pair, make_pairs


def s(text):
    return tuple(text.split())


def ok(en, fr):
    return check_translation(s(en), s(fr))


@pytest.fixture(scope="module")
def pairs():
    return make_pairs(2000, seed=0)


# --- generation ---------------------------------------------------------------------------


def test_same_seed_same_pairs_different_seed_different_pairs():
    assert make_pairs(300, seed=7) == make_pairs(300, seed=7)
    assert make_pairs(300, seed=7) != make_pairs(300, seed=8)


def test_generation_uses_no_global_random_state():
    random.seed(1)
    a = make_pairs(50, seed=3)
    random.seed(2)
    assert make_pairs(50, seed=3) == a


def test_every_generated_pair_is_grammatical_and_a_correct_translation(pairs):
    for p in pairs:
        assert is_grammatical(p.en), p
        assert check_translation(p.en, p.fr), p


def test_lengths_cover_3_to_35_evenly(pairs):
    counts = Counter(len(p.fr) for p in pairs)
    assert set(counts) == set(range(3, 36))
    assert min(counts.values()) >= 25  # about 60 each


def test_length_bounds_are_respected():
    lengths = {len(p.fr) for p in make_pairs(200, seed=1, min_tgt_len=10, max_tgt_len=12)}
    assert lengths == {10, 11, 12}
    assert len(generate_pair(random.Random(0), 60).fr) == 60
    with pytest.raises(ValueError):
        make_pairs(5, seed=0, min_tgt_len=2)
    with pytest.raises(ValueError):
        make_pairs(5, seed=0, min_tgt_len=9, max_tgt_len=8)


def test_generated_text_uses_exactly_the_fixed_vocabularies(pairs):
    en_used = {w for p in pairs for w in p.en}
    fr_used = {w for p in pairs for w in p.fr}
    assert en_used == set(EN_WORDS)  # every word, every synonym, every form is reachable
    assert fr_used == set(FR_WORDS)


def test_synonyms_are_chosen_at_random_in_the_data(pairs):
    fr = Counter(w for p in pairs for w in p.fr)
    for a, b in [("voit", "regarde"), ("vite", "rapidement"), ("vélo", "bicyclette"), ("balle", "ballon")]:
        assert fr[a] > 0 and fr[b] > 0


def test_word_lists_are_small_sorted_and_have_synonyms():
    assert EN_WORDS == sorted(EN_WORDS) and FR_WORDS == sorted(FR_WORDS)
    assert 60 <= len(EN_WORDS) <= 80 and 70 <= len(FR_WORDS) <= 110
    multi = [n.sg for n in lex.NOUNS if len(n.fr) > 1] + [a.en for a in lex.ADJS if len(a.fr) > 1]
    multi += [v.sg for v in lex.VERBS if len(v.fr) > 1]
    multi += [w for t in (lex.FREQ_ADVS, lex.MANNER_ADVS) for w, fr in t.items() if len(fr) > 1]
    assert len(multi) >= 6


# --- the checker: concrete examples ---------------------------------------------------------


def test_reordering_colour_after_noun_size_before():
    assert ok("the black cat sleeps", "le chat noir dort")
    assert not ok("the black cat sleeps", "le noir chat dort")
    assert ok("the small cat sleeps", "le petit chat dort")
    assert not ok("the small cat sleeps", "le chat petit dort")
    assert ok("the small black cat sleeps", "le petit chat noir dort")
    assert ok("the cat often sleeps", "le chat dort souvent")
    assert not ok("the cat often sleeps", "le chat souvent dort")


def test_agreement_in_gender_and_number():
    assert ok("the cat sleeps", "le chat dort")
    assert ok("the cats sleep", "les chats dorment")
    assert not ok("the cats sleep", "les chat dorment")
    assert not ok("the cats sleep", "les chats dort")
    assert not ok("the cat sleeps", "la chat dort")
    assert ok("the small mouse is black", "la petite souris est noire")
    assert not ok("the small mouse is black", "la petite souris est noir")
    assert not ok("the small mouse is black", "le petit souris est noire")
    assert ok("the black mice sleep", "les souris noires dorment")
    assert ok("the cat and the mouse are black", "le chat et la souris sont noirs")
    assert not ok("the cat and the mouse are black", "le chat et la souris sont noires")
    assert ok("the mouse and the girl are white", "la souris et la fille sont blanches")


def test_every_synonym_variant_is_accepted_and_mixtures_rejected():
    assert translations(s("the big ball is red")) == {
        s("la grande balle est rouge"),
        s("la grosse balle est rouge"),
        s("le grand ballon est rouge"),
        s("le gros ballon est rouge"),
    }
    assert not ok("the big ball is red", "la grand ballon est rouge")
    assert translations(s("the bike is black")) == {s("le vélo est noir"), s("la bicyclette est noire")}
    assert not ok("the bike is black", "le vélo est noire")
    assert not ok("the bike is black", "la bicyclette est noir")
    variants = translations(s("the big dog chases the red ball"))
    assert len(variants) == 8
    for fr in ["le grand chien chasse la balle rouge", "le gros chien poursuit le ballon rouge"]:
        assert s(fr) in variants and ok("the big dog chases the red ball", fr)
    assert ok("the cats sometimes run quickly", "les chats courent parfois vite")
    assert ok("the cats sometimes run quickly", "les chats courent quelquefois rapidement")


def test_ambiguous_english_accepts_every_reading():
    assert translations(s("the cat sees the fish")) == {
        s(f"le chat {v} {obj}") for v in ("voit", "regarde") for obj in ("le poisson", "les poissons")
    }
    assert ok("the fish swim", "les poissons nagent")
    assert not ok("the fish swim", "le poisson nage")


def test_negation_and_relative_clauses():
    assert ok("the cat does not sleep", "le chat ne dort pas")
    assert ok("the cats do not see the dog", "les chats ne voient pas le chien")
    assert ok("the dog that sees the cats sleeps", "le chien qui voit les chats dort")
    assert ok("the cats that the dog sees sleep", "les chats que le chien voit dorment")
    assert not ok("the cats that the dog sees sleep", "les chats qui le chien voit dorment")
    assert ok("the cat that a dog sees sleeps", "le chat qu' un chien voit dort")
    assert not ok("the cat that a dog sees sleeps", "le chat que un chien voit dort")
    assert ok("the ball that is under the table is red", "la balle qui est sous la table est rouge")
    assert ok("the cat sleeps and the dog runs", "le chat dort et le chien court")


def test_wrong_words_and_lengths_are_rejected():
    en = "the cat chases the dog"
    assert ok(en, "le chat chasse le chien")
    assert not ok(en, "le chien chasse le chat")  # swapped
    assert not ok(en, "le chat chasse le")  # dropped / truncated
    assert not ok(en, "le chat chasse le chien chien")  # extra
    assert not ok(en, "le chat mange le chien")  # wrong word
    assert not ok(en, "")
    assert not ok("the cat chases", "le chat chasse")  # ungrammatical English
    assert translations(s("cat the sleeps")) == set()


def test_translations_and_checker_agree_under_random_edits(pairs):
    rng = random.Random(0)
    short = [p for p in pairs if len(p.fr) <= 10][:150]
    for p in short:
        valid = translations(p.en)
        assert p.fr in valid
        assert all(check_translation(p.en, fr) for fr in valid)
        fr = list(p.fr)
        fr[rng.randrange(len(fr))] = rng.choice(FR_WORDS)
        assert check_translation(p.en, fr) == (tuple(fr) in valid)


def _grammar_calls_per_word(pairs) -> float:
    """Calls into the grammar's functions (the parser and the lattice) made checking the pairs, per French
    word: work counted, not timed."""
    calls = [0]

    def count(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == toy_grammar.__file__:
            calls[0] += 1

    sys.setprofile(count)
    try:
        assert all(check_translation(p.en, p.fr) for p in pairs)
    finally:
        sys.setprofile(None)
    return calls[0] / sum(len(p.fr) for p in pairs)


def test_checking_grows_linearly_with_the_sentence():
    """The checker parses into a lattice and walks it with a set of positions: 30-35-word translations
    cost no more per word than 3-8-word ones (an enumeration of every translation would explode)."""
    short = make_pairs(200, seed=5, min_tgt_len=3, max_tgt_len=8)
    long = make_pairs(200, seed=5, min_tgt_len=30, max_tgt_len=35)
    assert _grammar_calls_per_word(long) < 1.5 * _grammar_calls_per_word(short)  # measured: 19 and 23


# --- the English checker ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "en",
    [
        "the cat sleep",
        "the cats sleeps",
        "a cats sleep",
        "these cat sleeps",
        "a old cat sleeps",
        "an cat sleeps",
        "the table sleeps",
        "the cat sleeps on the dog",
        "the black small cat sleeps",
        "the cat does not sleeps",
        "the cat do not sleep",
        "the cats is black",
        "the cat sees",
        "the cat sleeps the dog",
        "the cat",
        "sleeps",
        "",
        "the cat sleeps and",
        "the cat sleeps .",
        "the cat and the dog sleeps",
    ],
)
def test_is_grammatical_rejects(en):
    assert not is_grammatical(s(en))


def test_huge_input_is_rejected_without_crashing():
    chain = s("the cat") + s("that sees the cat") * 300 + s("sleeps")
    assert not is_grammatical(chain) and not is_grammatical(s("the cat sleeps and") * 2000)


@pytest.mark.parametrize(
    "en",
    [
        "the cat sleeps",
        "an old cat sleeps",
        "the table is red",
        "the ball is on the table",
        "the cat and the dog sleep",
        "the fish sleeps",
        "the fish sleep",
        "the girl runs with the dog",
        "the cats that the dog does not see often swim slowly in the garden",
    ],
)
def test_is_grammatical_accepts(en):
    assert is_grammatical(s(en))


def test_valid_fills_use_right_context():
    plural_animate = {n.pl for n in lex.NOUNS if n.animate}
    assert set(toy.valid_fills(s("the [MASK] sleep"), 1)) == plural_animate
    assert "fish" in toy.valid_fills(s("the [MASK] sleeps"), 1)
    assert set(toy.valid_fills(s("the cats [MASK]"), 2)) == {v.bare for v in lex.VERBS if not v.transitive}


# --- splits ---------------------------------------------------------------------------------


def test_make_splits_exact_sizes_and_no_shared_english():
    splits = make_splits(600, 100, 100, seed=3)
    assert {k: len(v) for k, v in splits.items()} == {"train": 600, "valid": 100, "test": 100}
    en = {k: {p.en for p in v} for k, v in splits.items()}
    assert not en["train"] & en["valid"] and not en["train"] & en["test"] and not en["valid"] & en["test"]
    assert splits == make_splits(600, 100, 100, seed=3)
    lengths = {len(p.fr) for p in make_splits(50, 10, 10, seed=3, min_tgt_len=5, max_tgt_len=6)["test"]}
    assert lengths <= {5, 6}


def test_a_split_drawn_alone_is_the_head_of_the_same_split_made_whole():
    """iter_split yields make_splits' pairs of one split in the same order (a page that shows the first
    test pairs draws only those), and stops where the split is full."""
    from itertools import islice

    from seqviz.data.toy import iter_split

    whole = make_splits(600, 100, 100, seed=3)
    for name in ("train", "valid", "test"):
        assert list(islice(iter_split(name, 600, 100, 100, seed=3), 40)) == whole[name][:40]
    assert list(iter_split("test", 600, 100, 100, seed=3)) == whole["test"]
    with pytest.raises(ValueError, match="split must be one of"):
        iter_split("dev", 6, 1, 1, seed=5)


def test_more_sentences_of_one_split_never_meet_the_others():
    """sentences_of_split draws as many held-out sentences as asked, each one that make_splits would put in
    that split, so none of them can be in the training split of the same proportions."""
    held_out = sentences_of_split("test", 300, seed=5, n_train=600, n_valid=100, n_test=100)
    assert len(held_out) == 300 and all(is_grammatical(list(s)) for s in held_out)
    train = {p.en for p in make_splits(600, 100, 100, seed=3)["train"]}
    assert not train & set(held_out)
    with pytest.raises(ValueError, match="split must be one of"):
        sentences_of_split("dev", 3, seed=5, n_train=6, n_valid=1, n_test=1)
    with pytest.raises(ValueError, match="empty"):
        sentences_of_split("valid", 3, seed=5, n_train=6, n_valid=0, n_test=1)


def test_split_pairs_is_disjoint_and_complete(pairs):
    splits = split_pairs(pairs)
    assert sum(len(v) for v in splits.values()) == len(pairs)
    train, valid, test = ({p.en for p in splits[k]} for k in ("train", "valid", "test"))
    assert not train & valid and not train & test and not valid & test
    assert 0.7 < len(splits["train"]) / len(pairs) < 0.9


# --- user input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 5000,
        "猫在睡觉",
        "the cat 🐈‍⬛ sleeps 🙂",
        "مرحبا القط",
        "שָׁלוֹם",
        "\u202eevil",
        "<script>alert(1)</script>",
        "\x00\x07",
        "{0}%s",
        "\ud800",
        "The cat sleeps.\r\n",
    ],
)
def test_tokenize_never_raises_and_unknown_words_name_the_rest(text):
    tokens = tokenize(text)
    assert all(isinstance(t, str) and t and not t.isspace() for t in tokens)
    unknown = unknown_words(tokens)
    assert all(t in EN_WORDS for t in tokens if t not in unknown)
    json.dumps(unknown)


def test_tokenize_examples():
    assert tokenize("The Black cat  sleeps.") == ["the", "black", "cat", "sleeps"]
    assert tokenize("the cat\x00sleeps") == ["the", "cat", "sleeps"]
    assert unknown_words(tokenize("the 猫 sleeps on the 猫 mat")) == ["猫", "mat"]
    assert unknown_words(tokenize("<script>alert(1)</script>")) == ["<", "script", ">", "alert", "(", "1", ")", "/"]
    assert unknown_words(["le", "chat"], words=FR_WORDS) == []


def test_example_sentences_show_the_lessons():
    en, fr = toy.example_sentences("en"), toy.example_sentences("fr")
    assert len(en) == len(fr) >= 6
    assert "le chat noir dort" in fr and "le petit chat dort" in fr
    for e, f in zip(en, fr, strict=True):
        assert ok(e, f)
    with pytest.raises(ValueError):
        toy.example_sentences("de")


def test_vocabularies_are_built_from_the_word_lists():
    en, fr, joint = toy.en_vocab(), toy.fr_vocab(), toy.joint_vocab()
    assert en.decode(en.regular_ids) == EN_WORDS and fr.decode(fr.regular_ids) == FR_WORDS
    assert set(joint.tokens[8:]) == set(EN_WORDS) | set(FR_WORDS)
    assert toy.en_vocab() == en  # stable


def test_right_context_sites_and_subject_number():
    from seqviz.data.toy import right_context_sites, subject_number

    assert right_context_sites("the cats sleep".split()) == [(1, "cats", "cat")]
    assert right_context_sites("the small black dog runs".split()) == [(3, "dog", "dogs")]
    assert right_context_sites("these cats sleep".split()) == []  # "these" already says plural
    assert right_context_sites("the fish sleep".split()) == []  # same spelling in both numbers
    assert right_context_sites("the dog sees the cats".split()) == [(1, "dog", "dogs")]  # object number is free
    assert subject_number("the fish sleep".split()) == "pl"
    assert subject_number("the fish sleeps".split()) == "sg"
    assert subject_number("a girl and the boys run".split()) == "sg"
    assert subject_number([]) is None
    assert tokenize("The [mask] sleep.") == ["the", "[MASK]", "sleep"]
