"""PixelCNN (van den Oord et al. 2016): autoregression over the pixels of an image in raster order, each
pixel predicted from the pixels above it and to its left, behind a masked convolution — beside its rival,
a model that predicts every pixel at once from the digit alone.

The mask is the paradigm here too: `pixel_kernel_mask` zeroes the kernel's weights on the centre row right
of the centre and on every row below. The first layer is type A (it hides the centre pixel, which is the
one being predicted); the later ones are type B (their centre already holds only earlier pixels). The
layers are plain (ungated) residual ReLU blocks, so the stack has the known *blind spot*: some pixels above
and to the right are earlier in raster order but never reach the prediction (`receptive_field` shows it).
The digit to draw is added to every position after the first layer, which keeps the raster order intact.

`OneShotPixels` reads only the digit and gives every pixel its own probability of ink in one pass. Its
pixels are independent given the digit, so sampling them mixes the many ways a digit is drawn (shifted,
slanted, thick, thin) pixel by pixel — the image version of the multimodality problem of parallel decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .layers import ConfigDict
from .masks import pixel_kernel_mask
from .output import ModelOutput


@dataclass(frozen=True)
class ImageConfig(ConfigDict):
    """The size of an image model: square binary images of `size` pixels a side, `n_classes` labels."""

    size: int = 16
    n_classes: int = 10
    channels: int = 64  # PixelCNN: feature maps per layer; the classifier: its first layer's
    n_layers: int = 6  # PixelCNN: type-B layers after the type-A one
    first_kernel: int = 7  # PixelCNN: the type-A kernel's side
    hidden: int = 256  # the one-shot model's and the classifier's hidden width


def pixel_loss(logits: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor | None:
    """Mean binary cross-entropy per pixel, in nats (÷ ln 2 for bits per pixel)."""
    return None if targets is None else F.binary_cross_entropy_with_logits(logits, targets.float())


class MaskedConv2d(nn.Conv2d):
    """A convolution whose kernel only reaches pixels that come before the centre in raster order."""

    def __init__(self, in_channels: int, out_channels: int, size: int, kind: str):
        super().__init__(in_channels, out_channels, size, padding=size // 2)
        self.kind = kind
        self.register_buffer("kernel_mask", pixel_kernel_mask(size, kind).float()[None, None])  # (1, 1, k, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.kernel_mask, self.bias, padding=self.padding)


class PixelCNN(nn.Module):
    paradigm = "autoregressive"
    config_class = ImageConfig

    def __init__(self, config: ImageConfig):
        super().__init__()
        self.config = config
        c = config.channels
        self.first = MaskedConv2d(1, c, config.first_kernel, "A")
        self.label = nn.Embedding(config.n_classes, c)  # the digit to draw, added everywhere
        self.layers = nn.ModuleList(MaskedConv2d(c, c, 3, "B") for _ in range(config.n_layers))
        self.out = nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, 1), nn.ReLU(), nn.Conv2d(c, 1, 1))  # 1×1: per pixel

    def forward(self, images: torch.Tensor, labels: torch.Tensor, targets: torch.Tensor | None = None) -> ModelOutput:
        """images (B, H, W) of 0/1 (the pixels so far; later ones are ignored by the masks), labels (B,) the
        digits; targets (B, H, W) for the loss. -> logits (B, H, W) of each pixel being ink."""
        h = F.relu(self.first(images[:, None].float()) + self.label(labels)[:, :, None, None])  # (B, C, H, W)
        for layer in self.layers:
            h = h + F.relu(layer(h))  # (B, C, H, W)
        logits = self.out(h)[:, 0]  # (B, H, W)
        return ModelOutput(logits, pixel_loss(logits, targets))


class OneShotPixels(nn.Module):
    """Every pixel's probability of ink from the digit alone, all at once: pixels independent given it."""

    paradigm = "non-autoregressive"
    config_class = ImageConfig

    def __init__(self, config: ImageConfig):
        super().__init__()
        self.config = config
        self.net = nn.Sequential(
            nn.Embedding(config.n_classes, config.hidden), nn.ReLU(), nn.Linear(config.hidden, config.size**2)
        )

    def forward(self, images: torch.Tensor, labels: torch.Tensor, targets: torch.Tensor | None = None) -> ModelOutput:
        """images (B, H, W) are ignored (the point of the rival), labels (B,). -> logits (B, H, W)."""
        logits = self.net(labels).view(-1, self.config.size, self.config.size)  # (B, H, W)
        return ModelOutput(logits, pixel_loss(logits, targets))


class GlyphClassifier(nn.Module):
    """A small CNN that says which digit an image shows: the judge of what the generators drew."""

    paradigm = "classifier"
    config_class = ImageConfig

    def __init__(self, config: ImageConfig):
        super().__init__()
        self.config = config
        c = config.channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, c, H/2, W/2)
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 2c, H/4, W/4)
        )  # fmt: skip
        flat = 2 * c * (config.size // 4) ** 2
        self.head = nn.Sequential(
            nn.Flatten(), nn.Linear(flat, config.hidden), nn.ReLU(), nn.Linear(config.hidden, config.n_classes)
        )

    def forward(self, images: torch.Tensor, targets: torch.Tensor | None = None) -> ModelOutput:
        """images (B, H, W), targets (B,) the true digits. -> logits (B, n_classes)."""
        logits = self.head(self.features(images[:, None].float()))  # (B, n_classes)
        return ModelOutput(logits, None if targets is None else F.cross_entropy(logits, targets))


def receptive_field(config: ImageConfig, row: int, col: int) -> torch.Tensor:
    """Which input pixels can reach the prediction at (row, col), from the masks alone (no weights): walk
    back through the 1×1 head, each type-B layer (with its residual path) and the type-A layer, each kernel
    adding the offsets its mask lets through. -> (H, W) bool"""
    reach = torch.zeros(config.size, config.size, dtype=torch.bool)
    reach[row, col] = True
    for kind, size, residual in [("B", 3, True)] * config.n_layers + [("A", config.first_kernel, False)]:
        kernel = pixel_kernel_mask(size, kind)  # (k, k): out[i, j] reads in[i + a - k//2, j + b - k//2]
        grown = reach.clone() if residual else torch.zeros_like(reach)
        centre = size // 2
        for a, b in kernel.nonzero().tolist():
            grown |= _shifted(reach, a - centre, b - centre)
        reach = grown
    return reach


def receptive_depth(config: ImageConfig) -> int:
    """How many rows above itself (and columns to either side) a pixel's prediction can reach: the type-A
    kernel's half-size, then one per type-B layer."""
    return config.first_kernel // 2 + config.n_layers


def _shifted(reach: torch.Tensor, down: int, right: int) -> torch.Tensor:
    """reach moved `down` rows and `right` columns, what falls off the image dropped. (H, W) bool"""
    out = torch.zeros_like(reach)
    h, w = reach.shape
    out[max(0, down) : h + min(0, down), max(0, right) : w + min(0, right)] = reach[
        max(0, -down) : h - max(0, down), max(0, -right) : w - max(0, right)
    ]
    return out
