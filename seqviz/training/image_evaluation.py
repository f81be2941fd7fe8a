"""How the image models are measured on held-out glyphs: the classifier's accuracy, each generator's
negative log-likelihood in bits per pixel, how often the classifier recognises what a generator drew as
the digit it was asked for, and how often a drawing is one connected stroke like every glyph of the font
(a classifier can name a digit through speckle; the stroke test cannot be fooled by it)."""

from __future__ import annotations

import math
import time

import torch

from ..data.glyphs import DIGITS, ink_pieces
from ..decoding.pixels import sample_images
from ..models.checkpoint import load_builtin

JUDGE = "glyph_classifier"  # the built-in classifier that checks generated digits
SAMPLES_PER_DIGIT = 30  # 300 samples per generator


@torch.no_grad()
def classify(classifier, images: torch.Tensor, batch: int = 1000) -> torch.Tensor:
    """The classifier's digit for each image. images (N, H, W) -> (N,)"""
    return torch.cat([classifier(part).logits.argmax(-1) for part in images.split(batch)])


@torch.no_grad()
def bits_per_pixel(model, images: torch.Tensor, labels: torch.Tensor, batch: int = 500) -> float:
    """The mean negative log-likelihood of the images given their digits, in bits per pixel."""
    total = sum(
        model(part, part_labels, targets=part).loss.item() * len(part)
        for part, part_labels in zip(images.split(batch), labels.split(batch), strict=True)
    )
    return total / len(images) / math.log(2)


def requested_digits(per_digit: int) -> torch.Tensor:
    """Each digit per_digit times, in turn. -> (10 · per_digit,)"""
    return torch.tensor(DIGITS).repeat(per_digit)


def recognised(classifier, images: torch.Tensor, labels: torch.Tensor) -> dict:
    """How often the classifier names the requested digit: overall and per digit."""
    hits = classify(classifier, images) == labels
    return {
        "recognised": round(hits.float().mean().item(), 4),
        "recognised_by_digit": {str(d): round(hits[labels == d].float().mean().item(), 3) for d in DIGITS},
    }


def sampled_recognition(model, per_digit: int = SAMPLES_PER_DIGIT, seed: int = 0) -> float:
    """The share of seeded samples (per_digit of each digit) the built-in classifier names as asked."""
    requested = requested_digits(per_digit)
    images = sample_images(model, requested, seed=seed).images
    return recognised(load_builtin(JUDGE).model, images, requested)["recognised"]


def evaluate_generator(model, splits: dict, per_digit: int = SAMPLES_PER_DIGIT) -> dict:
    """Bits per pixel on the test glyphs; the classifier's recognition of sampled (seeded, T = 1) and of
    most-likely (greedy) images; the share of samples that copy a training image."""
    images, labels = splits["test"]
    classifier = load_builtin(JUDGE).model
    requested = requested_digits(per_digit)
    start = time.perf_counter()
    drawing = sample_images(model, requested, seed=0)
    seconds = time.perf_counter() - start
    greedy = sample_images(model, requested, greedy=True)
    return {
        "bits_per_pixel": round(bits_per_pixel(model, images, labels), 4),
        **recognised(classifier, drawing.images, requested),
        "recognised_greedy": recognised(classifier, greedy.images, requested)["recognised"],
        "samples": len(requested),
        "one_piece": one_piece_share(drawing.images),
        "one_piece_test": one_piece_share(images[:1000]),
        "copies_of_training_images": copied_share(drawing.images, splits["train"][0]),
        "ink_share_samples": round(drawing.images.float().mean().item(), 4),
        "ink_share_test": round(images.float().mean().item(), 4),
        "forward_passes_per_image": drawing.passes,
        "ms_per_image_in_a_batch": round(1000 * seconds / len(requested), 3),
        "test_images": len(labels),
    }


def one_piece_share(images: torch.Tensor) -> float:
    """The share of images whose ink is one connected piece, as every glyph of the font is."""
    return round(sum(ink_pieces(image.numpy()) == 1 for image in images) / len(images), 4)


def copied_share(samples: torch.Tensor, train_images: torch.Tensor) -> float:
    """The share of samples identical to some training image (a generator that memorised would copy)."""
    seen = {bytes(image.to(torch.uint8).flatten().tolist()) for image in train_images}
    return round(sum(bytes(s.to(torch.uint8).flatten().tolist()) in seen for s in samples) / len(samples), 4)


def evaluate_classifier(model, splits: dict) -> dict:
    images, labels = splits["test"]
    named = classify(model, images)
    return {"accuracy": round((named == labels).float().mean().item(), 4), "test_images": len(labels)}
