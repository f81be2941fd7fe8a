"""Lesson 1: encoder, decoder and the mask — one block, and the mask decides which model it is."""

from __future__ import annotations

from ..export.code_slides import the_mask_in_code
from ..export.deck import SECOND_SENTENCE, Deck
from ..export.fusion_slides import unilm_masks
from ..export.slides import attention_bidirectional_causal, masks_self, masks_seq2seq
from ..models.masks import causal_mask, cross_mask, example_order, mask_gallery, prefix_lm_mask
from ..models.probe import self_attention
from .steps import Lesson, Question, Step, ask, one_mask, quoted


def _focus(words) -> int:
    """The word a question is about: the third, or the last of a shorter sentence."""
    return min(2, len(words) - 1)


def causal_row(deck: Deck) -> Question:
    words, i = deck.words, _focus(deck.words)
    allowed = causal_mask(len(words))[i]  # (T,) True where row i may look
    seen = [w for w, ok in zip(words, allowed.tolist(), strict=True) if ok]
    wrong = [[words[i]], words, words[i:]]
    return ask(
        deck.t("les_masks_causal_q", word=words[i]),
        quoted(seen),
        [quoted(w) for w in wrong],
        deck.t("les_masks_causal_a", word=words[i], n=len(seen)),
    )


def blocked_weight(deck: Deck) -> Question | None:
    words = deck.words
    if len(words) < 2:
        return None
    clm = deck.model("toy_clm")
    ids = [clm.vocab.bos_id, *clm.vocab.encode(words)]
    weight = float(self_attention(clm.model, ids)[-1].mean(0)[1, len(words)])  # first word's row, last word
    choices = [deck.t("les_masks_weight_zero"), deck.t("les_masks_weight_small"), deck.t("les_masks_weight_most")]
    right = choices[0] if weight == 0.0 else choices[1] if weight < 0.1 else choices[2]
    return ask(
        deck.t("les_masks_weight_q", first=words[0], last=words[-1]),
        right,
        choices,
        deck.t("les_masks_weight_a", weight=weight),
    )


def padded_columns(deck: Deck) -> Question:
    gallery = mask_gallery(deck.words, deck.target, SECOND_SENTENCE, 1, example_order(len(deck.words)))
    padding = gallery["padding"]
    blocked = int((~padding.mask).all(0).sum())  # columns no query may look at
    width = len(padding.key_labels)
    real = padding.key_labels[: width - blocked]
    return ask(
        deck.t("les_masks_padding_q", second=quoted(SECOND_SENTENCE), sentence=quoted(deck.words), width=width),
        str(blocked),
        [str(k) for k in (0, width, blocked + 1, max(blocked - 1, 0))],
        deck.t("les_masks_padding_a", shorter=quoted(real), real=len(real), blocked=blocked),
    )


def cross_first_row(deck: Deck) -> Question:
    words, target = deck.words, deck.target
    allowed = cross_mask(len(target), [len(words)])[0, 0]  # (S,) the first French position's row
    seen = [w for w, ok in zip(words, allowed.tolist(), strict=True) if ok]
    wrong = [words[:1], [], words[: max(1, len(words) // 2)]]
    return ask(
        deck.t("les_masks_cross_q", first=target[0]),
        quoted(seen),
        [quoted(w) if w else deck.t("les_masks_none") for w in wrong],
        deck.t("les_masks_cross_a", n=len(seen)),
    )


def prefix_sees_after(deck: Deck) -> Question | None:
    words = deck.words
    if len(words) < 3:
        return None
    prefix = len(words) // 2
    sees = bool(prefix_lm_mask(len(words), prefix)[0, len(words) - 1])  # first word's row, last word's column
    yes, no = deck.t("les_yes"), deck.t("les_no")
    return ask(
        deck.t("les_masks_prefix_q", prefix=quoted(words[:prefix]), first=words[0], last=words[-1]),
        yes if sees else no,
        [yes, no],
        deck.t("les_masks_prefix_a", first=words[0], last=words[-1]),
    )


LESSON = Lesson(
    "masks",
    "les_masks_title",
    "les_masks_summary",
    (
        Step("les_masks_1_title", "les_masks_1_text", figure=masks_self),
        Step(
            "les_masks_2_title",
            "les_masks_2_text",
            question=causal_row,
            answer_figure=one_mask("causal", "les_masks_2_title"),
        ),
        Step(
            "les_masks_3_title",
            "les_masks_3_text",
            question=blocked_weight,
            answer_figure=attention_bidirectional_causal,
        ),
        Step("les_masks_code_title", "les_masks_code_text", figure=the_mask_in_code),  # the mask predicted
        Step(
            "les_masks_4_title",
            "les_masks_4_text",
            question=padded_columns,
            answer_figure=one_mask("padding", "les_masks_4_title"),
        ),
        Step("les_masks_5_title", "les_masks_5_text", question=cross_first_row, answer_figure=masks_seq2seq),
        Step("les_masks_6_title", "les_masks_6_text", question=prefix_sees_after, answer_figure=unilm_masks),
        Step("les_masks_7_title", "les_masks_7_text", figure=one_mask("permutation", "les_masks_7_title")),
    ),
)
