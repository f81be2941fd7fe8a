"""Lesson 7: the fusions — UniLM (one network, several masks), XLNet (autoregressive in a shuffled order),
T5 (every task as text to text) and RETRO (facts read from a datastore, not from the weights)."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import torch

from ..data.facts import PLACES, SUBJECTS, question
from ..data.text_to_text import ANSWERS, answer_ok, with_prefix
from ..data.toy import right_context_sites
from ..decoding.seq2seq import translate_batch
from ..decoding.unilm import prefix_translate
from ..export.deck import Deck
from ..export.fusion_slides import (
    RETRO_ASKED,
    retro_answer,
    retro_reading,
    retro_world,
    t5_prefixes,
    unilm_masks,
    xlnet_streams,
)
from ..models.xlnet import two_stream_masks
from .steps import Lesson, Question, Step, ask, band_of, quoted, share_labels

BANDS = ((0.0, 0.3), (0.3, 0.7), (0.7, 0.9), (0.9, 1.01))


def _band(deck: Deck, share: float) -> tuple[str, list[str]]:
    """The band a share falls in, and every band's label. -> (right, labels)"""
    labels = share_labels(deck, BANDS)
    return band_of(share, BANDS, labels), labels


def unilm_under_the_causal_mask(deck: Deck) -> Question:
    m = deck.model("toy_unilm").metrics
    right, labels = _band(deck, m["right_context_agreement_causal_mask"])
    return ask(
        deck.t("les_fu_unilm_q", bidirectional=m["right_context_agreement"]),
        right,
        labels,
        deck.t(
            "les_fu_unilm_a",
            n=m["right_context_items"],
            bidirectional=m["right_context_agreement"],
            causal=m["right_context_agreement_causal_mask"],
            gpt=deck.model("toy_clm").metrics["right_context_agreement"],
        ),
    )


def unilm_translates(deck: Deck) -> Question:
    ckpt = deck.model("toy_unilm")
    vocab = ckpt.vocab
    src = torch.tensor([vocab.encode(deck.words)], device=deck.device)  # (1, S)
    french = vocab.decode(prefix_translate(ckpt.model.view("seq2seq"), src, vocab)[0])
    right, wrong = deck.t("les_s2s_right"), deck.t("les_s2s_wrong")
    verdict = right if deck.translates(french) else wrong
    return ask(
        deck.t("les_fu_translate_q", sentence=quoted(deck.words)),
        verdict,
        [right, wrong],
        deck.t(
            "les_fu_translate_a",
            french=quoted(french),
            verdict=verdict,
            unilm=ckpt.metrics["seq2seq"]["exact_match"],
            transformer=deck.model("toy_transformer_mt").metrics["exact_match"],
        ),
    )


def _xlnet_order(deck: Deck) -> tuple[list[int], int, list[str]]:
    """The factorisation order of the XLNet slide: the noun whose number the right decides (or the second
    word) last. -> (order over <bos> + words, the last position, labels)"""
    words = deck.words
    sites = right_context_sites(words)
    last = sites[0][0] if sites else min(1, len(words) - 1)
    order = [0, *(p + 1 for p in range(len(words)) if p != last), last + 1]
    return order, last + 1, ["<bos>", *words]


def xlnet_reads(deck: Deck) -> Question | None:
    """Which words the query stream of the word predicted last may read, in the slide's order."""
    order, last, labels = _xlnet_order(deck)
    if len(labels) < 3:
        return None
    _, query = two_stream_masks([order], len(order))  # (1, T, T) True where a row may read
    read = set(torch.nonzero(query[0, last]).flatten().tolist())
    others = set(range(len(labels))) - {last}
    answers = {
        deck.t("les_fu_xlnet_left"): set(range(last)),
        deck.t("les_fu_xlnet_others"): others,
        deck.t("les_fu_xlnet_all"): others | {last},
    }
    right = next((text for text, positions in answers.items() if positions == read), None)
    return ask(
        deck.t("les_fu_xlnet_q", order=" → ".join(labels[p] for p in order[1:]), word=labels[last]),
        right or quoted([labels[p] for p in sorted(read)]),
        list(answers),
        deck.t("les_fu_xlnet_a", word=labels[last], n=len(read - {0})),
    )


