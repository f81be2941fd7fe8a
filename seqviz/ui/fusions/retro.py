"""RETRO on the fusions page: answers read from an editable datastore of facts."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
import torch

from ...data.facts import (
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
from ...data.text import tokenize
from ...decoding.retrieval import NEIGHBOURS, answer_batch, neighbour_ids, retrieve, world_store
from ...export.fusion_slides import shared_retro_keys
from ...models.checkpoint import Checkpoint
from ..figures import attention_views
from ..inputs import word_list
from ..models import builtin_model, read_only
from ..page import PageContext
from ..text import md_token
from .common import VERDICT_KEYS, measured

RETRO = "toy_retro"
NEIGHBOUR_MODE_KEYS = {"retrieved": "fu_retro_retrieved", "random": "fu_retro_random", "none": "fu_retro_none"}


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


@dataclass(frozen=True)
class RetroRead:
    """One question answered from a world's datastore: the answer, the retrieved (chunk index, score) pairs,
    the chunks the model read, its cross-attention over their real tokens (L, H, T, keys) with the rows' and
    columns' labels, and the padded width of a chunk."""

    answer: tuple[str, ...]
    found: tuple[tuple[int, float], ...]
    chunks: tuple[tuple[str, ...], ...]
    cross: np.ndarray
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    chunk_width: int


@st.cache_resource(show_spinner=False, max_entries=256)
def _read(device: str, places: tuple[int, ...], ask: int, reading: str) -> RetroRead:
    """The model's answer to the question about subject `ask` in the world, reading the retrieved chunks,
    random ones or none; once per server for each world, question and reading, shared read-only."""
    ckpt = builtin_model(RETRO, device)
    model, vocab = ckpt.model, ckpt.vocab
    keys = shared_retro_keys(device)
    store = world_store(keys, World(places))
    found = retrieve(store, keys.questions[ask])
    if reading == "retrieved":
        chunks = [store.chunks[i] for i, _ in found]
    elif reading == "random":
        chunks = [store.chunks[i] for i in random.Random(ask).sample(range(len(store.chunks)), NEIGHBOURS)]
    else:
        chunks = [("[SEP]",)]
    src = neighbour_ids(chunks, vocab)[None].to(device)  # (1, K, L)
    prompt = torch.tensor([[vocab.bos_id, *vocab.encode(list(question(SUBJECTS[ask])))]], device=device)
    answer = vocab.decode(answer_batch(model, src, prompt, vocab.eos_id)[0])
    # the decoder fed <bos> question answer; each row is labelled by the token written at that step
    tgt = torch.cat((prompt, torch.tensor([vocab.encode(answer)], device=device, dtype=torch.long)), 1)
    with torch.no_grad():
        cross = torch.stack([w[0] for w in model(src, tgt, need_weights=True).cross_attention])  # (L, H, T, K·L)
    columns = [f"{k + 1}·{vocab.token(int(t))}" for k in range(src.size(1)) for t in src[0, k].tolist()]
    real = (src[0] != vocab.pad_id).flatten().cpu().numpy()
    return RetroRead(
        tuple(answer),
        tuple(found),
        tuple(tuple(chunk) for chunk in chunks),
        read_only(cross[..., real]),
        (*vocab.decode(tgt[0, 1:].tolist()), "<eos>"),
        tuple(c for c, r in zip(columns, real, strict=True) if r),
        src.size(2),
    )


@st.fragment  # this section's controls redraw it alone: the page's other three do not depend on them
def retro_section(ctx: PageContext, ckpt: Checkpoint) -> None:
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
    read = _read(str(ctx.device), world.places, ask, reading)
    answer, found, chunks = read.answer, read.found, read.chunks
    truth = PLACES[world.places[ask]]
    st.markdown(
        ctx.t(
            "fu_retro_answer",
            question=" ".join(question(SUBJECTS[ask])),
            answer=md_token(" ".join(answer)) or "∅",
            verdict=ctx.t(VERDICT_KEYS[tuple(answer) == truth]),
            truth=" ".join(truth),
        )
    )
    if reading == "retrieved":
        st.table(
            pd.DataFrame(
                [
                    {
                        ctx.t("fu_retro_rank"): r + 1,
                        ctx.t("fu_retro_chunk"): " ".join(chunks[r]),
                        ctx.t("fu_retro_score"): f"{score:.3f}",
                    }
                    for r, (i, score) in enumerate(found)
                ]
            ),
            hide_index=True,
        )
    attention_views(
        ctx,
        read.cross,
        list(read.rows),
        list(read.columns),
        ctx.t("fu_retro_cross"),
        "fu_retro",
        ("fusions", "retro_cross", str(ask)),
        x_title=ctx.t("fu_retro_key_axis", k=read.chunk_width),
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
