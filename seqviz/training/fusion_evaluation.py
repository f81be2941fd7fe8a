"""Held-out measurements of the fusions (UniLM, XLNet, T5, RETRO), as stored in their metrics.json: each mode
or task measured as its own paradigm's model is, with the helpers of evaluation.py."""

from __future__ import annotations

import math
import random

import torch

from ..data.facts import PLACES, SUBJECTS, World, question, random_world
from ..data.text_to_text import answer_ok, split_prefix, with_prefix
from ..data.toy import check_translation, is_grammatical
from ..data.vocab import Vocab
from ..decoding.retrieval import NEIGHBOURS, FactKeys, answer_batch, neighbour_ids, retrieve, world_store
from ..decoding.unilm import prefix_translate
from ..decoding.xlnet import infill_order, write_in_order
from ..models.inputs import pad_rows
from ..models.xlnet import two_stream_masks
from .batches import stack_neighbours
from .evaluation import (
    evaluate_fill,
    evaluate_next_token,
    evaluate_translation,
    model_device,
    right_context_agreement,
    right_context_items,
    sample_grammatical,
)

# ---- UniLM: one network, three masks -------------------------------------------------------------------


def evaluate_unilm(network, vocab: Vocab, pairs) -> dict:
    """The three modes of one UniLM on held-out pairs, each as its own paradigm's model is measured: filled
    blanks and right-context agreement under the bidirectional mask; the same blanks under the causal mask
    (the wrong-mask experiment: same weights, same input, only the mask differs); perplexity, agreement and
    samples at T = 1 under the causal mask; translation exact match under the seq2seq mask."""
    english = [source for source, _ in pairs]
    bidirectional, causal = network.view("bidirectional"), network.view("causal")
    items = right_context_items(english)
    metrics = evaluate_fill(bidirectional, vocab, english)
    metrics["right_context_items"] = len(items)
    metrics["right_context_agreement"] = right_context_agreement(bidirectional, vocab, items, "mlm")
    wrong_mask = network.view("causal", segments="bidirectional")
    metrics["right_context_agreement_causal_mask"] = right_context_agreement(wrong_mask, vocab, items, "mlm")
    metrics["causal"] = {
        **evaluate_next_token(causal, vocab, english),
        "right_context_agreement": right_context_agreement(causal, vocab, items, "clm"),
        "samples_grammatical_t1": sample_grammatical(causal, vocab, n=200, temperature=1.0),
    }
    metrics["seq2seq"] = evaluate_translation(
        network.view("seq2seq"), vocab, pairs, check_translation, decode=prefix_translate
    )
    return metrics


# ---- XLNet: a permutation language model ---------------------------------------------------------------

AGREEMENT_ORDERS = ("noun_last", "left_to_right", "random")


def _site_order(length: int, noun: int, how: str, generator: torch.Generator) -> list[int]:
    """An order over <bos> + words in which the noun (position `noun`) comes last (its right context before
    it), in its left-to-right place (its right context after it), or at a random place."""
    words = list(range(1, length))
    if how == "noun_last":
        return [0, *(p for p in words if p != noun), noun]
    if how == "left_to_right":
        return [0, *words]
    return [0, *(torch.randperm(length - 1, generator=generator) + 1).tolist()]


