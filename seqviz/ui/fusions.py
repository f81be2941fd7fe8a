"""The fusions page: UniLM (one network, three masks), XLNet (a permutation language model) and RETRO
(answers read from an editable datastore)."""

from __future__ import annotations

import random
import re

import pandas as pd
import streamlit as st
import torch

from ..data.facts import (
    ADJECTIVES,
    NOUNS,
    PLACES,
    SUBJECTS,
    World,
    fact,
    held_out_combinations,
    parse_fact,
    question,
    random_world,
)
from ..data.text import MASK_TOKEN, tokenize
from ..data.toy import EN_WORDS, check_translation, is_grammatical, right_context_sites, unknown_words
from ..decoding.autoregressive import generate, strip_eos
from ..decoding.masked import fill_masks, mask_predictions
from ..decoding.processors import text_suppressor
from ..decoding.retrieval import NEIGHBOURS, answer_batch, neighbour_ids, retrieve, world_store
from ..decoding.xlnet import infill_order, write_in_order
from ..models.checkpoint import Checkpoint
from ..models.masks import format_order, parse_order
from ..models.unilm import MODES, unilm_mask
from ..models.xlnet import two_stream_masks
from ..training.recipes import RECIPES, retro_keys
from ..viz.bars import topk_bars
from ..viz.masks import mask_figure
from .figures import attention_views, mask_options, show_plotly
from .inputs import report_unknown, word_list
from .page import PageContext
from .text import md_token

UNILM, XLNET = "toy_unilm", "toy_xlnet"
MAX_WORDS = 30  # the longest English sentence both models were trained on is 35 words
MODE_NAME_KEYS = {"bidirectional": "fu_mode_bidirectional", "causal": "fu_mode_causal", "seq2seq": "fu_mode_seq2seq"}
MODE_INPUT_KEYS = {"bidirectional": "fu_input_fill", "causal": "fu_input_prompt", "seq2seq": "fu_input_source"}
MODE_EXAMPLES = {
    "bidirectional": "the [MASK] that the dog sees sleep",
    "causal": "the small",
    "seq2seq": "the black cat sleeps",
}
TOP_K = 6


def _words(ctx: PageContext, text: str, example: str) -> list[str]:
    """The typed sentence as toy-language words: unknown ones named and left out, empty input (or nothing
    known) replaced by the example, long input cut."""
    words = tokenize(text)
    if not words:
        st.warning(ctx.t("empty_input", field=ctx.t("sentence"), fallback=example), icon=":material/edit_note:")
        words = tokenize(example)
    missing = unknown_words([w for w in words if w != MASK_TOKEN], EN_WORDS)
    if missing:
        report_unknown(ctx, "ar_unknown", missing, EN_WORDS)
        words = [w for w in words if w not in missing] or tokenize(example)
    if len(words) > MAX_WORDS:
        st.info(ctx.t("ae_too_long", n=len(words), max=MAX_WORDS), icon=":material/content_cut:")
        words = words[:MAX_WORDS]
    return words


# ---- UniLM ------------------------------------------------------------------------------------------------


def _unilm_run(
    ctx: PageContext, ckpt: Checkpoint, mode: str, words: list[str]
) -> tuple[torch.Tensor, str, bool | None]:
    """What the network does under the mode: the full ids it ends with, the answer as text, and the checker's
    verdict (None when there is nothing to check)."""
    network, vocab = ckpt.model, ckpt.vocab
    view = network.view(mode)
    device = ctx.device
    if mode == "bidirectional":
        if MASK_TOKEN not in words:
            sites = right_context_sites(words)
            blank = sites[0][0] if sites else min(1, len(words) - 1)
            st.info(ctx.t("fu_no_mask", word=words[blank]), icon=":material/touch_app:")
            words = [*words[:blank], MASK_TOKEN, *words[blank + 1 :]]
        ids = torch.tensor([[vocab.cls_id, *vocab.encode(words), vocab.sep_id]], device=device)
        first_mask = int((ids[0] == vocab.mask_id).nonzero()[0])
        prediction = mask_predictions(view, ids[0], [first_mask], TOP_K)[0]
        filled, _ = fill_masks(view, ids, vocab.mask_id, "confident_first")
        sentence = vocab.decode(filled[0, 1:-1].tolist())
        show_plotly(
            topk_bars(
                vocab.decode(prediction.top_ids),
                prediction.top_probs,
                ctx.t("fu_topk_mask"),
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
            ),
            "fusions",
            "unilm_fill",
            *words[:4],
            key="fu_unilm_topk",
        )
        return filled[0], " ".join(sentence), is_grammatical(sentence)
    # causal: continue <bos> words; seq2seq: write the French after <bos> English [SEP]
    prompt = [vocab.bos_id, *vocab.encode(words)] + ([vocab.sep_id] if mode == "seq2seq" else [])
    out = generate(
        view,
        torch.tensor(prompt, device=device),
        network.config.max_len - len(prompt),
        greedy=True,
        eos_id=vocab.eos_id,
        processors=[text_suppressor(vocab)],
    )
    written, ended = strip_eos(vocab.decode(out.tolist()[len(prompt) :]), vocab)
    if mode == "causal":
        return out, " ".join([*words, *written]), ended and is_grammatical([*words, *written])
    return out, " ".join(written), check_translation(words, written) if is_grammatical(words) else None


