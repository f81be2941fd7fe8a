"""What pre-training buys: fine-tune a pre-trained encoder and a randomly initialised one on the same
few labelled sentences, and compare their accuracy on held-out sentences.

The task: is the first subject of a toy-language sentence singular or plural? With 50 examples a fresh
encoder sees only some of the nouns; the pre-trained one already groups plural nouns together, because
predicting masked words taught it that "cats", "dogs" and "mice" all go with "sleep".
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..data.agreement import NOUN_OTHER, VERB_OTHER, flip_noun
from ..data.toy import is_grammatical, make_splits, subject_number
from ..data.vocab import Vocab
from ..models.autoencoding import MaskedLM, SequenceClassifier, encoder_mask
from ..models.inputs import encode_mlm

LABELS = ("sg", "pl")


@dataclass(frozen=True)
class LabelledData:
    train_ids: torch.Tensor  # (N, T)
    train_labels: torch.Tensor  # (N,)
    test_ids: torch.Tensor
    test_labels: torch.Tensor
    train_sentences: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, train: list[tuple], test: list[tuple], vocab: Vocab) -> LabelledData:
        """From (sentence, label) rows: the sentences as [CLS] words [SEP] ids, the labels as a tensor."""
        return cls(
            encode_mlm([s for s, _ in train], vocab),
            torch.tensor([y for _, y in train]),
            encode_mlm([s for s, _ in test], vocab),
            torch.tensor([y for _, y in test]),
            tuple(s for s, _ in train),
        )


@dataclass(frozen=True)
class FinetunePoint:
    step: int
    loss: float
    test_accuracy: float
    elapsed_s: float


def subject_number_task(vocab: Vocab, n_train: int = 20, n_test: int = 200, seed: int = 0) -> LabelledData:
    """Labelled sentences drawn apart from the pre-training sentences (their own seed and split).
    The training set is balanced between singular and plural."""
    splits = make_splits(4 * n_train, 10, n_test, seed=1000 + seed, max_tgt_len=20)
    pool = [(p.en, LABELS.index(subject_number(p.en))) for p in splits["train"] if subject_number(p.en)]
    per_class = n_train // 2
    train = [x for x in pool if x[1] == 0][:per_class] + [x for x in pool if x[1] == 1][: n_train - per_class]
    test = [(p.en, LABELS.index(subject_number(p.en))) for p in splits["test"] if subject_number(p.en)]
    return LabelledData.of(train, test, vocab)


def grammaticality_task(vocab: Vocab, n_train: int = 20, n_test: int = 200, seed: int = 0) -> LabelledData:
    """Is the sentence grammatical? Half of the sentences keep their words; in the other half one noun or
    verb takes its other number ("the cat sleeps" -> "the cats sleeps"), chosen where the grammar then
    refuses the sentence: the same words, only agreement tells the two apart. Label 1 = grammatical."""
    rng = random.Random(2000 + seed)
    splits = make_splits(2 * n_train, 10, 2 * n_test, seed=2000 + seed, max_tgt_len=20)

    def labelled(sentences, n):
        rows = []
        for k, en in enumerate(sentences):
            if k % 2 == 0:
                rows.append((en, 1))
                continue
            broken = agreement_violation(list(en), rng)
            if broken is not None:
                rows.append((tuple(broken), 0))
        return rows[:n]

    train = labelled([p.en for p in splits["train"]], n_train)
    test = labelled([p.en for p in splits["test"]], n_test)
    return LabelledData.of(train, test, vocab)


def agreement_violation(words: list[str], rng: random.Random) -> list[str] | None:
    """The words with one noun or verb in its other number such that the grammar refuses the sentence,
    the position drawn at random; None when no such change exists."""
    positions = [i for i, w in enumerate(words) if w in NOUN_OTHER or w in VERB_OTHER]
    rng.shuffle(positions)
    for i in positions:
        changed = flip_noun(words, i) if words[i] in NOUN_OTHER else [*words[:i], VERB_OTHER[words[i]], *words[i + 1 :]]
        if not is_grammatical(changed):
            return changed
    return None


@torch.no_grad()
def accuracy(model: SequenceClassifier, ids: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    return float((model(ids).logits.argmax(-1) == labels).float().mean())


def finetune(
    model: SequenceClassifier,
    data: LabelledData,
    steps: int = 60,
    lr: float = 5e-4,
    seed: int = 0,
    eval_every: int = 5,
    callback: Callable[[FinetunePoint], None] | None = None,
) -> list[FinetunePoint]:
    """Full-batch fine-tuning of every parameter; the held-out accuracy is measured every eval_every steps."""
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    history, start = (
        [FinetunePoint(0, float("nan"), accuracy(model, data.test_ids, data.test_labels), 0.0)],
        time.perf_counter(),
    )
    if callback:
        callback(history[-1])
    for step in range(1, steps + 1):
        model.train()
        loss = model(data.train_ids, data.train_labels).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % eval_every == 0 or step == steps:
            point = FinetunePoint(
                step, loss.item(), accuracy(model, data.test_ids, data.test_labels), time.perf_counter() - start
            )
            history.append(point)
            if callback:
                callback(point)
    model.eval()
    return history


def compare_pretraining(
    pretrained: MaskedLM,
    data: LabelledData,
    steps: int = 60,
    seed: int = 0,
    callback: Callable[[str, FinetunePoint], None] | None = None,
) -> dict[str, list[FinetunePoint]]:
    """Fine-tune a copy of the pre-trained encoder and a fresh one of the same size, with the same data,
    seed and steps. The shared pre-trained model is never modified."""
    torch.manual_seed(seed)
    fresh = SequenceClassifier(pretrained.config, len(LABELS))  # on the CPU, like the data
    torch.manual_seed(seed)
    warm = SequenceClassifier.from_pretrained(pretrained, len(LABELS)).cpu()  # copies the weights
    warm.classifier.load_state_dict(fresh.classifier.state_dict())  # same head start for both
    results = {}
    for name, model in (("pretrained", warm), ("random_init", fresh)):
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        report = (lambda point, name=name: callback(name, point)) if callback else None
        results[name] = finetune(model, data, steps, seed=seed, callback=report)
    return results


@torch.no_grad()
def pooled_features(encoder, ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """A frozen encoder's last hidden states averaged over each sentence's real tokens. ids (N, T) -> (N, D)"""
    encoder.eval()
    hidden = encoder(ids, encoder_mask(ids, pad_id)).hidden  # (N, T, D)
    real = (ids != pad_id)[..., None].float()  # (N, T, 1)
    return (hidden * real).sum(1) / real.sum(1)


def linear_probe(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor) -> float:
    """Held-out accuracy of a logistic regression on frozen features (standardised on the training rows,
    L-BFGS with a little L2): what the features hold that a straight line can read."""
    mean, std = train_x.mean(0), train_x.std(0).clamp(min=1e-6)
    train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
    torch.manual_seed(0)
    probe = torch.nn.Linear(train_x.size(1), int(train_y.max()) + 1)
    optimizer = torch.optim.LBFGS(probe.parameters(), max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(probe(train_x), train_y) + 1e-3 * probe.weight.pow(2).sum()
        loss.backward()
        return loss

    with torch.enable_grad():
        optimizer.step(closure)
    with torch.no_grad():
        return float((probe(test_x).argmax(-1) == test_y).float().mean())
