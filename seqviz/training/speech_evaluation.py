"""The speech CTC model's data and held-out measures.

Training batches are new utterances drawn at every step from the training stream (word sequences never held
out); the test split is `n_test` held-out utterances (word sequences never trained on, new draws), drawn once.

Measures, on the test split:
- letter error rate (LER): the edit distance between output and reference, letters and spaces counted,
  summed over the utterances and divided by the reference symbols; word error rate (WER): the same over
  words. Each for greedy decoding (best path, collapsed) and prefix beam search (beam BEAM);
- peakiness of the posteriors: the share of frames whose most probable symbol is the blank, the share of
  frames whose most probable symbol has a posterior above PEAK (0.9), and the mean of the frames' largest
  posterior;
- the greedy error by speaking rate: slow, normal and fast thirds of the training range, and a sweep of
  fixed rates beyond it (RATE_SWEEP, SWEEP_UTTERANCES utterances each).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from ..data.speech import SPACE, Utterance, held_out_utterances, labels, rate_bucket, speech_vocab, training_batch
from ..data.vocab import Vocab
from ..decoding.ctc import best_path, ctc_collapse, prefix_beam_search

BEAM = 8
PEAK = 0.9  # a frame is "peaked" when its most probable symbol has a posterior above this
RATE_SWEEP = (0.5, 0.7, 1.0, 1.5, 2.0, 2.5)  # fixed speaking rates: 0.5 and 2–2.5 lie outside training's 0.7–1.5
SWEEP_UTTERANCES = 200
EVAL_BATCH = 100


def collate(utterances: Sequence[Utterance], vocab: Vocab | None = None) -> dict[str, torch.Tensor]:
    """Frames (B, T, n_bins) right-padded with zeros, frame_lengths (B,), targets (B, L) padded with the
    blank, target_lengths (B,): the keyword arguments of SpeechCTC.forward."""
    vocab = vocab or speech_vocab()
    T = max(u.n_frames for u in utterances)
    frames = np.zeros((len(utterances), T, utterances[0].frames.shape[1]), np.float32)
    for i, u in enumerate(utterances):
        frames[i, : u.n_frames] = u.frames
    targets = [labels(u, vocab) for u in utterances]
    padded = torch.full((len(targets), max(map(len, targets))), vocab.blank_id, dtype=torch.long)
    for i, target in enumerate(targets):
        padded[i, : len(target)] = torch.tensor(target)
    return {
        "frames": torch.from_numpy(frames),
        "frame_lengths": torch.tensor([u.n_frames for u in utterances]),
        "targets": padded,
        "target_lengths": torch.tensor([len(t) for t in targets]),
    }


def speech_batches(batch_size: int) -> Callable[[torch.Generator], dict]:
    """A batch of new training utterances per step, drawn from a seed the loop's generator gives."""

    def next_batch(generator: torch.Generator) -> dict:
        seed = int(torch.randint(2**31 - 1, (1,), generator=generator))
        return collate(training_batch(batch_size, seed))

    return next_batch


def speech_splits(n_test: int, seed: int) -> dict[str, list[Utterance]]:
    """The held-out utterances ("test"); training draws its own as it goes (speech_batches)."""
    return {"test": list(held_out_utterances(n_test, seed))}


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions turning a into b."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def error_counts(reference: str, output: str) -> tuple[int, int, int, int]:
    """(letter errors, reference symbols, word errors, reference words) of one output."""
    return (
        edit_distance(reference, output),
        len(reference),
        edit_distance(reference.split(SPACE), output.split(SPACE) if output else []),
        len(reference.split(SPACE)),
    )


@torch.no_grad()
def posteriors(model, utterances: Sequence[Utterance]) -> list[np.ndarray]:
    """Each utterance's (T, V) log-probabilities, batched."""
    device = next(model.parameters()).device
    out = []
    for start in range(0, len(utterances), EVAL_BATCH):
        chunk = utterances[start : start + EVAL_BATCH]
        batch = collate(chunk)
        log_probs = model(batch["frames"].to(device), batch["frame_lengths"].to(device)).logits.double().cpu()
        out += [log_probs[i, : u.n_frames].numpy() for i, u in enumerate(chunk)]
    return out


