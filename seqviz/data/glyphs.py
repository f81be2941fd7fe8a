"""Images made by the package, never downloaded: 16×16 binary digit glyphs 0–9 drawn from a seeded stroke
font, each with its own shift, size, thickness and slant — small enough for a PixelCNN to learn on a laptop
CPU, varied enough that a model must learn shapes rather than copy ten pictures, and known by their label
so a classifier can check what a generator drew.

A glyph is a few polylines in the unit square (x to the right, y down). Drawing one pixel means asking
whether its centre lies within the stroke's half-thickness of a segment, after the glyph is slanted,
scaled and shifted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .vocab import Vocab

SIZE = 16  # pixels per side
DIGITS = tuple(range(10))


def _loop(cx: float, cy: float, rx: float, ry: float, points: int = 14) -> list[tuple[float, float]]:
    """A closed ellipse as a polyline."""
    angles = np.linspace(0, 2 * np.pi, points + 1)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


# each digit: its strokes, each a polyline of (x, y) points in the unit square
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    0: [_loop(0.5, 0.5, 0.28, 0.4)],
    1: [[(0.35, 0.25), (0.52, 0.1), (0.52, 0.9)]],
    2: [[(0.25, 0.3), (0.35, 0.12), (0.65, 0.12), (0.75, 0.3), (0.25, 0.9), (0.78, 0.9)]],
    3: [[(0.25, 0.12), (0.75, 0.12), (0.45, 0.45), (0.75, 0.65), (0.62, 0.9), (0.25, 0.86)]],
    4: [[(0.65, 0.9), (0.65, 0.1), (0.2, 0.65), (0.8, 0.65)]],
    5: [[(0.75, 0.1), (0.3, 0.1), (0.27, 0.45), (0.65, 0.45), (0.76, 0.7), (0.6, 0.9), (0.25, 0.88)]],
    6: [[(0.7, 0.12), (0.35, 0.35), (0.27, 0.7), (0.45, 0.9), (0.7, 0.8), (0.7, 0.58), (0.45, 0.5), (0.28, 0.62)]],
    7: [[(0.22, 0.1), (0.78, 0.1), (0.42, 0.9)]],
    8: [_loop(0.5, 0.29, 0.2, 0.18), _loop(0.5, 0.7, 0.25, 0.2)],
    9: [[(0.3, 0.88), (0.65, 0.65), (0.73, 0.3), (0.55, 0.1), (0.3, 0.2), (0.3, 0.42), (0.55, 0.5), (0.72, 0.38)]],
}


@dataclass(frozen=True)
class Style:
    """How one glyph is drawn: shift in pixels, scale of the unit square, stroke thickness as a share of the
    image, and slant (x moves by slant × height above the centre)."""

    dx: float = 0.0
    dy: float = 0.0
    scale: float = 0.9
    thickness: float = 0.09
    slant: float = 0.0


def _segment_distance(px: np.ndarray, py: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The distance of each point (px, py) to the segment a–b."""
    ab = b - a
    t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / max(float(ab @ ab), 1e-12), 0.0, 1.0)
    return np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))


def draw(digit: int, style: Style = Style(), size: int = SIZE) -> np.ndarray:
    """One glyph as a (size, size) uint8 image of 0 (background) and 1 (ink)."""
    if digit not in STROKES:
        raise ValueError(f"digit must be one of 0–9, got {digit!r}")
    centres = (np.arange(size) + 0.5) / size
    px, py = np.meshgrid(centres, centres)  # (size, size) each, in the unit square
    ink = np.zeros((size, size), dtype=bool)
    for stroke in STROKES[digit]:
        points = np.array(stroke, dtype=float)  # (P, 2)
        points = (points - 0.5) * style.scale + 0.5
        points[:, 0] -= style.slant * (points[:, 1] - 0.5)  # lean right when slant > 0
        points += np.array([style.dx, style.dy]) / size
        for a, b in zip(points[:-1], points[1:], strict=True):
            ink |= _segment_distance(px, py, a, b) <= style.thickness / 2
    return ink.astype(np.uint8)


def random_style(rng: np.random.Generator) -> Style:
    return Style(
        dx=float(rng.uniform(-1.5, 1.5)),
        dy=float(rng.uniform(-1.5, 1.5)),
        scale=float(rng.uniform(0.78, 0.95)),
        thickness=float(rng.uniform(0.07, 0.12)),
        slant=float(rng.uniform(-0.3, 0.3)),
    )


def glyph_dataset(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n glyphs, the digits in equal turns, each in its own random style (seeded). -> images (n, SIZE, SIZE)
    uint8, labels (n,) int64."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % len(DIGITS)
    rng.shuffle(labels)
    images = np.stack([draw(int(d), random_style(rng)) for d in labels]) if n else np.zeros((0, SIZE, SIZE), np.uint8)
    return images, labels.astype(np.int64)


def glyph_labels() -> Vocab:
    """The image models' labels as a vocabulary without specials: id d is the digit d."""
    return Vocab([str(d) for d in DIGITS], specials=())


def ink_pieces(image: np.ndarray) -> int:
    """How many separate pieces the ink makes (8-connected: pixels touching at a side or a corner). Every
    glyph the font draws is one piece; ink sprinkled pixel by pixel is many."""
    ink = np.asarray(image).astype(bool)
    seen = np.zeros_like(ink)
    pieces = 0
    for start in zip(*np.nonzero(ink), strict=True):
        if seen[start]:
            continue
        pieces += 1
        seen[start] = True
        stack = [start]
        while stack:
            row, col = stack.pop()
            for r in range(max(0, row - 1), min(ink.shape[0], row + 2)):
                for c in range(max(0, col - 1), min(ink.shape[1], col + 2)):
                    if ink[r, c] and not seen[r, c]:
                        seen[r, c] = True
                        stack.append((r, c))
    return pieces
