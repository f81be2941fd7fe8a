"""The word tables of the toy English→French language (grammar and checker live in toy_grammar.py).

Every French noun variant carries its own gender, so a synonym with another gender ("bike" →
"vélo" m / "bicyclette" f) changes the article and adjective forms around it.
"""

from __future__ import annotations

from typing import NamedTuple

SG, PL = "sg", "pl"
M, F = "m", "f"


class Noun(NamedTuple):
    sg: str
    pl: str
    animate: bool  # only animate nouns can be the subject of a verb other than "is"/"are"
    fr: tuple[tuple[str, str, str], ...]  # per French synonym: (singular, plural, gender)


class Adj(NamedTuple):
    en: str
    before_noun: bool  # in French; in English every adjective precedes the noun
    fr: tuple[tuple[str, str, str, str], ...]  # per synonym: (m sg, f sg, m pl, f pl)


class Verb(NamedTuple):
    sg: str  # "sleeps"
    bare: str  # "sleep": plural and after "does not"
    transitive: bool
    fr: tuple[tuple[str, str], ...]  # per synonym: (3rd person singular, 3rd person plural)


NOUNS = (
    Noun("cat", "cats", True, (("chat", "chats", M),)),
    Noun("dog", "dogs", True, (("chien", "chiens", M),)),
    Noun("mouse", "mice", True, (("souris", "souris", F),)),
    Noun("horse", "horses", True, (("cheval", "chevaux", M),)),
    Noun("girl", "girls", True, (("fille", "filles", F),)),
    Noun("boy", "boys", True, (("garçon", "garçons", M),)),
    Noun("fish", "fish", True, (("poisson", "poissons", M),)),  # English number shows only in agreement
    Noun("table", "tables", False, (("table", "tables", F),)),
    Noun("car", "cars", False, (("voiture", "voitures", F),)),
    Noun("bike", "bikes", False, (("vélo", "vélos", M), ("bicyclette", "bicyclettes", F))),
    Noun("ball", "balls", False, (("balle", "balles", F), ("ballon", "ballons", M))),
    Noun("house", "houses", False, (("maison", "maisons", F),)),
    Noun("garden", "gardens", False, (("jardin", "jardins", M),)),
)

ADJS = (
    Adj("black", False, (("noir", "noire", "noirs", "noires"),)),
    Adj("white", False, (("blanc", "blanche", "blancs", "blanches"),)),
    Adj("red", False, (("rouge", "rouge", "rouges", "rouges"),)),
    Adj("small", True, (("petit", "petite", "petits", "petites"),)),
    Adj("big", True, (("grand", "grande", "grands", "grandes"), ("gros", "grosse", "gros", "grosses"))),
    Adj("old", True, (("vieux", "vieille", "vieux", "vieilles"),)),
)

VERBS = (
    Verb("sleeps", "sleep", False, (("dort", "dorment"),)),
    Verb("runs", "run", False, (("court", "courent"),)),
    Verb("sings", "sing", False, (("chante", "chantent"),)),
    Verb("swims", "swim", False, (("nage", "nagent"),)),
    Verb("sees", "see", True, (("voit", "voient"), ("regarde", "regardent"))),
    Verb("chases", "chase", True, (("chasse", "chassent"), ("poursuit", "poursuivent"))),
    Verb("eats", "eat", True, (("mange", "mangent"),)),
    Verb("finds", "find", True, (("trouve", "trouvent"),)),
)

# English determiner -> {number: {French gender: French determiner}}. "a"/"an" follow the next sound.
DETS = {
    "the": {SG: {M: "le", F: "la"}, PL: {M: "les", F: "les"}},
    "a": {SG: {M: "un", F: "une"}},
    "an": {SG: {M: "un", F: "une"}},
    "this": {SG: {M: "ce", F: "cette"}},
    "these": {PL: {M: "ces", F: "ces"}},
}
COPULA = {SG: ("is", "est"), PL: ("are", "sont")}
DO = {SG: "does", PL: "do"}  # "does not" -> "ne … pas" around the French verb
FREQ_ADVS = {"often": ("souvent",), "always": ("toujours",), "sometimes": ("parfois", "quelquefois")}
MANNER_ADVS = {"quickly": ("vite", "rapidement"), "slowly": ("lentement",)}
PREPS = {"on": "sur", "under": "sous", "in": "dans", "with": "avec", "behind": "derrière"}
PLACE_PREPS = {"on", "under", "in"}  # take only inanimate objects: "on the table", not "on the cat"
SUBJECT_REL, OBJECT_REL = "qui", "que"  # both are English "that"


def object_rel(next_en_word: str) -> str:
    """The object relative pronoun: que, elided to qu' before un/une (English a/an)."""
    return "qu'" if next_en_word in ("a", "an") else OBJECT_REL


def _english_words() -> list[str]:
    words = {"that", "and", "not", *DETS, *DO.values(), *FREQ_ADVS, *MANNER_ADVS, *PREPS}
    words |= {w for n in NOUNS for w in (n.sg, n.pl)} | {a.en for a in ADJS}
    words |= {w for v in VERBS for w in (v.sg, v.bare)} | {en for en, _ in COPULA.values()}
    return sorted(words)


def _french_words() -> list[str]:
    words = {"ne", "pas", "et", SUBJECT_REL, OBJECT_REL, object_rel("a"), *PREPS.values()}
    words |= {w for forms in DETS.values() for by_g in forms.values() for w in by_g.values()}
    words |= {w for n in NOUNS for sg, pl, _ in n.fr for w in (sg, pl)}
    words |= {w for a in ADJS for forms in a.fr for w in forms}
    words |= {w for v in VERBS for forms in v.fr for w in forms}
    words |= {fr for _, fr in COPULA.values()}
    words |= {w for table in (FREQ_ADVS, MANNER_ADVS) for ws in table.values() for w in ws}
    return sorted(words)


EN_WORDS: list[str] = _english_words()
FR_WORDS: list[str] = _french_words()

# Lookups used by the parser.
NOUN_FORMS: dict[str, list[tuple[Noun, str]]] = {}
for _noun in NOUNS:
    NOUN_FORMS.setdefault(_noun.sg, []).append((_noun, SG))
    NOUN_FORMS.setdefault(_noun.pl, []).append((_noun, PL))
ADJ_BY_WORD = {a.en: a for a in ADJS}
VERBS_BY_WORD: dict[str, list[Verb]] = {}
for _verb in VERBS:
    for _form in {_verb.sg, _verb.bare}:
        VERBS_BY_WORD.setdefault(_form, []).append(_verb)
ANIMATE_NOUNS = tuple(n for n in NOUNS if n.animate)
INANIMATE_NOUNS = tuple(n for n in NOUNS if not n.animate)
PRE_ADJS = tuple(a for a in ADJS if a.before_noun)
POST_ADJS = tuple(a for a in ADJS if not a.before_noun)
DETS_FOR = {num: tuple(d for d in DETS if num in DETS[d] and d != "an") for num in (SG, PL)}  # "an" is spelling


def adj_form(forms: tuple[str, str, str, str], gender: str, num: str) -> str:
    """The French adjective form agreeing with a noun of this gender and number."""
    return forms[(2 if num == PL else 0) + (1 if gender == F else 0)]


def starts_with_vowel_sound(word: str) -> bool:
    return word[:1] in "aeiou"
