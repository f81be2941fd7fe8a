"""Device choice: CUDA, then Apple's MPS, then the CPU, unless the user picks one."""

from __future__ import annotations

import os

import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def available_devices() -> list[str]:
    found = ["cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        found.append("mps")
    return found


def pick_device(choice: str = "auto") -> torch.device:
    """'auto' takes the fastest device present; a named device that is absent raises ValueError."""
    present = available_devices()
    if choice == "auto":
        return torch.device("cuda" if "cuda" in present else "mps" if "mps" in present else "cpu")
    if choice not in present:
        raise ValueError(f"device {choice!r} is not available here; available: {', '.join(present)}")
    return torch.device(choice)


def synchronize(device: torch.device | str) -> None:
    """Wait for queued kernels, so a timer measures work done rather than work queued."""
    kind = torch.device(device).type
    if kind == "cuda":
        torch.cuda.synchronize()
    elif kind == "mps":
        torch.mps.synchronize()


def describe(device: torch.device | str) -> str:
    """A human-readable device name, e.g. 'CPU (2 threads)' or 'NVIDIA H100 (cuda)'."""
    device = torch.device(device)
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} (cuda)"
    if device.type == "mps":
        return "Apple GPU (mps)"
    threads = torch.get_num_threads()
    return f"CPU ({threads} thread{'s' if threads > 1 else ''})"


def serving_threads(cores: int | None = None, shared: bool = False) -> int:
    """Torch CPU threads for the app server. Every browser session runs its page in a thread of its own, and
    each of their torch calls uses this many cores: a class of concurrent sessions would oversubscribe the
    CPU with all of them. Half the cores, at least one; on a shared server (seqviz.shared) one, since many
    sessions share the cores and replicas scale across them. The SEQVIZ_THREADS environment variable
    overrides both."""
    override = os.environ.get("SEQVIZ_THREADS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    if shared:
        return 1
    return max(1, (cores or os.cpu_count() or 1) // 2)