@torch.no_grad()
def permutation_agreement(model, vocab: Vocab, items, how: str, seed: int = 0, batch_size: int = 256) -> float:
    """At the right-context sites, how often the permutation LM prefers the agreeing form of the noun when
    the order puts the deciding words before it (noun_last), after it (left_to_right), or anywhere (random)."""
    if how not in AGREEMENT_ORDERS:
        raise ValueError(f"how must be one of {AGREEMENT_ORDERS}, got {how!r}")
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    wins = 0
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        ids = pad_rows([[vocab.bos_id, *vocab.encode(s)] for s, *_ in chunk], vocab.pad_id)
        orders = [_site_order(len(s) + 1, i + 1, how, generator) for s, i, _, _ in chunk]
        content, query = two_stream_masks(orders, ids.size(1))
        device = model_device(model)
        logits = model(ids.to(device), content.to(device), query.to(device)).logits.cpu()
        rows, nouns = torch.arange(len(chunk)), torch.tensor([i + 1 for _, i, _, _ in chunk])
        at_noun = logits[rows, nouns]  # (B, V)
        good = torch.tensor(vocab.encode([g for *_, g, _ in chunk]))
        bad = torch.tensor(vocab.encode([b for *_, b in chunk]))
        wins += int((at_noun[rows, good] > at_noun[rows, bad]).sum())
    return round(wins / len(items), 4)


@torch.no_grad()
def permutation_perplexity(model, vocab: Vocab, sentences, how: str, seed: int = 0, batch_size: int = 256) -> float:
    """Perplexity of every word of held-out sentences under one factorisation per sentence: left to right, or
    a random order (seeded). One pass per batch: each query-stream position reads only its order's past."""
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    loss_sum = count = 0.0
    for start in range(0, len(sentences), batch_size):
        chunk = sentences[start : start + batch_size]
        ids = pad_rows([[vocab.bos_id, *vocab.encode(s)] for s in chunk], vocab.pad_id)
        orders = [_site_order(len(s) + 1, 0, how, generator) for s in chunk]
        content, query = two_stream_masks(orders, ids.size(1))
        device = model_device(model)
        logits = model(ids.to(device), content.to(device), query.to(device)).logits.cpu()
        scored = ids != vocab.pad_id
        scored[:, 0] = False  # <bos> is given, never predicted
        loss_sum += float(torch.nn.functional.cross_entropy(logits[scored], ids[scored], reduction="sum"))
        count += int(scored.sum())
    return round(math.exp(loss_sum / count), 3)


@torch.no_grad()
def permutation_fill(model, vocab: Vocab, sentences, seed: int = 1234, limit: int = 300) -> float:
    """Blank 1–3 random words of held-out sentences and write them back in a random order, the other words
    given (the page's infill): the share of sentences the toy checker accepts."""
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    passed = 0
    chosen = sentences[:limit]
    for sentence in chosen:
        ids = torch.tensor([vocab.bos_id, *vocab.encode(sentence)], device=model_device(model))
        n_blanks = int(torch.randint(1, min(3, len(sentence)) + 1, (1,), generator=generator))
        blanks = (torch.randperm(len(sentence), generator=generator)[:n_blanks] + 1).tolist()
        fixed = [p for p in range(1, len(ids)) if p not in blanks]
        written, _ = write_in_order(model, ids, infill_order(len(ids), fixed, blanks), vocab, fixed)
        passed += bool(is_grammatical(vocab.decode(written[1:].tolist())))
    return round(passed / len(chosen), 4)


def evaluate_permutation_lm(model, vocab: Vocab, sentences) -> dict:
    """The held-out numbers of the permutation LM (test split)."""
    items = right_context_items(sentences)
    return {
        "heldout_sentences": len(sentences),
        "right_context_items": len(items),
        **{
            f"right_context_agreement_{how}": permutation_agreement(model, vocab, items, how)
            for how in AGREEMENT_ORDERS
        },
        "perplexity_left_to_right": permutation_perplexity(model, vocab, sentences, "left_to_right"),
        "perplexity_random_order": permutation_perplexity(model, vocab, sentences, "random"),
        "fill_grammatical": permutation_fill(model, vocab, sentences),
    }


# ---- T5: many tasks as text to text --------------------------------------------------------------------


