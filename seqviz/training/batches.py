"""Training batches of the built-in models: sentences and pairs drawn by length, then encoded and, per
objective, corrupted (masked-LM, masked diffusion), shifted (causal LM), paired (translation) or masked
(NAT, CMLM, CTC)."""

from __future__ import annotations

import random
from collections.abc import Callable

import torch

from ..data.facts import PLACES, SUBJECTS, World, question, random_world
from ..data.text_to_text import corrupt_spans, fill_spans, with_prefix
from ..data.toy import EN_WORDS
from ..data.vocab import Vocab
from ..decoding.retrieval import FactKeys, neighbour_ids, retrieve, world_store
from ..models.autoencoding import IGNORE, choose_positions, masked_lm_corruption
from ..models.bart import NOISES, noise
from ..models.diffusion import diffusion_corruption
from ..models.inputs import encode_clm, encode_mlm, encode_pairs, encode_prefix_pairs, next_token_targets, pad_rows
from ..models.unilm import MODES, unilm_mask, unilm_segments
from ..models.xlnet import predicted_positions, two_stream_masks


def length_windows(sentences, batch_size: int, length: Callable = len) -> Callable[[torch.Generator], list]:
    """Draw batches of sentences of similar length (a random window of the length-sorted list), so little
    compute goes to padding; every sentence is still equally likely to be drawn."""
    by_length = sorted(sentences, key=length)
    window = min(len(by_length), 8 * batch_size)

    def draw(generator: torch.Generator) -> list:
        start = int(torch.randint(len(by_length) - window + 1, (1,), generator=generator))
        picks = torch.randint(window, (batch_size,), generator=generator) + start
        return [by_length[i] for i in picks.tolist()]

    return draw


def maskable_positions(ids: torch.Tensor, vocab: Vocab) -> torch.Tensor:
    """Words may be masked; [CLS], [SEP] and padding may not. -> (B, T) bool"""
    return ~torch.isin(ids, torch.tensor(sorted(vocab.special_ids)))


def mlm_batch(sentences, vocab: Vocab, generator: torch.Generator) -> dict:
    """BERT's corruption of the sentences (masked_lm_corruption)."""
    ids = encode_mlm(sentences, vocab)
    random_ids = torch.tensor(vocab.regular_ids)
    corrupted, labels = masked_lm_corruption(ids, vocab.mask_id, maskable_positions(ids, vocab), random_ids, generator)
    return {"ids": corrupted, "labels": labels}


def electra_batch(sentences, vocab: Vocab, generator: torch.Generator) -> dict:
    """ELECTRA: 15% of the words chosen for the generator to fill (all as [MASK], no 80/10/10 rule), and
    the uniform draws that pick its samples."""
    ids = encode_mlm(sentences, vocab)
    masked = choose_positions(maskable_positions(ids, vocab), generator)
    return {"ids": ids, "masked": masked, "uniforms": torch.rand(ids.shape, generator=generator)}


def mlm_batches(sentences, vocab: Vocab, batch_size: int, batch=mlm_batch) -> Callable[[torch.Generator], dict]:
    """Batches of sentences of similar length, each made into a training batch by batch (BERT's, ELECTRA's)."""
    draw = length_windows(sentences, batch_size)
    return lambda generator: batch(draw(generator), vocab, generator)


