"""Lesson 6: parallel decoding and its price — every word in one pass (NAT), what distillation buys, CTC's
blanks, mask-predict's refinement, masked diffusion, and the time each takes."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import torch

from ..decoding.diffusion import denoising_grid, diffuse, masked_start
from ..decoding.parallel import ctc_decode, mask_predict, nat_decode
from ..decoding.speed import METHOD_NAME_KEYS, compare_decoders
from ..device import describe
from ..export.deck import ITERATIONS, Deck
from ..export.slides import diffusion_steps, mask_predict_iterations, speed
from .signals import STEPS as BEYOND_TEXT
from .steps import Lesson, Question, Step, ask, band_of, one_mask, quoted

SPEED_REPEATS = 5
SPEED_LENGTHS = (8, 32)  # the closing chart: batch 1 only, so a lesson step stays quick


def _source(deck: Deck, name: str) -> torch.Tensor:
    vocab = deck.model(name).vocab
    return torch.tensor([vocab.encode(deck.words)], device=deck.device)  # (1, S)


def _nat(deck: Deck, name: str) -> list[str]:
    ckpt = deck.model(name)
    return ckpt.vocab.decode(nat_decode(ckpt.model, _source(deck, name), ckpt.vocab.mask_id).tokens[0])


def nat_on_this_sentence(deck: Deck) -> Question:
    raw, distilled = _nat(deck, "nat_raw"), _nat(deck, "nat_distilled")
    right, wrong = deck.t("les_s2s_right"), deck.t("les_s2s_wrong")
    verdict = {
        "raw": right if deck.translates(raw) else wrong,
        "distilled": right if deck.translates(distilled) else wrong,
    }
    return ask(
        deck.t("les_par_nat_q", sentence=quoted(deck.words)),
        verdict["raw"],
        [right, wrong],
        deck.t(
            "les_par_nat_a",
            raw=quoted(raw),
            raw_verdict=verdict["raw"],
            distilled=quoted(distilled),
            distilled_verdict=verdict["distilled"],
            passes=len(deck.translation) + 1,
        ),
    )


def distillation_helps(deck: Deck) -> Question:
    raw, distilled = deck.model("nat_raw").metrics, deck.model("nat_distilled").metrics
    higher, lower = deck.t("les_par_higher"), deck.t("les_par_lower")
    verdict = higher if distilled["exact_match"] > raw["exact_match"] else lower
    return ask(
        deck.t("les_par_distil_q"),
        verdict,
        [higher, lower],
        deck.t(
            "les_par_distil_a",
            verdict=verdict,
            n=distilled["heldout_pairs"],
            raw=raw["exact_match"],
            distilled=distilled["exact_match"],
            raw_mixed=raw["mixed_translation_rate"],
            distilled_mixed=distilled["mixed_translation_rate"],
        ),
    )


def ctc_collapse_count(deck: Deck) -> Question:
    ckpt = deck.model("ctc_distilled")
    vocab = ckpt.vocab
    result = ctc_decode(ckpt.model, _source(deck, "ctc_distilled"))
    path = ["_" if t == vocab.blank_id else vocab.token(t) for t in result.paths[0]]
    n = len(result.tokens[0])
    return ask(
        deck.t("les_par_ctc_q", u=len(path), path=" ".join(path)),
        str(n),
        [str(k) for k in (len(path), len(path) // 2, n + 1, max(n - 1, 1))],
        deck.t("les_par_ctc_a", n=n, output=quoted(vocab.decode(result.tokens[0]))),
    )


def remasked_in_iteration_two(deck: Deck) -> Question:
    ckpt = deck.model("cmlm_distilled")
    result = mask_predict(ckpt.model, _source(deck, "cmlm_distilled"), ckpt.vocab.mask_id, ITERATIONS)
    length = len(result.tokens[0])
    again = int(result.iterations[1].remasked[0].sum()) if len(result.iterations) > 1 else 0
    return ask(
        deck.t("les_par_remask_q", length=length, t=ITERATIONS),
        str(again),
        [str(k) for k in (1, length, length // 2, max(again - 2, 0))],
        deck.t("les_par_remask_a", again=again, length=length, t=ITERATIONS, passes=result.passes),
    )


def diffusion_order(deck: Deck) -> Question | None:
    """The seeded diffusion of the closing slide (a sentence of the deck's length, one word per step, the
    surest first): does it write left to right?"""
    n = len(deck.words)
    if n < 3:
        return None
    ckpt = deck.model("toy_diffusion")
    start = masked_start([n], ckpt.vocab).to(deck.device)
    result = diffuse(ckpt.model, start, ckpt.vocab, n, "confidence", generator=torch.Generator().manual_seed(0))
    tokens, _, revealed = denoising_grid(result, ckpt.vocab)
    order = [int(step.argmax()) for step in revealed]  # the position each step revealed
    orders = deck.t("les_par_left_to_right"), deck.t("les_par_right_to_left"), deck.t("les_par_other_order")
    right = orders[0] if order == sorted(order) else orders[1] if order == sorted(order, reverse=True) else orders[2]
    return ask(
        deck.t("les_par_diffusion_q", n=n),
        right,
        orders,
        deck.t("les_par_diffusion_a", order=" → ".join(str(p + 1) for p in order), sentence=quoted(tokens[-1])),
    )


def speedup_here(deck: Deck) -> Question:
    models = {
        "ar": deck.model("toy_transformer_mt").model,
        "nat": deck.model("nat_distilled").model,
        "ctc": deck.model("ctc_distilled").model,
        "cmlm": deck.model("cmlm_distilled").model,
    }
    vocab = deck.model("nat_distilled").vocab
    src = _source(deck, "nat_distilled")[0]
    decoded = compare_decoders(models, src, vocab, ITERATIONS, repeats=SPEED_REPEATS)
    ratio = decoded["ar"].timing.median_ms / decoded["nat"].timing.median_ms
    bands = [(0.0, 2.0), (2.0, 10.0), (10.0, float("inf"))]
    labels = [deck.t("les_par_under_two"), deck.t("les_par_two_to_ten"), deck.t("les_par_over_ten")]
    right = band_of(ratio, bands, labels)
    measured = "; ".join(
        deck.t("les_par_method_ms", method=deck.t(key, t=ITERATIONS), ms=d.timing.median_ms, passes=d.passes)
        for key, d in zip(METHOD_NAME_KEYS.values(), (decoded[m] for m in METHOD_NAME_KEYS), strict=True)
    )
    return ask(
        deck.t("les_par_speed_q", sentence=quoted(deck.words)),
        right,
        labels,
        deck.t(
            "les_par_speed_a",
            ratio=ratio,
            measured=measured,
            device=describe(deck.device),
            repeats=SPEED_REPEATS,
        ),
    )


def _speed_chart(deck: Deck) -> go.Figure:
    return speed(replace(deck, speed_lengths=SPEED_LENGTHS, speed_batches=(1,), speed_repeats=3))


LESSON = Lesson(
    "parallel",
    "les_par_title",
    "les_par_summary",
    (
        Step("les_par_1_title", "les_par_1_text", figure=one_mask("nar_decoder", "les_par_1_title")),
        Step("les_par_2_title", "les_par_2_text", question=nat_on_this_sentence),
        Step("les_par_3_title", "les_par_3_text", question=distillation_helps),
        Step("les_par_4_title", "les_par_4_text", question=ctc_collapse_count),
        Step(
            "les_par_5_title",
            "les_par_5_text",
            question=remasked_in_iteration_two,
            answer_figure=mask_predict_iterations,
        ),
        Step("les_par_6_title", "les_par_6_text", question=diffusion_order, answer_figure=diffusion_steps),
        *BEYOND_TEXT,  # a time series forecast step by step or at once; CTC on speech
        Step("les_par_7_title", "les_par_7_text", question=speedup_here),
        Step("les_par_8_title", "les_par_8_text", figure=_speed_chart),
    ),
)
