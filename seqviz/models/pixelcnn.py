"""PixelCNN (van den Oord et al. 2016): autoregression over the pixels of an image in raster order, each
pixel predicted from the pixels above it and to its left, behind a masked convolution.

The mask is the paradigm here too: `pixel_kernel_mask` zeroes the kernel's weights on the centre row right
of the centre and on every row below. The first layer is type A (it hides the centre pixel, which is the
one being predicted); the later ones are type B (their centre already holds only earlier pixels). The
layers are plain (ungated) residual ReLU blocks, so the stack has the known *blind spot*: some pixels above
and to the right are earlier in raster order but never reach the prediction (`receptive_field` shows it).
The digit to draw is added to every position after the first layer, which keeps the raster order intact.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .masks import pixel_kernel_mask
from .output import ModelOutput


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

    def __init__(self, channels: int = 64, n_layers: int = 6, n_classes: int = 10, first_kernel: int = 7):
        super().__init__()
        self.first = MaskedConv2d(1, channels, first_kernel, "A")
        self.label = nn.Embedding(n_classes, channels)  # the digit to draw, added everywhere
        self.layers = nn.ModuleList(MaskedConv2d(channels, channels, 3, "B") for _ in range(n_layers))
        self.out = nn.Conv2d(channels, 1, 1)  # 1×1: each position reads only itself

    def forward(self, images: torch.Tensor, labels: torch.Tensor, targets: torch.Tensor | None = None) -> ModelOutput:
        """images (B, H, W) of 0/1 (the pixels so far; later ones are ignored by the masks), labels (B,) the
        digits; targets (B, H, W) for the loss. -> logits (B, H, W) of each pixel being ink."""
        h = F.relu(self.first(images[:, None].float()) + self.label(labels)[:, :, None, None])  # (B, C, H, W)
        for layer in self.layers:
            h = h + F.relu(layer(h))  # (B, C, H, W)
        logits = self.out(h)[:, 0]  # (B, H, W)
        loss = None if targets is None else F.binary_cross_entropy_with_logits(logits, targets.float())
        return ModelOutput(logits, loss)


def receptive_field(model: PixelCNN, height: int, width: int, row: int, col: int) -> torch.Tensor:
    """Which input pixels can change the prediction at (row, col): the nonzero gradient of its logit with
    respect to the image, at a random image and label. -> (H, W) bool"""
    image = torch.rand(1, height, width, requires_grad=True)
    logits = model(image, torch.zeros(1, dtype=torch.long)).logits  # (1, H, W)
    (grad,) = torch.autograd.grad(logits[0, row, col], image)
    return grad[0] != 0