THUMBNAIL = ("<bos>", "the", "cat", "[SEP]", "le", "chat")  # one sequence under the three masks


def three_masks(ctx: PageContext, chosen: str) -> None:
    """The network's three masks side by side, as unilm_mask builds them, the one in use marked."""
    ids = torch.ones(1, len(THUMBNAIL), dtype=torch.long)
    source = torch.tensor([THUMBNAIL.index("[SEP]") + 1])
    for column, mode in zip(st.columns(len(MODES)), MODES, strict=True):
        mask = unilm_mask(mode, ids, source, pad_id=0)[0].numpy()
        title = ("● " if mode == chosen else "") + re.split("[:：]", ctx.t(MODE_NAME_KEYS[mode]))[0]
        with column:
            st.markdown(f"**{title}**")  # a thumbnail draws no title of its own
            fig = mask_figure(mask, THUMBNAIL, THUMBNAIL, title, presentation=ctx.presentation, small=True)
            show_plotly(fig, "fusions", "unilm_three_masks", mode, key=f"fu_thumb_{mode}")


def unilm_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    network, vocab = ckpt.model, ckpt.vocab
    mode = st.segmented_control(
        ctx.t("fu_unilm_mode"),
        MODES,
        default="bidirectional",
        required=True,
        format_func=lambda m: ctx.t(MODE_NAME_KEYS[m]),
        key="fu_unilm_mode",
    )
    three_masks(ctx, mode)
    text = st.text_input(
        ctx.t(MODE_INPUT_KEYS[mode]), value=MODE_EXAMPLES[mode], key=f"fu_unilm_text_{mode}", max_chars=2000
    )
    words = _words(ctx, text, MODE_EXAMPLES[mode])
    with torch.no_grad():
        ids, answer, verdict = _unilm_run(ctx, ckpt, mode, words)
        lengths = network.view(mode).source_lengths(ids[None])
        mask = unilm_mask(mode, ids[None], lengths, vocab.pad_id)[0]  # (T, T)
        attention = torch.stack([w[0] for w in network.view(mode)(ids[None], need_weights=True).self_attention])
    verdict_key = {True: "fu_checked_right", False: "fu_checked_wrong", None: "fu_checked_none"}[verdict]
    st.markdown(ctx.t("fu_unilm_answer", answer=md_token(answer) or "∅", verdict=ctx.t(verdict_key)))
    same = all(a is b for m in MODES for a, b in zip(network.view(m).parameters(), network.parameters(), strict=True))
    st.caption(ctx.t("fu_unilm_same" if same else "fu_unilm_not_same", n=sum(p.numel() for p in network.parameters())))
    labels = vocab.decode(ids.tolist())
    # side by side on a laptop; one above the other on a projector, where the larger cells need the width
    left, right = (st.container(), st.container()) if ctx.presentation else st.columns([2, 3])
    with left:
        show_plotly(
            mask_figure(
                mask.cpu().numpy(),
                labels,
                labels,
                ctx.t(MODE_NAME_KEYS[mode]),
                **mask_options(ctx),
            ),
            "fusions",
            "unilm_mask",
            mode,
            key="fu_unilm_mask",
        )
    with right:
        attention_views(
            ctx,
            attention.cpu().numpy(),
            labels,
            labels,
            ctx.t("fu_unilm_attention"),
            "fu_unilm",
            ("fusions", "unilm_attention", mode, *words[:3]),
            x_title=ctx.t("key_axis"),
            y_title=ctx.t("query_axis"),
            masked=~mask.cpu().numpy(),
            default_view=1,
            default_layer=-1,
        )
    unilm_quality(ctx, ckpt.metrics)


