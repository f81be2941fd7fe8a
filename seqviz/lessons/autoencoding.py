"""Lesson 2: autoencoding — BERT fills blanks with context from both sides, learns from its own corruption
rule, and fills several blanks at once at a price."""

from __future__ import annotations

import plotly.graph_objects as go
import torch

from ..data.text import MASK_TOKEN, tokenize
from ..data.toy import RIGHT_CONTEXT_EXAMPLES, right_context_sites
from ..data.toy_generator import make_pairs
from ..data.toy_grammar import is_grammatical, valid_fills
from ..decoding.autoregressive import next_token_probs
from ..decoding.masked import fill_masks
from ..export.deck import FOOT_LEGEND, Deck, fitted, panels
from ..export.slides import attention_bidirectional_causal, masks_self
from ..models.autoencoding import describe_corruption, masked_lm_corruption
from ..models.probe import right_share, self_attention
from ..viz.bars import topk_bars
from .autoencoders import STEPS as RELATIVES
from .steps import Lesson, Question, Step, ask, band_of, one_mask, quoted, share_labels

TOP_K = 5  # bars per blank
# the sample BERT's rule is measured on: long sentences, where its one-word-at-least floor hardly counts
CORRUPTED_SENTENCES, CORRUPTION_SEED, CORRUPTED_MIN_LENGTH = 1000, 0, 20


def _blank(deck: Deck) -> int:
    """The word the fill questions blank: the first noun whose number only the right context decides, else
    the third word (or the last of a shorter sentence)."""
    sites = right_context_sites(deck.words)
    return sites[0][0] if sites else min(2, len(deck.words) - 1)


def _blanked(words, positions) -> list[str]:
    return [MASK_TOKEN if i in positions else w for i, w in enumerate(words)]


@torch.no_grad()
def _mlm_probs(deck: Deck, words, blank: int) -> torch.Tensor:
    """The masked LM's distribution over the vocabulary at one blank of words. -> (V,)"""
    mlm = deck.model("toy_mlm")
    ids = torch.tensor([[mlm.vocab.cls_id, *mlm.vocab.encode(_blanked(words, {blank})), mlm.vocab.sep_id]])
    return mlm.model(ids.to(deck.device)).logits[0, blank + 1].softmax(-1).cpu()


def _mlm_top(deck: Deck, words, blank: int):
    """The masked LM's top words and probabilities at one blank of words. -> (words, probabilities)"""
    top = _mlm_probs(deck, words, blank).topk(TOP_K)
    return deck.model("toy_mlm").vocab.decode(top.indices.tolist()), top.values.tolist()


def _clm_top(deck: Deck, words, blank: int):
    """The causal LM's top words at the same place, reading only the words to its left."""
    clm = deck.model("toy_clm")
    prefix = torch.tensor([clm.vocab.bos_id, *clm.vocab.encode(words[:blank])], device=deck.device)
    probs = next_token_probs(clm.model, prefix).cpu()  # (V,)
    top = probs.topk(TOP_K)
    return clm.vocab.decode(top.indices.tolist()), top.values.tolist(), probs, clm.vocab


def _fill_bars(deck: Deck, words, blank: int, title: str) -> go.Figure:
    top_words, probs = _mlm_top(deck, words, blank)
    fits = set(valid_fills(_blanked(words, {blank}), blank))
    return topk_bars(
        top_words,
        probs,
        title,
        accepted=[w in fits for w in top_words],
        presentation=True,
        x_title=deck.t("ae_probability"),
        legend=(deck.t("ae_fits"), deck.t("ae_does_not_fit")),
    )


def first_fill(deck: Deck) -> Question:
    blank = _blank(deck)
    top_words, probs = _mlm_top(deck, deck.words, blank)
    return ask(
        deck.t("les_bert_fill_q", sentence=quoted(_blanked(deck.words, {blank}))),
        top_words[0],
        top_words[1:4],
        deck.t("les_bert_fill_a", word=top_words[0], p=probs[0], original=deck.words[blank]),
    )