def _rates(counts: np.ndarray) -> dict:
    """counts (N, 4) of error_counts -> LER, WER and exact match."""
    return {
        "letter_error_rate": round(float(counts[:, 0].sum() / counts[:, 1].sum()), 4),
        "word_error_rate": round(float(counts[:, 2].sum() / counts[:, 3].sum()), 4),
        "exact_match": round(float((counts[:, 0] == 0).mean()), 4),
    }


def read_all(model, vocab: Vocab, utterances: Sequence[Utterance], beam: int = BEAM) -> dict:
    """Greedy and beam outputs as text, and the per-frame peak statistics, of every utterance."""
    blank = vocab.blank_id
    greedy, beamed, blank_frames, peaked, max_posterior, frames = [], [], 0, 0, 0.0, 0
    for lp in posteriors(model, utterances):
        greedy.append("".join(vocab.decode(ctc_collapse(best_path(lp), blank))))
        if beam:
            beamed.append("".join(vocab.decode(prefix_beam_search(lp, blank, beam)[0].tokens)))
        top = np.exp(lp.max(-1))
        blank_frames += int((lp.argmax(-1) == blank).sum())
        peaked += int((top > PEAK).sum())
        max_posterior += float(top.sum())
        frames += len(lp)
    return {
        "greedy": greedy,
        "beam": beamed,
        "blank_share": blank_frames / frames,
        "peaked_share": peaked / frames,
        "mean_max_posterior": max_posterior / frames,
    }


def evaluate_speech(model, vocab: Vocab, utterances: Sequence[Utterance], sweep_seed: int | None = None) -> dict:
    """The module's measures on held-out utterances (and, with sweep_seed, the sweep of fixed rates)."""
    model.eval()
    read = read_all(model, vocab, utterances)
    references = [u.text for u in utterances]
    counts = {
        kind: np.array([error_counts(r, o) for r, o in zip(references, read[kind], strict=True)])
        for kind in ("greedy", "beam")
    }
    buckets = [rate_bucket(u.rate) for u in utterances]
    by_rate = {}
    for name in ("slow", "normal", "fast"):
        chosen = [i for i, b in enumerate(buckets) if b == name]
        if chosen:
            by_rate[name] = {**_rates(counts["greedy"][chosen]), "utterances": len(chosen)}
    changed = [g != b for g, b in zip(read["greedy"], read["beam"], strict=True)]
    metrics = {
        "utterances": len(utterances),
        "greedy": _rates(counts["greedy"]),
        "beam": _rates(counts["beam"]),
        "beam_width": BEAM,
        "beam_changes_output": round(float(np.mean(changed)), 4),
        "letter_accuracy": round(1 - _rates(counts["greedy"])["letter_error_rate"], 4),
        "peakiness": {
            "blank_share": round(read["blank_share"], 4),
            "peaked_share": round(read["peaked_share"], 4),
            "mean_max_posterior": round(read["mean_max_posterior"], 4),
            "peak": PEAK,
        },
        "by_rate": by_rate,
    }
    if sweep_seed is not None:
        metrics["rate_sweep"] = rate_sweep(model, vocab, sweep_seed)
        metrics["sweep_utterances"] = SWEEP_UTTERANCES
    return metrics


def rate_sweep(model, vocab: Vocab, seed: int, n: int = SWEEP_UTTERANCES) -> dict:
    """Greedy LER and WER and the blank share at fixed speaking rates, within the training range and beyond."""
    out = {}
    for rate in RATE_SWEEP:
        utterances = held_out_utterances(n, seed, rate)
        read = read_all(model, vocab, utterances, beam=0)
        counts = np.array([error_counts(u.text, o) for u, o in zip(utterances, read["greedy"], strict=True)])
        frames = sum(u.n_frames for u in utterances) / len(utterances)
        out[str(rate)] = {
            **_rates(counts),
            "blank_share": round(read["blank_share"], 4),
            "mean_frames": round(frames, 1),
        }
    return out