def unilm_quality(ctx: PageContext, metrics: dict) -> None:
    """The held-out numbers of the three modes and the wrong-mask experiment, from the checkpoint's metrics."""
    causal, seq2seq = metrics["causal"], metrics["seq2seq"]
    rows = [
        (ctx.t("fu_mode_bidirectional"), ctx.t("fu_q_fill"), metrics["fill_grammatical_confident_first"], 0.9),
        (ctx.t("fu_mode_causal"), ctx.t("fu_q_samples"), causal["samples_grammatical_t1"], 0.9),
        (ctx.t("fu_mode_seq2seq"), ctx.t("fu_q_translation"), seq2seq["exact_match"], 0.9),
    ]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    ctx.t("fu_q_mode"): mode,
                    ctx.t("fu_q_measure"): what,
                    ctx.t("fu_q_value"): f"{value:.1%}",
                    ctx.t("fu_q_bar"): f"≥ {bar:.0%}",
                }
                for mode, what, value, bar in rows
            ]
        ),
        hide_index=True,
    )
    measured(
        ctx,
        "fu_wrong_mask",
        metrics,
        n="right_context_items",
        right="right_context_agreement",
        wrong="right_context_agreement_causal_mask",
    )


# ---- XLNet ------------------------------------------------------------------------------------------------

XLNET_EXAMPLE = "the cats that the dog sees sleep"


def _shuffle_order(length: int) -> None:
    shuffled = list(range(length))
    random.shuffle(shuffled)
    st.session_state.fu_order = format_order(shuffled)