def _fill_figure(deck: Deck) -> go.Figure:
    blank = _blank(deck)
    title = quoted(_blanked(deck.words, {blank}))
    return fitted(panels([_fill_bars(deck, deck.words, blank, title)], 1), deck.t("les_bert_fill_title"))


def _agreement_site(deck: Deck) -> tuple[list[str], int, str, str]:
    """A noun whose number only the words to its right decide: the deck sentence's first, else the first of
    the page's examples. -> (words, position, agreeing form, other form)"""
    for words in (deck.words, *(tokenize(e.replace(MASK_TOKEN, "cats")) for e in RIGHT_CONTEXT_EXAMPLES)):
        sites = right_context_sites(words)
        if sites:
            position, agreeing, other = sites[0]
            return list(words), position, agreeing, other
    raise AssertionError("the examples have right-context sites")


def left_or_both(deck: Deck) -> Question:
    words, position, agreeing, other = _agreement_site(deck)
    _, _, clm_probs, vocab = _clm_top(deck, words, position)

    def agreeing_share(probs: torch.Tensor) -> float:  # the agreeing form's share of the two forms' probability
        p_agree, p_other = (float(probs[vocab.encode([w])[0]]) for w in (agreeing, other))
        return p_agree / max(p_agree + p_other, 1e-12)

    bert, gpt = agreeing_share(_mlm_probs(deck, words, position)), agreeing_share(clm_probs)
    names = deck.t("les_bert_bert"), deck.t("les_bert_gpt"), deck.t("les_bert_both")
    right = names[2] if bert > 0.5 and gpt > 0.5 else names[0] if bert > gpt else names[1]
    return ask(
        deck.t("les_bert_versus_q", sentence=quoted(_blanked(words, {position})), agreeing=agreeing, other=other),
        right,
        names,
        deck.t(
            "les_bert_versus_a",
            agreeing=agreeing,
            other=other,
            bert=bert,
            gpt=gpt,
            n=deck.model("toy_mlm").metrics["right_context_items"],
            bert_measured=deck.model("toy_mlm").metrics["right_context_agreement"],
            gpt_measured=deck.model("toy_clm").metrics["right_context_agreement"],
        ),
    )


def _versus_figure(deck: Deck) -> go.Figure:
    words, position, _, _ = _agreement_site(deck)
    clm_words, clm_probs, _, _ = _clm_top(deck, words, position)
    left = quoted([*words[:position], "___"])
    figures = [
        _fill_bars(deck, words, position, deck.t("ae_mlm_sees", context=quoted(_blanked(words, {position})))),
        topk_bars(
            clm_words,
            clm_probs,
            deck.t("ae_clm_sees", context=left),
            presentation=True,
            x_title=deck.t("ae_probability"),
        ),
    ]
    grid = panels(figures, 2, h_gap=0.16, legend=FOOT_LEGEND)
    grid.update_layout(margin={"b": 110})
    return fitted(grid, deck.t("les_bert_versus_title"))


def attention_to_the_right(deck: Deck) -> Question:
    mlm = deck.model("toy_mlm")
    ids = [mlm.vocab.cls_id, *mlm.vocab.encode(deck.words), mlm.vocab.sep_id]
    share = right_share(self_attention(mlm.model, ids)[-1].mean(0))  # last layer, mean over heads
    bands = [(0.0, 0.1), (0.1, 0.4), (0.4, 0.7), (0.7, 1.01)]
    labels = share_labels(deck, bands)
    right = band_of(share, bands, labels)
    return ask(
        deck.t("les_bert_share_q"),
        right,
        labels,
        deck.t("les_bert_share_a", share=share, sentence=" ".join(deck.words)),
    )


