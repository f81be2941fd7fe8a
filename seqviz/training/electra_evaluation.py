"""ELECTRA's held-out measures: how well the discriminator spots the generator's replacements, and the
paper's claim tested at this scale: at equal pre-training compute, is the discriminator's encoder a better
start than the masked LM's for a small labelled task, fine-tuned or probed frozen?

Compute is counted, not assumed: torch's FlopCounterMode counts the floating-point operations of one
training step (forward and backward) of each recipe on the same batches; the ELECTRA recipe's steps are set
so that its total stays at or below toy_mlm's.
"""

from __future__ import annotations

import copy

import torch
from torch.utils.flop_counter import FlopCounterMode

from ..data.toy import is_grammatical
from ..data.vocab import Vocab
from ..models.autoencoding import SequenceClassifier, choose_positions
from ..models.electra import word_positions
from ..models.inputs import encode_mlm
from .batches import electra_batch, length_windows, maskable_positions, mlm_batch
from .finetune import (
    LabelledData,
    finetune,
    grammaticality_task,
    linear_probe,
    pooled_features,
    subject_number_task,
)

FINETUNE_SIZES = (10, 20, 50, 100, 200)  # labelled sentences
PROBE_SIZES = (16, 32, 64, 128, 256, 512)
CURVE_SEEDS = (0, 1, 2)  # each point is the mean over these draws of the labelled data
FINETUNE_STEPS = 60  # the Autoencoding page's fine-tuning: full batch, lr 5e-4
FINETUNE_TEST, PROBE_TEST = 200, 400  # held-out sentences each point is measured on
FLOP_BATCHES = 8


def roc_auc(scores: torch.Tensor, truth: torch.Tensor) -> float:
    """The probability that a random positive scores above a random negative (Mann–Whitney), ties halved."""
    order = scores.argsort()
    ranks = torch.empty_like(scores, dtype=torch.float64)
    ranks[order] = torch.arange(1, len(scores) + 1, dtype=torch.float64)
    for value in scores[order][1:][scores[order][1:] == scores[order][:-1]].unique():  # average tied ranks
        tied = scores == value
        ranks[tied] = ranks[tied].mean()
    positives, negatives = int(truth.sum()), int((~truth).sum())
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


@torch.no_grad()
def detection_measures(model, vocab: Vocab, sentences, seed: int = 1234, batch_size: int = 256) -> dict:
    """Mask 15% of each held-out sentence's words (at least one), let the generator sample replacements and
    score the discriminator on every word. accuracy counts both kinds of word (most are originals, so AUC,
    which does not depend on that base rate, is the honest summary)."""
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    probs, truths, guessed, masked_count, kept = [], [], 0, 0, 0
    changed, still_grammatical = 0, 0  # sentences with a replaced word; of those, the ones the grammar accepts
    for start in range(0, len(sentences), batch_size):
        ids = encode_mlm(sentences[start : start + batch_size], vocab)
        masked = choose_positions(maskable_positions(ids, vocab), generator)
        out = model(ids, masked, torch.rand(ids.shape, generator=generator))
        scored = word_positions(ids)
        for row in out.replaced.any(1).nonzero()[:, 0].tolist():
            changed += 1
            still_grammatical += is_grammatical(vocab.decode(out.corrupted[row][scored[row]].tolist()))
        probs.append(out.replaced_logits[scored].sigmoid())
        truths.append(out.replaced[scored])
        guessed += int((out.generator_logits.argmax(-1)[masked] == ids[masked]).sum())
        masked_count += int(masked.sum())
        kept += int((masked & ~out.replaced).sum())
    prob, truth = torch.cat(probs), torch.cat(truths)
    said = prob > 0.5
    return {
        "heldout_sentences": len(sentences),
        "scored_words": len(truth),
        "replaced_share": round(float(truth.float().mean()), 4),
        "detection_accuracy": round(float((said == truth).float().mean()), 4),
        "detection_auc": round(roc_auc(prob, truth), 4),
        "replaced_found": round(float(said[truth].float().mean()), 4),  # recall of the replacements
        "originals_flagged": round(float(said[~truth].float().mean()), 4),  # false alarms
        "generator_accuracy": round(guessed / masked_count, 4),  # its top-1 guess is the original
        "generator_sampled_original": round(kept / masked_count, 4),
        # a replacement that leaves the sentence grammatical cannot be told from the original by anyone
        "replaced_sentences_still_grammatical": round(still_grammatical / max(changed, 1), 4),
    }


def training_step_flops(model, batch: dict) -> int:
    """Floating-point operations of one training step: the forward pass and the loss's backward pass."""
    model = copy.deepcopy(model).train()
    with FlopCounterMode(display=False) as counter:
        model(**batch).loss.backward()
    return counter.get_total_flops()


