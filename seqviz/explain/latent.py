"""Looking at a latent space of more than two dimensions: its principal plane."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Plane:
    mean: np.ndarray  # (Z,) the centre of the points the plane was fitted to
    axes: np.ndarray  # (2, Z) the two directions of largest variance, orthonormal
    explained: tuple[float, float]  # the share of the total variance along each axis

    def project(self, points: np.ndarray) -> np.ndarray:
        """Coordinates of points (N, Z) in the plane. -> (N, 2)"""
        return (np.asarray(points, dtype=np.float64) - self.mean) @ self.axes.T


def principal_plane(points: np.ndarray) -> Plane:
    """PCA by the SVD of the centred points (N, Z): the plane that keeps the most of their spread. The sign of
    each axis is fixed (its largest entry positive), so the same points always give the same picture."""
    x = np.asarray(points, dtype=np.float64)
    mean = x.mean(0)
    _, singular, vt = np.linalg.svd(x - mean, full_matrices=False)
    axes = vt[:2] * np.sign(vt[:2][np.arange(2), np.abs(vt[:2]).argmax(1)])[:, None]
    total = float((singular**2).sum()) or 1.0
    explained = tuple(float(s**2 / total) for s in singular[:2])
    return Plane(mean, axes, explained)