def corruption_rule(deck: Deck) -> Question:
    """BERT's rule measured now on generated sentences: the share of words chosen and what became of them."""
    mlm = deck.model("toy_mlm")
    vocab = mlm.vocab
    generator = torch.Generator().manual_seed(CORRUPTION_SEED)
    counts = {"mask": 0, "random": 0, "keep": 0}
    words = 0
    for pair in make_pairs(CORRUPTED_SENTENCES, CORRUPTION_SEED, min_tgt_len=CORRUPTED_MIN_LENGTH):
        original = torch.tensor([[vocab.cls_id, *vocab.encode(pair.en), vocab.sep_id]])
        maskable = torch.zeros_like(original, dtype=torch.bool)
        maskable[0, 1:-1] = True
        corrupted, labels = masked_lm_corruption(
            original, vocab.mask_id, maskable, torch.tensor(vocab.regular_ids), generator
        )
        for _, action in describe_corruption(original[0], corrupted[0], labels[0], vocab.mask_id):
            counts[action] += 1
        words += len(pair.en)
    chosen = sum(counts.values())
    per_hundred = round(100 * chosen / words)
    return ask(
        deck.t("les_bert_rule_q"),
        str(per_hundred),
        [str(k) for k in (2, 5, 50, 85) if abs(k - per_hundred) > 3],
        deck.t(
            "les_bert_rule_a",
            words=words,
            sentences=CORRUPTED_SENTENCES,
            chosen=chosen / words,
            mask=counts["mask"] / chosen,
            random=counts["random"] / chosen,
            keep=counts["keep"] / chosen,
        ),
    )


def _two_blanks(deck: Deck) -> set[int] | None:
    words = deck.words
    if len(words) < 3:
        return None
    first = _blank(deck)
    second = first + 1 if first + 1 < len(words) else first - 1
    return {first, second}


def two_at_once(deck: Deck) -> Question | None:
    blanks = _two_blanks(deck)
    if blanks is None:
        return None
    mlm = deck.model("toy_mlm")
    vocab = mlm.vocab
    ids = torch.tensor([[vocab.cls_id, *vocab.encode(_blanked(deck.words, blanks)), vocab.sep_id]], device=deck.device)
    filled = {}
    for strategy in ("parallel", "confident_first"):
        out, _ = fill_masks(mlm.model, ids, vocab.mask_id, strategy)
        filled[strategy] = vocab.decode(out[0, 1:-1].tolist())
    good, bad = deck.t("les_bert_grammatical"), deck.t("les_bert_ungrammatical")
    verdict = {strategy: good if is_grammatical(words) else bad for strategy, words in filled.items()}
    return ask(
        deck.t("les_bert_two_q", sentence=quoted(_blanked(deck.words, blanks))),
        verdict["parallel"],
        [good, bad],
        deck.t(
            "les_bert_two_a",
            parallel=quoted(filled["parallel"]),
            parallel_verdict=verdict["parallel"],
            confident=quoted(filled["confident_first"]),
            confident_verdict=verdict["confident_first"],
        ),
    )


LESSON = Lesson(
    "bert",
    "les_bert_title",
    "les_bert_summary",
    (
        Step("les_bert_1_title", "les_bert_1_text", figure=one_mask("bidirectional", "les_bert_1_title")),
        Step("les_bert_2_title", "les_bert_2_text", question=first_fill, answer_figure=_fill_figure),
        Step("les_bert_3_title", "les_bert_3_text", question=left_or_both, answer_figure=_versus_figure),
        Step(
            "les_bert_4_title",
            "les_bert_4_text",
            question=attention_to_the_right,
            answer_figure=attention_bidirectional_causal,
        ),
        Step("les_bert_5_title", "les_bert_5_text", question=corruption_rule),
        Step("les_bert_6_title", "les_bert_6_text", question=two_at_once),
        *RELATIVES,  # BERT's relatives: ELECTRA, BART, a VAE
        Step("les_bert_7_title", "les_bert_7_text", figure=masks_self),
    ),
)