def _order(ctx: PageContext, words: list[str]) -> list[int]:
    """The factorisation order over the words (0-based), typed or shuffled; a bad one is refused with a message."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    default = list(range(len(words)))
    sites = right_context_sites(words)
    if sites:  # the deciding words first, the noun last: the lesson's order
        noun = sites[0][0]
        default = [p for p in default if p != noun] + [noun]
    text = left.text_input(
        ctx.t("fu_order"), key="fu_order", help=ctx.t("fu_order_help"), placeholder=format_order(default)
    )
    right.button(
        ctx.t("shuffle"), icon=":material/shuffle:", on_click=_shuffle_order, args=(len(words),), key="fu_shuffle"
    )
    order = parse_order(text, len(words)) if text.strip() else default
    if order is None:
        st.warning(ctx.t("fu_bad_order", text=text[:40], n=len(words)), icon=":material/warning:")
        order = default
    return order


def xlnet_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    model, vocab = ckpt.model, ckpt.vocab
    text = st.text_input(ctx.t("sentence"), value=XLNET_EXAMPLE, key="fu_xlnet_text", max_chars=2000)
    words = [w for w in _words(ctx, text, XLNET_EXAMPLE) if w != MASK_TOKEN] or tokenize(XLNET_EXAMPLE)
    order = _order(ctx, words)
    full_order = [0, *(p + 1 for p in order)]  # <bos> first
    ids = torch.tensor([vocab.bos_id, *vocab.encode(words)], device=ctx.device)
    with torch.no_grad():
        out = model.in_order(ids, full_order, need_weights=True)
    probs = out.logits[0].softmax(-1).cpu()  # (T, V)
    step = st.slider(ctx.t("fu_step"), 1, len(words), 1, key=f"fu_xlnet_step_{len(words)}") if len(words) > 1 else 1
    position = full_order[step]
    sees = [p for p in full_order[:step] if p != 0]
    st.markdown(
        ctx.t(
            "fu_step_text",
            step=step,
            n=len(words),
            word=md_token(words[position - 1]),
            seen=word_list(ctx, [md_token(words[p - 1]) for p in sorted(sees)]) or "∅",
            hidden=word_list(ctx, [md_token(words[p - 1]) for p in sorted(full_order[step + 1 :])]) or "∅",
        )
    )
    _, query = two_stream_masks([full_order], len(full_order))
    labels = ["<bos>", *words]
    left, right = st.columns(2)
    with left:
        show_plotly(
            mask_figure(
                query[0].numpy(),
                labels,
                labels,
                ctx.t("fu_query_mask"),
                **mask_options(ctx),
            ),
            "fusions",
            "xlnet_query_mask",
            *words[:3],
            key="fu_xlnet_mask",
        )
    with right:
        top = probs[position].topk(TOP_K)
        shown = vocab.decode(top.indices.tolist())
        show_plotly(
            topk_bars(
                shown,
                top.values.tolist(),
                ctx.t("fu_topk_at", position=position, word=md_token(words[position - 1])),
                accepted=[w == words[position - 1] for w in shown],
                presentation=ctx.presentation,
                x_title=ctx.t("ae_probability"),
                legend=(ctx.t("fu_true_word"), ctx.t("fu_other_word")),
            ),
            "fusions",
            "xlnet_step",
            str(step),
            key="fu_xlnet_topk",
        )
    xlnet_infill(ctx, ckpt, words, order)
    xlnet_quality(ctx, ckpt.metrics)


def xlnet_infill(ctx: PageContext, ckpt: Checkpoint, words: list[str], order: list[int]) -> None:
    """Blank some words anywhere and let the model write them, the given words first, then the blanks in the
    order above."""
    st.subheader(ctx.t("fu_infill"))
    sites = right_context_sites(words)
    blanks = st.pills(
        ctx.t("fu_infill_pick"),
        range(len(words)),
        selection_mode="multi",
        default=[sites[0][0]] if sites else [0],
        format_func=lambda i: words[i],
        key=f"fu_infill_{' '.join(words)}",
    )
    if not blanks:
        st.info(ctx.t("fu_infill_none"), icon=":material/touch_app:")
        return
    vocab = ckpt.vocab
    ids = torch.tensor([vocab.bos_id, *vocab.encode(words)], device=ctx.device)
    blank_positions = [p + 1 for p in blanks]
    ids[blank_positions] = vocab.mask_id
    fixed = [p for p in range(1, len(ids)) if p not in blank_positions]
    written, steps = write_in_order(
        ckpt.model, ids, infill_order(len(ids), fixed, [p + 1 for p in order]), vocab, fixed
    )
    sentence = vocab.decode(written[1:].tolist())
    shown = [
        f"**:blue-background[{md_token(w)}]**" if i + 1 in blank_positions else md_token(w)
        for i, w in enumerate(sentence)
    ]
    verdict = ctx.t("fu_checked_right" if is_grammatical(sentence) else "fu_checked_wrong")
    st.markdown(ctx.t("fu_infill_result", sentence=" ".join(shown), verdict=verdict))
    st.caption(ctx.t("fu_infill_order", order=word_list(ctx, [md_token(sentence[s.position - 1]) for s in steps])))


def measured(ctx: PageContext, key: str, metrics: dict, **fields: str) -> None:
    """A sentence of recorded held-out numbers: each placeholder filled from the metrics key it names."""
    st.markdown(ctx.t(key, **{name: metrics[field] for name, field in fields.items()}))


def xlnet_quality(ctx: PageContext, metrics: dict) -> None:
    measured(
        ctx,
        "fu_xlnet_measured",
        metrics,
        n="right_context_items",
        last="right_context_agreement_noun_last",
        ltr="right_context_agreement_left_to_right",
        random="right_context_agreement_random",
        ppl_ltr="perplexity_left_to_right",
        ppl_random="perplexity_random_order",
        fill="fill_grammatical",
    )


# ---- RETRO ------------------------------------------------------------------------------------------------

RETRO = "toy_retro"
NEIGHBOUR_MODE_KEYS = {"retrieved": "fu_retro_retrieved", "random": "fu_retro_random", "none": "fu_retro_none"}


@st.cache_resource(show_spinner=False, max_entries=2)
def _retro_keys(device: str):
    """The datastore keys of every fact, question and distractor: computed once per server, never changed."""
    return retro_keys(RECIPES[RETRO].retriever, RECIPES[RETRO].data["n_distractors"], device)


def _world() -> World:
    """This session's world: a seeded one until the user edits a fact."""
    if "fu_world" not in st.session_state:
        st.session_state.fu_world = random_world(random.Random(2026), held_out_combinations()).places
    return World(st.session_state.fu_world)


def _reset_world() -> None:
    """Back to the seeded world: the edits and what was typed into the edit boxes are forgotten."""
    for key in [k for k in st.session_state if k == "fu_world" or str(k).startswith("fu_retro_edit_")]:
        del st.session_state[key]