def xlnet_best_order(deck: Deck) -> Question:
    m = deck.model("toy_xlnet").metrics
    shares = {
        deck.t("les_fu_order_noun_last"): m["right_context_agreement_noun_last"],
        deck.t("les_fu_order_left_to_right"): m["right_context_agreement_left_to_right"],
        deck.t("les_fu_order_random"): m["right_context_agreement_random"],
    }
    measured = "; ".join(f"{order} {share:.0%}" for order, share in shares.items())
    return ask(
        deck.t("les_fu_order_q"),
        max(shares, key=shares.get),
        list(shares),
        deck.t("les_fu_order_a", n=m["right_context_items"], measured=measured),
    )


def t5_number(deck: Deck) -> Question:
    ckpt = deck.model("toy_t5")
    vocab = ckpt.vocab
    tokens = list(with_prefix("number", deck.words))
    src = torch.tensor([vocab.encode(tokens)], device=deck.device)  # (1, S)
    said = vocab.decode(translate_batch(ckpt.model, src, vocab.bos_id, vocab.eos_id)[0])
    answer = " ".join(said) or "—"
    if not deck.is_grammatical:  # the grammar cannot say which noun is the subject
        checked = deck.t("les_fu_unchecked")
    else:
        checked = deck.t("les_s2s_right" if answer_ok("number", deck.words, said) else "les_s2s_wrong")
    return ask(
        deck.t("les_fu_t5_q", input=quoted(tokens)),
        answer,
        list(ANSWERS.values()),
        deck.t("les_fu_t5_a", answer=answer, checked=checked, accuracy=ckpt.metrics["number"]["accuracy"]),
    )


def _asked(deck: Deck) -> int:
    """The RETRO question's subject: the first «the ADJ NOUN» of the sentence that the facts world knows,
    else the slide's."""
    words = deck.words
    for i in range(len(words) - 2):
        if tuple(words[i : i + 3]) in SUBJECTS:
            return SUBJECTS.index(tuple(words[i : i + 3]))
    return RETRO_ASKED


def _edited_world(deck: Deck):
    """The page's first world with the asked subject moved to the next place."""
    world, asked = retro_world(), _asked(deck)
    places = list(world.places)
    places[asked] = (places[asked] + 1) % len(PLACES)
    return replace(world, places=tuple(places)), asked


def retro_follows_the_edit(deck: Deck) -> Question:
    world, asked = _edited_world(deck)
    original = PLACES[retro_world().places[asked]]
    edited = PLACES[world.places[asked]]
    vocab = deck.model("toy_retro").vocab
    answer = vocab.decode(retro_answer(deck, world, asked).answer)
    said = " ".join(answer)
    choices = [" ".join(edited), " ".join(original), said]
    return ask(
        deck.t(
            "les_fu_retro_q",
            question=" ".join(question(SUBJECTS[asked])),
            original=" ".join(original),
            edited=" ".join(edited),
        ),
        said,
        choices,
        deck.t(
            "les_fu_retro_a",
            said=said,
            followed=deck.t("les_fu_followed" if tuple(answer) == edited else "les_fu_not_followed"),
            rate=deck.model("toy_retro").metrics["edited_fact_followed"],
        ),
    )


def retro_without_retrieval(deck: Deck) -> Question:
    m = deck.model("toy_retro").metrics
    right, labels = _band(deck, m["accuracy_random_neighbours"])
    return ask(
        deck.t("les_fu_random_q", accuracy=m["accuracy_with_retrieval"]),
        right,
        labels,
        deck.t(
            "les_fu_random_a",
            n=m["heldout_questions"],
            retrieved=m["accuracy_with_retrieval"],
            random=m["accuracy_random_neighbours"],
            none=m["accuracy_no_retrieval"],
        ),
    )


def _edited_reading(deck: Deck) -> go.Figure:
    return retro_reading(deck, *_edited_world(deck))


LESSON = Lesson(
    "fusions",
    "les_fu_title",
    "les_fu_summary",
    (
        Step("les_fu_1_title", "les_fu_1_text", question=unilm_under_the_causal_mask, answer_figure=unilm_masks),
        Step("les_fu_2_title", "les_fu_2_text", question=unilm_translates),
        Step("les_fu_3_title", "les_fu_3_text", question=xlnet_reads, answer_figure=xlnet_streams),
        Step("les_fu_4_title", "les_fu_4_text", question=xlnet_best_order),
        Step("les_fu_5_title", "les_fu_5_text", question=t5_number, answer_figure=t5_prefixes),
        Step("les_fu_6_title", "les_fu_6_text", question=retro_follows_the_edit, answer_figure=_edited_reading),
        Step("les_fu_7_title", "les_fu_7_text", question=retro_without_retrieval),
        Step("les_fu_8_title", "les_fu_8_text", figure=unilm_masks),
    ),
)
