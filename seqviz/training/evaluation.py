"""Held-out measurements of the built-in language models, as stored in their metrics.json."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

import torch

from ..data.facts import PLACES, SUBJECTS, World, question, random_world
from ..data.text_to_text import answer_ok, split_prefix, with_prefix
from ..data.toy import check_translation, is_grammatical, parse_english, right_context_sites
from ..data.vocab import Vocab
from ..decoding.autoregressive import generate, sampling_processors, strip_eos
from ..decoding.masked import fill_masks
from ..decoding.processors import text_suppressor
from ..decoding.retrieval import NEIGHBOURS, FactKeys, answer_batch, neighbour_ids, retrieve, world_store
from ..decoding.seq2seq import greedy_decode, translate_all
from ..decoding.unilm import prefix_translate
from ..decoding.xlnet import infill_order, write_in_order
from ..models.autoencoding import MaskedLM
from ..models.inputs import encode_clm, encode_mlm, encode_pairs, pad_rows
from ..models.xlnet import two_stream_masks
from .batches import stack_neighbours


def _device(model) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def evaluate_fill(model, vocab: Vocab, sentences, seed: int = 1234, batch_size: int = 256) -> dict:
    """Mask 1–3 random words of each held-out sentence and fill every [MASK] with the top-1 token,
    both all at once and most-confident-first. fill_grammatical_*: the filled sentence passes the
    toy-language checker (any valid word counts); token_accuracy: the parallel fill equals the original."""
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    counts = {"parallel": 0, "confident_first": 0}
    correct = total = 0
    for start in range(0, len(sentences), batch_size):
        chunk = sentences[start : start + batch_size]
        ids = encode_mlm(chunk, vocab)
        corrupted = ids.clone()
        for row, sentence in enumerate(chunk):
            n_masks = int(torch.randint(1, min(3, len(sentence)) + 1, (1,), generator=generator))
            chosen = torch.randperm(len(sentence), generator=generator)[:n_masks] + 1  # skip [CLS]
            corrupted[row, chosen] = vocab.mask_id
        is_mask = corrupted == vocab.mask_id
        for strategy in counts:
            filled, _ = fill_masks(model, corrupted.to(_device(model)), vocab.mask_id, strategy)
            filled = filled.cpu()
            if strategy == "parallel":
                correct += int((filled[is_mask] == ids[is_mask]).sum())
                total += int(is_mask.sum())
            for row, sentence in enumerate(chunk):
                counts[strategy] += bool(is_grammatical(vocab.decode(filled[row, 1 : len(sentence) + 1].tolist())))
    n = len(sentences)
    return {
        "heldout_sentences": n,
        "masked_tokens": total,
        "token_accuracy": round(correct / total, 4),
        "fill_grammatical_parallel": round(counts["parallel"] / n, 4),
        "fill_grammatical_confident_first": round(counts["confident_first"] / n, 4),
    }


def right_context_items(sentences) -> list[tuple[tuple[str, ...], int, str, str]]:
    """(sentence, position, agreeing form, other form) wherever only the right context decides."""
    return [(tuple(s), i, good, bad) for s in sentences for i, good, bad in right_context_sites(s)]


@torch.no_grad()
def right_context_agreement(model, vocab: Vocab, items, kind: str, batch_size: int = 256) -> float:
    """How often the model prefers the agreeing noun form over the other one, at positions where only the
    right context decides (e.g. "the [cat|cats] sleep"). kind="mlm": the noun is masked and the model
    sees both sides; kind="clm": the model predicts the noun from the words before it only."""
    if kind not in ("mlm", "clm"):
        raise ValueError(f"kind must be 'mlm' or 'clm', got {kind!r}")
    model.eval()
    wins = 0
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        if kind == "mlm":
            ids = encode_mlm([s for s, *_ in chunk], vocab)
            positions = torch.tensor([i + 1 for _, i, _, _ in chunk])  # after [CLS]
            ids[torch.arange(len(chunk)), positions] = vocab.mask_id
        else:
            ids = encode_clm([s[:i] for s, i, _, _ in chunk], vocab)
            positions = torch.tensor([i for _, i, _, _ in chunk])  # <bos> w1..w_{i} : the last prefix token
        logits = model(ids.to(_device(model))).logits.cpu()[torch.arange(len(chunk)), positions]  # (B, V)
        good = torch.tensor(vocab.encode([g for *_, g, _ in chunk]))
        bad = torch.tensor(vocab.encode([b for *_, b in chunk]))
        rows = torch.arange(len(chunk))
        wins += int((logits[rows, good] > logits[rows, bad]).sum())
    return round(wins / len(items), 4)


@torch.no_grad()
def evaluate_next_token(model, vocab: Vocab, sentences, batch_size: int = 256) -> dict:
    """Teacher-forced next-token loss on held-out sentences: perplexity and top-1 accuracy."""
    model.eval()
    loss_sum = correct = count = 0.0
    for start in range(0, len(sentences), batch_size):
        ids = encode_clm(sentences[start : start + batch_size], vocab).to(_device(model))
        logits = model(ids).logits[:, :-1]  # (B, T-1, V)
        targets = ids[:, 1:]
        real = targets != vocab.pad_id
        loss = torch.nn.functional.cross_entropy(logits[real], targets[real], reduction="sum")
        loss_sum += float(loss)
        correct += int((logits.argmax(-1)[real] == targets[real]).sum())
        count += int(real.sum())
    return {"perplexity": round(math.exp(loss_sum / count), 3), "next_token_accuracy": round(correct / count, 4)}


@torch.no_grad()
def sample_checked(
    model, vocab: Vocab, n: int, processors: Sequence, greedy: bool = False, seed: int = 0
) -> list[tuple[list[str], bool]]:
    """n sentences sampled from <bos> (seeded) with these processors, each with the checker's verdict:
    True when it ends with <eos> and is a sentence of the toy language."""
    generator = torch.Generator().manual_seed(seed)
    prompt = torch.tensor([vocab.bos_id], device=_device(model))
    checked = []
    for _ in range(n):
        out = generate(
            model,
            prompt,
            model.config.max_len - 1,
            processors=processors,
            greedy=greedy,
            generator=generator,
            eos_id=vocab.eos_id,
        )
        words, ended = strip_eos(vocab.decode(out[1:].tolist()), vocab)
        checked.append((words, ended and is_grammatical(words)))
    return checked


def sample_grammatical(model, vocab: Vocab, n: int = 200, temperature: float = 1.0, seed: int = 0) -> float:
    """Share of n sentences sampled at this temperature (no top-k/top-p) that pass the checker."""
    checked = sample_checked(model, vocab, n, [text_suppressor(vocab), *sampling_processors(temperature)], seed=seed)
    return round(sum(ok for _, ok in checked) / n, 4)


# ---- sequence-to-sequence ----------------------------------------------------------------------------

LENGTH_BUCKETS = ((1, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, 40))  # source words


def bucket_label(low: int, high: int) -> str:
    return f"{low}–{high}"


def repeated_token_rate(outputs) -> float:
    """Share of output tokens equal to the token just before them (rare in correct toy French, e.g. "qui
    courent courent"; parallel decoders produce many more when positions pick from different translations)."""
    repeats = sum(a == b for out in outputs for a, b in zip(out, out[1:], strict=False))
    return round(repeats / max(1, sum(len(out) for out in outputs)), 4)


def is_mixed_translation(source: Sequence[str], output: Sequence[str]) -> bool:
    """Wrong as a whole, yet every token is right for some valid translation at its position: pieces of
    different translations mixed (e.g. "le balle", from "le ballon" and "la balle") — the multimodality
    failure of decoders whose positions choose independently."""
    lattice = parse_english(source)
    if lattice is None or lattice.accepts(output):
        return False
    words, lengths = lattice.words_by_position()
    return len(output) in lengths and all(word in words.get(i, ()) for i, word in enumerate(output))


def mixed_translations(sources, outputs) -> list[int]:
    """Indices of the outputs that are mixed translations of their sources."""
    return [
        i for i, (source, out) in enumerate(zip(sources, outputs, strict=True)) if is_mixed_translation(source, out)
    ]


def evaluate_translation(
    model,
    vocab: Vocab,
    pairs,
    correct: Callable[[Sequence[str], Sequence[str]], bool],
    decode: Callable = greedy_decode,
) -> dict:
    """Exact match of the translations on held-out (source, target) pairs, overall and by source-length
    bucket, and the repeated-token rate; `correct(source, output)` decides (the toy-language checker accepts
    every valid translation)."""
    outputs = translate_all(model, vocab, [s for s, _ in pairs], decode=decode)
    hits = [correct(s, out) for (s, _), out in zip(pairs, outputs, strict=True)]
    by_length = {}
    for low, high in LENGTH_BUCKETS:
        inside = [hit for (s, _), hit in zip(pairs, hits, strict=True) if low <= len(s) <= high]
        if inside:
            by_length[bucket_label(low, high)] = {"n": len(inside), "exact_match": round(sum(inside) / len(inside), 4)}
    metrics = {
        "heldout_pairs": len(pairs),
        "exact_match": round(sum(hits) / len(hits), 4),
        "repeated_token_rate": repeated_token_rate(outputs),
    }
    if correct is check_translation:  # the toy language: which wrong outputs are mixtures of valid ones
        mixed = mixed_translations([s for s, _ in pairs], outputs)
        metrics["mixed_translation_rate"] = round(len(mixed) / len(pairs), 4)
    return {**metrics, "exact_match_by_length": by_length}


@torch.no_grad()
def reverse_alignment(model, vocab: Vocab, pairs) -> dict[str, float]:
    """Per decoder layer, how often a target position's strongest cross-attention (mean over heads) falls on
    the source position it copies when reversing: target t <- source S-1-t (the anti-diagonal)."""
    model.eval()
    batch = encode_pairs(pairs, vocab)
    out = model(batch["src"].to(_device(model)), batch["tgt"].to(_device(model)), need_weights=True)
    shares = {}
    for layer, weights in enumerate(out.cross_attention, 1):
        strongest = weights.mean(1).argmax(-1).cpu()  # (B, T): the source position each target position reads
        hits = total = 0
        for row, (source, _) in enumerate(pairs):
            n = len(source)  # decoder position t (after <bos> and t-1 digits) writes digit t = source[n-1-t]
            hits += sum(int(strongest[row, t]) == n - 1 - t for t in range(n))
            total += n
        shares[f"layer_{layer}"] = round(hits / total, 4)
    return shares


def evaluate(model, vocab: Vocab, splits) -> dict:
    """The held-out numbers recorded with a checkpoint (test split; the right-context items are every
    position of the test sentences where only the right context decides a noun's number)."""
    items = right_context_items(splits["test"])
    if isinstance(model, MaskedLM):
        metrics = evaluate_fill(model, vocab, splits["test"])
        kind = "mlm"
    else:
        metrics = evaluate_next_token(model, vocab, splits["test"])
        metrics["samples_grammatical_t1"] = sample_grammatical(model, vocab, n=200, temperature=1.0)
        kind = "clm"
    metrics["right_context_items"] = len(items)
    metrics["right_context_agreement"] = right_context_agreement(model, vocab, items, kind)
    return metrics


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
        device = _device(model)
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
        device = _device(model)
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
        ids = torch.tensor([vocab.bos_id, *vocab.encode(sentence)], device=_device(model))
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
    device = _device(model)
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