def diffusion_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    """Masked diffusion: every sentence at its own noise level t, each word masked with probability t."""
    draw = length_windows(sentences, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_mlm(draw(generator), vocab)
        maskable = maskable_positions(ids, vocab)
        corrupted, labels, t = diffusion_corruption(ids, vocab.mask_id, maskable, generator)
        return {"ids": corrupted, "labels": labels, "t": t, "maskable": maskable}

    return next_batch


def clm_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(sentences, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        ids = encode_clm(draw(generator), vocab)
        return {"ids": ids, "labels": ids}

    return next_batch


def clm_distill_batches(sentences, vocab: Vocab, batch_size: int, teacher) -> Callable[[torch.Generator], dict]:
    """Causal-LM batches whose targets are the teacher's next-token distributions (knowledge distillation:
    a speculative-decoding draft learns to guess what the target would say)."""
    plain = clm_batches(sentences, vocab, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        batch = plain(generator)
        with torch.no_grad():
            batch["teacher_probs"] = teacher(batch["ids"]).logits.softmax(-1)  # (B, T, V)
        return batch

    return next_batch


def pair_batches(pairs, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))  # similar source lengths
    return lambda generator: encode_pairs(draw(generator), vocab)


def monolingual_sentences(pairs) -> list[tuple[str, ...]]:
    """mBART-style monolingual data from translation pairs: the English side of the even-numbered pairs and
    the French side of the odd-numbered ones, so no sentence is seen beside its translation."""
    return [pair[index % 2] for index, pair in enumerate(pairs)]


def denoising_batches(pairs, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    """BART's pre-training batches over monolingual_sentences(pairs): each sentence noised by one of NOISES,
    drawn uniformly; the source is the noised words, the target <bos> the original sentence <eos>."""
    draw, names = length_windows(monolingual_sentences(pairs), batch_size), sorted(NOISES)

    def next_batch(generator: torch.Generator) -> dict:
        rng = random.Random(int(torch.randint(2**31, (1,), generator=generator)))
        chosen = []
        for sentence in draw(generator):
            noised = noise(rng.choice(names), vocab.encode(sentence), rng)
            chosen.append((vocab.decode(noised.ids), sentence))
        return encode_pairs(chosen, vocab)

    return next_batch


def parallel_batches(pairs, vocab: Vocab, batch_size: int, objective: str) -> Callable[[torch.Generator], dict]:
    """Batches for the non-autoregressive objectives: nat reads every target position as [MASK]; cmlm masks
    a uniformly drawn number of them (1..T) and scores only those; ctc reads the source and scores the target."""
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))

    def next_batch(generator: torch.Generator) -> dict:
        chosen = draw(generator)
        src = pad_rows([vocab.encode(s) for s, _ in chosen], vocab.pad_id)
        tgt = pad_rows([vocab.encode(t) for _, t in chosen], vocab.pad_id)  # (B, T) no <bos>/<eos>
        if objective == "ctc":
            return {"src": src, "labels": tgt}
        real = tgt != vocab.pad_id
        masked = real
        if objective == "cmlm":
            count = (torch.rand(len(chosen), generator=generator) * real.sum(1)).long() + 1  # 1..T per row
            rank = torch.rand(tgt.shape, generator=generator).masked_fill(~real, 2.0).argsort(1).argsort(1)
            masked = rank < count[:, None]
        return {
            "src": src,
            "tgt": tgt.masked_fill(masked, vocab.mask_id),
            "labels": tgt.masked_fill(~masked, vocab.pad_id),
        }

    return next_batch


def unilm_batches(pairs, vocab: Vocab, batch_size: int, shares: dict[str, float]) -> Callable[[torch.Generator], dict]:
    """UniLM's joint training: each batch is one mode, drawn with the given shares — masked LM on the English
    sentences (bidirectional), next-token LM on them (causal), or translation as a prefix LM on
    <bos> English [SEP] French <eos> (seq2seq: the loss on the French and <eos> only)."""
    draw = length_windows(pairs, batch_size, length=lambda pair: len(pair[0]))
    random_ids = torch.tensor(vocab.encode(EN_WORDS))  # BERT's random replacements: English words only
    weights = torch.tensor([shares[mode] for mode in MODES], dtype=torch.float)

    def next_batch(generator: torch.Generator) -> dict:
        mode = MODES[int(torch.multinomial(weights, 1, generator=generator))]
        chosen = draw(generator)
        english = [source for source, _ in chosen]
        if mode == "bidirectional":
            clean = encode_mlm(english, vocab)
            ids, targets = masked_lm_corruption(
                clean, vocab.mask_id, maskable_positions(clean, vocab), random_ids, generator
            )
            lengths = torch.full((len(chosen),), ids.size(1))
        elif mode == "causal":
            ids = encode_clm(english, vocab)
            lengths = torch.full((len(chosen),), ids.size(1))
            targets = next_token_targets(ids, vocab.pad_id)
        else:
            ids, lengths = encode_prefix_pairs(chosen, vocab)
            targets = next_token_targets(ids, vocab.pad_id, first=lengths - 1)  # [SEP] predicts the first French word
        return {
            "ids": ids,
            "segments": unilm_segments(mode, ids, lengths),
            "mask": unilm_mask(mode, ids, lengths, vocab.pad_id),
            "targets": targets,
        }

    return next_batch


def permutation_batches(sentences, vocab: Vocab, batch_size: int) -> Callable[[torch.Generator], dict]:
    """XLNet's batches: <bos> words, each row read in its own random factorisation order (<bos> first), the
    loss on the last positions of that order only (partial prediction)."""
    draw = length_windows(sentences, batch_size)

    def next_batch(generator: torch.Generator) -> dict:
        chosen = draw(generator)
        ids = pad_rows([[vocab.bos_id, *vocab.encode(s)] for s in chosen], vocab.pad_id)  # (B, T)
        orders = [[0, *(torch.randperm(len(s), generator=generator) + 1).tolist()] for s in chosen]
        content, query = two_stream_masks(orders, ids.size(1))
        targets = torch.full_like(ids, IGNORE)
        for row, order in enumerate(orders):
            scored = predicted_positions(order)
            targets[row, scored] = ids[row, scored]
        return {"ids": ids, "content_mask": content, "query_mask": query, "targets": targets}

    return next_batch


def text_to_text_batches(
    examples: dict[str, list], vocab: Vocab, batch_size: int, shares: dict[str, float]
) -> Callable[[torch.Generator], dict]:
    """T5's mixture: each batch is one task, drawn with the given shares, its inputs written as
    "task : input" so that only the prefix tells the tasks apart; one encoder-decoder learns them all. Span
    corruption is drawn afresh for every batch, as T5 does, so a sentence is seen with many different gaps."""
    tasks = list(shares)
    draws = {
        task: length_windows([(with_prefix(task, s), t) for s, t in examples[task]], batch_size, lambda p: len(p[0]))
        for task in tasks
    }
    weights = torch.tensor([shares[task] for task in tasks], dtype=torch.float)

    def next_batch(generator: torch.Generator) -> dict:
        task = tasks[int(torch.multinomial(weights, 1, generator=generator))]
        chosen = draws[task](generator)
        if task == "fill":  # the stored gaps -> the sentence -> new gaps
            rng = random.Random(int(torch.randint(2**31, (1,), generator=generator)))
            sentences = [fill_spans(source[2:], target) for source, target in chosen]
            chosen = [(with_prefix(task, s), t) for s, t in (corrupt_spans(sentence, rng) for sentence in sentences)]
        return encode_pairs(chosen, vocab)

    return next_batch


def retro_example(keys: FactKeys, world: World, ask: int, vocab: Vocab) -> tuple[torch.Tensor, list[int], int]:
    """One question about subject `ask` in a world: its retrieved neighbours (K, L), the prompt
    <bos> question, and how many tokens of it carry no loss."""
    store = world_store(keys, world)
    chunks = [store.chunks[i] for i, _ in retrieve(store, keys.questions[ask])]
    prompt = [vocab.bos_id, *vocab.encode(list(question(SUBJECTS[ask])))]
    return neighbour_ids(chunks, vocab), prompt, len(prompt)


def stack_neighbours(rows: list[torch.Tensor], pad_id: int) -> torch.Tensor:
    """(K, L_i) per row -> (B, K, max L), right-padded."""
    width = max(row.size(1) for row in rows)
    return torch.stack([torch.nn.functional.pad(row, (0, width - row.size(1)), value=pad_id) for row in rows])


def retro_batches(keys: FactKeys, vocab: Vocab, batch_size: int, held_out) -> Callable[[torch.Generator], dict]:
    """Questions about fresh random worlds (no held-out subject–place pair in any of them), each with the
    neighbours the frozen retriever finds in that world's datastore; the loss is on the answer and <eos>."""

    def next_batch(generator: torch.Generator) -> dict:
        rng = random.Random(int(torch.randint(2**31, (1,), generator=generator)))
        neighbours, targets, labels = [], [], []
        for _ in range(batch_size):
            world, ask = random_world(rng, held_out), rng.randrange(len(SUBJECTS))
            found, prompt, given = retro_example(keys, world, ask, vocab)
            target = [*prompt, *vocab.encode(list(PLACES[world.places[ask]])), vocab.eos_id]
            neighbours.append(found)
            targets.append(target)
            labels.append([vocab.pad_id] * given + target[given:])  # position t predicts labels[t + 1]
        return {
            "src": stack_neighbours(neighbours, vocab.pad_id),
            "tgt": pad_rows(targets, vocab.pad_id),
            "labels": pad_rows(labels, vocab.pad_id),
        }

    return next_batch


def image_batches(
    images: torch.Tensor, labels: torch.Tensor, batch_size: int, task: str
) -> Callable[[torch.Generator], dict]:
    """Random glyphs with their digits: a generator learns the images given the digit (task "pixels"), the
    classifier the digit given the image ("classify")."""

    def next_batch(generator: torch.Generator) -> dict:
        index = torch.randint(len(labels), (batch_size,), generator=generator)
        if task == "classify":
            return {"images": images[index], "targets": labels[index]}
        return {"images": images[index], "labels": labels[index], "targets": images[index]}

    return next_batch


def kl_weight_at(step: int, anneal_steps: int) -> float:
    """The sentence VAE's KL weight at a 0-based step: linear from 0 to 1 over anneal_steps, then 1 (Bowman
    et al. anneal so that z learns to carry the sentence before it is charged for it); 0 steps: 1 at once."""
    return 1.0 if anneal_steps <= 0 else min(1.0, step / anneal_steps)


def word_dropout(ids: torch.Tensor, rate: float, vocab: Vocab, generator: torch.Generator) -> torch.Tensor:
    """Each word of <bos> w1 .. wn <eos> (B, T) replaced by <unk> with probability rate; <bos>, <eos> and
    padding stay. The decoder then has to take the dropped words from z."""
    words = ~torch.isin(ids, torch.tensor(sorted(vocab.special_ids)))  # (B, T)
    dropped = words & (torch.rand(ids.shape, generator=generator) < rate)
    return ids.masked_fill(dropped, vocab.unk_id)


def vae_batches(
    sentences, vocab: Vocab, batch_size: int, word_dropout_rate: float = 0.0, kl_anneal_steps: int = 0
) -> Callable[[torch.Generator], dict]:
    """The sentence VAE's batches: the words for the encoder, <bos> words <eos> for the decoder (word-dropped)
    and as labels (clean), and the KL weight of this step. The function counts the batches it has made: one
    per training step."""
    draw, made = length_windows(sentences, batch_size), 0

    def next_batch(generator: torch.Generator) -> dict:
        nonlocal made
        chosen = draw(generator)
        labels = encode_clm(chosen, vocab)  # (B, T)
        weight = kl_weight_at(made, kl_anneal_steps)
        made += 1
        return {
            "ids": pad_rows([vocab.encode(s) for s in chosen], vocab.pad_id),  # (B, S)
            "decoder_ids": word_dropout(labels, word_dropout_rate, vocab, generator),
            "labels": labels,
            "kl_weight": torch.tensor(weight),
        }

    return next_batch