def evaluate_text_to_text(model, vocab: Vocab, test: dict[str, list]) -> dict:
    """Per task, the share of held-out inputs ("task : input") answered right: the checker decides for
    translations and filled spans, exact match for the digits and the number; and the mean over tasks."""
    metrics = {}
    for task, pairs in test.items():
        prefixed = [(with_prefix(task, source), target) for source, target in pairs]
        measured = evaluate_translation(
            model, vocab, prefixed, lambda source, out, task=task: answer_ok(task, split_prefix(source)[1], out)
        )
        metrics[task] = {"heldout": len(pairs), "accuracy": measured["exact_match"]}
    metrics["mean_accuracy"] = round(sum(m["accuracy"] for m in metrics.values()) / len(test), 4)
    return metrics


# ---- RETRO: answers read from a datastore ---------------------------------------------------------------


def retro_test_cases(n: int, held_out, seed: int) -> list[tuple[World, int]]:
    """n questions, each about a fresh world whose asked subject stands at a held-out place (a fact no
    training world holds), seeded."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        ask = rng.randrange(len(SUBJECTS))
        cases.append((random_world(rng, held_out, ask=ask, test=True), ask))
    return cases


@torch.no_grad()
def retro_accuracy(model, vocab: Vocab, keys: FactKeys, cases, neighbours: str = "retrieved", seed: int = 0) -> dict:
    """The share of questions answered with the asked subject's place, and how often the retriever found
    that fact, when the model reads the retrieved neighbours, random chunks of the same datastore, or
    nothing (one [SEP] in place of the neighbours)."""
    model.eval()
    rng = random.Random(seed)
    device = model_device(model)
    rows, prompts, found = [], [], 0
    for world, ask in cases:
        store = world_store(keys, world)
        if neighbours == "retrieved":
            hits = [i for i, _ in retrieve(store, keys.questions[ask])]
            found += ask in hits  # the asked subject's fact is row `ask` of a world's datastore
            chunks = [store.chunks[i] for i in hits]
        elif neighbours == "random":
            chunks = [store.chunks[i] for i in rng.sample(range(len(store.chunks)), NEIGHBOURS)]
        else:
            chunks = [["[SEP]"]]
        rows.append(neighbour_ids(chunks, vocab))
        prompts.append([vocab.bos_id, *vocab.encode(list(question(SUBJECTS[ask])))])
    correct = 0
    for start in range(0, len(cases), 256):
        src = stack_neighbours(rows[start : start + 256], vocab.pad_id).to(device)
        prompt = torch.tensor(prompts[start : start + 256], device=device)
        answers = answer_batch(model, src, prompt, vocab.eos_id)
        for (world, ask), answer in zip(cases[start : start + 256], answers, strict=True):
            correct += tuple(vocab.decode(answer)) == PLACES[world.places[ask]]
    result = {"accuracy": round(correct / len(cases), 4)}
    if neighbours == "retrieved":
        result["fact_retrieved"] = round(found / len(cases), 4)
    return result


def edited_worlds(cases, seed: int) -> list[tuple[World, int]]:
    """Each case with its asked subject's fact moved to another place (an edit of the datastore only)."""
    rng = random.Random(seed)
    edited = []
    for world, ask in cases:
        place = rng.choice([p for p in range(len(PLACES)) if p != world.places[ask]])
        edited.append((World((*world.places[:ask], place, *world.places[ask + 1 :])), ask))
    return edited


def evaluate_retro(model, vocab: Vocab, keys: FactKeys, cases) -> dict:
    """The held-out numbers of the RETRO model (test worlds: every asked fact is one no training world had)."""
    with_retrieval = retro_accuracy(model, vocab, keys, cases)
    return {
        "heldout_questions": len(cases),
        "accuracy_with_retrieval": with_retrieval["accuracy"],
        "fact_retrieved_top4": with_retrieval["fact_retrieved"],
        "accuracy_random_neighbours": retro_accuracy(model, vocab, keys, cases, "random")["accuracy"],
        "accuracy_no_retrieval": retro_accuracy(model, vocab, keys, cases, "none")["accuracy"],
        "edited_fact_followed": retro_accuracy(model, vocab, keys, edited_worlds(cases, seed=5))["accuracy"],
    }
