"""Held-out measurements of the built-in language models, as stored in their metrics.json."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

import torch

from ..data.agreement import DISTANCE_BUCKETS, AgreementCase, bucket_of, distance_label
from ..data.toy import check_translation, is_grammatical, parse_english, right_context_sites
from ..data.vocab import Vocab
from ..decoding.autoregressive import generate, sampling_processors, strip_eos
from ..decoding.diffusion import STRATEGIES, diffuse, masked_start
from ..decoding.masked import fill_masks
from ..decoding.processors import text_suppressor
from ..decoding.seq2seq import greedy_decode, translate_all
from ..models.autoencoding import MaskedLM
from ..models.inputs import encode_clm, encode_mlm, encode_pairs


def model_device(model) -> torch.device:
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
            filled, _ = fill_masks(model, corrupted.to(model_device(model)), vocab.mask_id, strategy)
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
def preference_log_odds(model, vocab: Vocab, items, kind: str, batch_size: int = 256) -> torch.Tensor:
    """log p(agreeing form) − log p(other form) per item (N,), at positions where a form is decided by
    context, e.g. "the [cat|cats] sleep". kind="mlm": the word is masked and the model sees both sides;
    kind="clm": the model predicts the word from the words before it only."""
    if kind not in ("mlm", "clm"):
        raise ValueError(f"kind must be 'mlm' or 'clm', got {kind!r}")
    model.eval()
    odds = []
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        if kind == "mlm":
            ids = encode_mlm([s for s, *_ in chunk], vocab)
            positions = torch.tensor([i + 1 for _, i, _, _ in chunk])  # after [CLS]
            ids[torch.arange(len(chunk)), positions] = vocab.mask_id
        else:
            ids = encode_clm([s[:i] for s, i, _, _ in chunk], vocab)
            positions = torch.tensor([i for _, i, _, _ in chunk])  # <bos> w1..w_{i} : the last prefix token
        logits = model(ids.to(model_device(model))).logits.cpu()[torch.arange(len(chunk)), positions]  # (B, V)
        good = torch.tensor(vocab.encode([g for *_, g, _ in chunk]))
        bad = torch.tensor(vocab.encode([b for *_, b in chunk]))
        rows = torch.arange(len(chunk))
        odds.append(logits[rows, good].float() - logits[rows, bad].float())  # the softmax's norm cancels
    return torch.cat(odds) if odds else torch.zeros(0)


def right_context_agreement(model, vocab: Vocab, items, kind: str, batch_size: int = 256) -> float:
    """How often the model prefers the agreeing form over the other one (see preference_log_odds)."""
    return round(float((preference_log_odds(model, vocab, items, kind, batch_size) > 0).float().mean()), 4)


def agreement_scores(model, vocab: Vocab, groups: dict[str, Sequence[AgreementCase]]) -> dict[str, dict]:
    """Long-range agreement (seqviz.data.agreement) per group of cases, the model reading only the words
    before the verb. -> {group: {"n", "accuracy", "right_share"}} for the groups that have cases: accuracy,
    how often it scores the verb's right form above its wrong one; right_share, the mean of p(right) /
    (p(right) + p(wrong)), which shows a model growing unsure before it starts to err."""
    measured = {}
    for label, cases in groups.items():
        if cases:
            odds = preference_log_odds(model, vocab, [(c.words, c.verb, c.right, c.wrong) for c in cases], "clm")
            measured[label] = {
                "n": len(cases),
                "accuracy": round(float((odds > 0).float().mean()), 4),
                "right_share": round(float(torch.sigmoid(odds).mean()), 4),
            }
    return measured


def agreement_by_distance(model, vocab: Vocab, cases: Sequence[AgreementCase]) -> dict[str, dict]:
    """agreement_scores per distance bucket ("1", "2", "3–4", "5–7", "8+")."""
    groups = {distance_label(b): [c for c in cases if bucket_of(c.distance) == b] for b in DISTANCE_BUCKETS}
    return agreement_scores(model, vocab, groups)


ATTRACTION_MIN_DISTANCE = 3  # the cases with room for a noun between subject and verb


def agreement_by_attractors(model, vocab: Vocab, cases: Sequence[AgreementCase]) -> dict[str, dict]:
    """agreement_scores of the cases ATTRACTION_MIN_DISTANCE or more words apart, without ("0") and with
    ("1+") an attractor: a noun of the other number between subject and verb ("the dogs on the bike see")."""
    far = [c for c in cases if c.distance >= ATTRACTION_MIN_DISTANCE]
    groups = {"0": [c for c in far if not c.attractors], "1+": [c for c in far if c.attractors]}
    return agreement_scores(model, vocab, groups)


@torch.no_grad()
def evaluate_next_token(model, vocab: Vocab, sentences, batch_size: int = 256) -> dict:
    """Teacher-forced next-token loss on held-out sentences: perplexity and top-1 accuracy."""
    model.eval()
    loss_sum = correct = count = 0.0
    for start in range(0, len(sentences), batch_size):
        ids = encode_clm(sentences[start : start + batch_size], vocab).to(model_device(model))
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
    prompt = torch.tensor([vocab.bos_id], device=model_device(model))
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
    out = model(batch["src"].to(model_device(model)), batch["tgt"].to(model_device(model)), need_weights=True)
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


# ---- masked diffusion ------------------------------------------------------------------------------------

DIFFUSION_STEPS = (1, 2, 4, 8, 0)  # denoising steps of the quality curve; 0 stands for N, one word per step
DIFFUSION_BLOCK = 4  # the semi-autoregressive strategy's block length


DIFFUSION_MAX_WORDS = 20  # samples are as long as the page lets a user ask for


def sample_lengths(sentences, n: int, seed: int, max_words: int = DIFFUSION_MAX_WORDS) -> list[int]:
    """n sentence lengths drawn from the data's length distribution up to max_words (seeded): how long a
    sample is."""
    return random.Random(seed).choices([len(s) for s in sentences if len(s) <= max_words], k=n)


@torch.no_grad()
def diffusion_samples(
    model, vocab: Vocab, lengths: list[int], steps: int, strategy: str, seed: int = 0, temperature: float = 1.0
) -> list[list[str]]:
    """One sentence per length, written from all [MASK] in `steps` steps (0: as many as its words), rows of
    equal length denoised together; seeded."""
    generator = torch.Generator().manual_seed(seed)
    written: dict[int, list[str]] = {}
    for n in sorted(set(lengths)):
        rows = [i for i, length in enumerate(lengths) if length == n]
        ids = masked_start([n] * len(rows), vocab).to(model_device(model))
        result = diffuse(
            model, ids, vocab, steps or n, strategy, DIFFUSION_BLOCK, temperature=temperature, generator=generator
        )
        for row, tokens in zip(rows, result.tokens[:, 1 : n + 1].tolist(), strict=True):
            written[row] = vocab.decode(tokens)
    return [written[i] for i in range(len(lengths))]


def evaluate_diffusion(model, vocab: Vocab, sentences, lengths_from, n: int = 200, seed: int = 0) -> dict:
    """The diffusion LM as a masked LM (top-1 fills of held-out sentences) and as a generator: the share of
    n samples (lengths drawn from lengths_from) the checker accepts, for each strategy and number of steps."""
    metrics = evaluate_fill(model, vocab, sentences)
    lengths = sample_lengths(lengths_from, n, seed)
    metrics["samples"] = n
    metrics["grammatical"] = {
        strategy: {
            ("N" if steps == 0 else str(steps)): diffusion_grammatical(model, vocab, lengths, steps, strategy, seed)
            for steps in DIFFUSION_STEPS
        }
        for strategy in STRATEGIES
    }
    return metrics


def diffusion_grammatical(model, vocab: Vocab, lengths: list[int], steps: int, strategy: str, seed: int = 0) -> float:
    """The share of sentences (one per length) written in `steps` steps that the checker accepts."""
    written = diffusion_samples(model, vocab, lengths, steps, strategy, seed)
    return round(sum(map(is_grammatical, written)) / len(lengths), 4)