def pretraining_compute(
    electra, electra_steps: int, masked_lm, masked_lm_steps: int, sentences, vocab, batches: int = FLOP_BATCHES
) -> dict:
    """Each recipe's counted pre-training compute: FLOPs per step averaged over the same batches of 64
    training sentences (drawn as training draws them), times its steps."""
    draw, generator = length_windows(sentences, 64), torch.Generator().manual_seed(0)
    drawn = [draw(generator) for _ in range(batches)]
    per_step = {
        name: sum(training_step_flops(model, batch(chosen, vocab, generator)) for chosen in drawn) / batches
        for name, model, batch in (("electra", electra, electra_batch), ("masked_lm", masked_lm, mlm_batch))
    }
    total = {"electra": per_step["electra"] * electra_steps, "masked_lm": per_step["masked_lm"] * masked_lm_steps}
    return {
        "method": f"torch FlopCounterMode: forward + backward of one step, mean of the same {batches} "
        "batches of 64 sentences",
        "gflops_per_step": {k: round(v / 1e9, 3) for k, v in per_step.items()},
        "steps": {"electra": electra_steps, "masked_lm": masked_lm_steps},
        "total_pflops": {k: round(v / 1e15, 4) for k, v in total.items()},
        "electra_share_of_masked_lm": round(total["electra"] / total["masked_lm"], 4),
    }


def classifier_from(pretrained, config, seed: int) -> SequenceClassifier:
    """A subject-number classifier starting from a pre-trained encoder (None: from a random one), its head
    the same for every start with the same seed."""
    torch.manual_seed(seed)
    fresh = SequenceClassifier(config, 2)
    if pretrained is None:
        return fresh
    model = SequenceClassifier.from_pretrained(pretrained, 2)
    model.classifier.load_state_dict(fresh.classifier.state_dict())
    return model


def finetune_curves(starts: dict, vocab: Vocab, config) -> dict:
    """Held-out subject-number accuracy after fine-tuning every parameter (FINETUNE_STEPS full-batch steps)
    from each start, against the number of labelled sentences; mean over CURVE_SEEDS."""
    curves = {name: {} for name in starts}
    for n in FINETUNE_SIZES:
        for seed in CURVE_SEEDS:
            data = subject_number_task(vocab, n_train=n, n_test=FINETUNE_TEST, seed=seed)
            for name, pretrained in starts.items():
                model = classifier_from(pretrained, config, seed)
                history = finetune(model, data, FINETUNE_STEPS, seed=seed, eval_every=FINETUNE_STEPS)
                curves[name][n] = curves[name].get(n, 0.0) + history[-1].test_accuracy / len(CURVE_SEEDS)
    return {name: {str(n): round(acc, 4) for n, acc in curve.items()} for name, curve in curves.items()}


PROBE_TASKS = {"subject_number": subject_number_task, "grammatical": grammaticality_task}


def alternating_classes(labels: torch.Tensor) -> torch.Tensor:
    """Row indices that alternate between the two classes (0, 1, 0, 1, …) while both last."""
    by_class = [torch.nonzero(labels == c).flatten() for c in (0, 1)]
    n = min(len(rows) for rows in by_class)
    return torch.stack([by_class[0][:n], by_class[1][:n]], 1).flatten()


def probe_curves(starts: dict, vocab: Vocab, config) -> dict:
    """Held-out accuracy of a linear probe on each frozen encoder's mean-pooled states, per task, against the
    number of labelled sentences; mean over CURVE_SEEDS. A random encoder's features are the floor."""
    curves = {task: {name: {} for name in starts} for task in PROBE_TASKS}
    encoders = {name: (classifier_from(pretrained, config, 0).encoder) for name, pretrained in starts.items()}
    for task, make in PROBE_TASKS.items():
        for seed in CURVE_SEEDS:
            data: LabelledData = make(vocab, n_train=max(PROBE_SIZES), n_test=PROBE_TEST, seed=seed)
            order = alternating_classes(data.train_labels)  # the first n rows hold both classes equally
            for name, encoder in encoders.items():
                train_x = pooled_features(encoder, data.train_ids[order], vocab.pad_id)
                test_x = pooled_features(encoder, data.test_ids, vocab.pad_id)
                for n in PROBE_SIZES:
                    accuracy = linear_probe(train_x[:n], data.train_labels[order][:n], test_x, data.test_labels)
                    curves[task][name][n] = curves[task][name].get(n, 0.0) + accuracy / len(CURVE_SEEDS)
    return {
        task: {name: {str(n): round(acc, 4) for n, acc in curve.items()} for name, curve in by_start.items()}
        for task, by_start in curves.items()
    }


def evaluate_electra(model, vocab: Vocab, splits: dict, steps: int, masked_lm, masked_lm_steps: int) -> dict:
    """Everything ELECTRA's metrics.json records: detection on held-out sentences, the counted compute, and
    the discriminator against the masked LM (and a random encoder) fine-tuned and probed."""
    starts = {"electra": model, "masked_lm": masked_lm, "random_init": None}
    return {
        **detection_measures(model, vocab, splits["test"]),
        "pretraining_compute": pretraining_compute(model, steps, masked_lm, masked_lm_steps, splits["train"], vocab),
        "finetune_subject_number": {
            "method": f"every parameter, {FINETUNE_STEPS} full-batch steps, lr 5e-4; {FINETUNE_TEST} held-out "
            f"sentences; mean of {len(CURVE_SEEDS)} draws",
            "accuracy": finetune_curves(starts, vocab, masked_lm.config),
        },
        "linear_probe": {
            "method": f"logistic regression (L-BFGS) on frozen mean-pooled last states; {PROBE_TEST} held-out "
            f"sentences; mean of {len(CURVE_SEEDS)} draws",
            "accuracy": probe_curves(starts, vocab, masked_lm.config),
        },
    }