def _edit_fact(ctx: PageContext, world: World, ask: int) -> None:
    """Replace one fact of the session's datastore by a typed one; anything that is not a fact is refused."""
    current = " ".join(fact(SUBJECTS[ask], PLACES[world.places[ask]]))
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    typed = left.text_input(
        ctx.t("fu_retro_edit"),
        value=current,
        key=f"fu_retro_edit_{ask}",
        max_chars=200,
        help=ctx.t("fu_retro_edit_help"),
    )
    right.button(ctx.t("fu_retro_reset"), icon=":material/restart_alt:", key="fu_retro_reset", on_click=_reset_world)
    if " ".join(tokenize(typed)) == current:
        return
    parsed = parse_fact(tokenize(typed))
    if parsed is None:
        st.warning(
            ctx.t("fu_retro_bad_edit", text=md_token(typed[:80]), places=word_list(ctx, [" ".join(p) for p in PLACES])),
            icon=":material/edit_off:",
        )
        return
    subject, place = parsed
    s, p = SUBJECTS.index(subject), PLACES.index(place)
    st.session_state.fu_world = (*world.places[:s], p, *world.places[s + 1 :])
    st.success(ctx.t("fu_retro_edited", fact=" ".join(fact(subject, place))), icon=":material/edit:")


def retro_section(ctx: PageContext, ckpt: Checkpoint) -> None:
    model, vocab = ckpt.model, ckpt.vocab
    keys = _retro_keys(str(ctx.device))
    first, second, right = st.columns([1, 1, 2])
    adjective = first.selectbox(ctx.t("fu_retro_ask"), ADJECTIVES, key="fu_retro_adjective")
    noun = second.selectbox(ctx.t("fu_retro_noun"), NOUNS, key="fu_retro_noun")
    ask = SUBJECTS.index(("the", adjective, noun))
    reading = right.segmented_control(
        ctx.t("fu_retro_reading"),
        list(NEIGHBOUR_MODE_KEYS),
        default="retrieved",
        required=True,
        format_func=lambda m: ctx.t(NEIGHBOUR_MODE_KEYS[m]),
        key="fu_retro_reading",
    )
    _edit_fact(ctx, _world(), ask)
    world = _world()
    store = world_store(keys, world)
    found = retrieve(store, keys.questions[ask])
    if reading == "retrieved":
        chunks = [store.chunks[i] for i, _ in found]
    elif reading == "random":
        chunks = [store.chunks[i] for i in random.Random(ask).sample(range(len(store.chunks)), NEIGHBOURS)]
    else:
        chunks = [("[SEP]",)]
    src = neighbour_ids(chunks, vocab)[None].to(ctx.device)  # (1, K, L)
    prompt = torch.tensor([[vocab.bos_id, *vocab.encode(list(question(SUBJECTS[ask])))]], device=ctx.device)
    answer = vocab.decode(answer_batch(model, src, prompt, vocab.eos_id)[0])
    truth = PLACES[world.places[ask]]
    verdict = "fu_checked_right" if tuple(answer) == truth else "fu_checked_wrong"
    st.markdown(
        ctx.t(
            "fu_retro_answer",
            question=" ".join(question(SUBJECTS[ask])),
            answer=md_token(" ".join(answer)) or "∅",
            verdict=ctx.t(verdict),
            truth=" ".join(truth),
        )
    )
    if reading == "retrieved":
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        ctx.t("fu_retro_rank"): r + 1,
                        ctx.t("fu_retro_chunk"): " ".join(store.chunks[i]),
                        ctx.t("fu_retro_score"): f"{score:.3f}",
                    }
                    for r, (i, score) in enumerate(found)
                ]
            ),
            hide_index=True,
        )
    tgt = torch.cat((prompt, torch.tensor([[*vocab.encode(answer), vocab.eos_id]], device=ctx.device)), 1)
    with torch.no_grad():
        cross = torch.stack([w[0] for w in model(src, tgt, need_weights=True).cross_attention])  # (L, H, T, K·L)
    width = src.size(2)
    columns = [f"{k + 1}·{vocab.token(int(t))}" for k in range(src.size(1)) for t in src[0, k].tolist()]
    real = (src[0] != vocab.pad_id).flatten().cpu().numpy()
    attention_views(
        ctx,
        cross[..., real].cpu().numpy(),
        vocab.decode(tgt[0].tolist()),
        [c for c, r in zip(columns, real, strict=True) if r],
        ctx.t("fu_retro_cross"),
        "fu_retro",
        ("fusions", "retro_cross", str(ask)),
        x_title=ctx.t("fu_retro_key_axis", k=width),
        y_title=ctx.t("fu_output_axis"),
        default_view=1,
        default_layer=-1,
    )
    measured(
        ctx,
        "fu_retro_measured",
        ckpt.metrics,
        n="heldout_questions",
        with_retrieval="accuracy_with_retrieval",
        found="fact_retrieved_top4",
        random="accuracy_random_neighbours",
        none="accuracy_no_retrieval",
        edited="edited_fact_followed",
    )
