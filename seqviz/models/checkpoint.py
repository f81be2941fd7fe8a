"""Checkpoints: weights in safetensors (no pickle, so loading never runs code), config, vocabulary and
the metrics the model reached, as JSON beside them.

    NAME/
      model.safetensors   weights, stored in float16 to stay small
      config.json         {"architecture": ..., "model": its config (ModelConfig, or ImageConfig for the
                          image models), "vocab": Vocab, "recipe": {...}}
      metrics.json        what the model measured on held-out data when it was trained
      snapshots/          only some models: the weights at a few steps along training, step_NNNNN.safetensors
                          (float16; the same config), e.g. before, during and after induction heads formed
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from ..data.chars import CharVocab
from ..data.vocab import Vocab
from .autoencoding import MaskedLM
from .autoregressive import CausalLM
from .bart import BART
from .diffusion import MaskedDiffusionLM
from .electra import ELECTRA
from .forecasting import DirectForecaster, RecursiveForecaster
from .layers import ModelConfig
from .nonautoregressive import CTCTransformer, NARTransformer
from .pixelcnn import GlyphClassifier, OneShotPixels, PixelCNN
from .recurrent import GRULM, LSTMLM, TanhRNNLM
from .retro import RetroLM
from .seq2seq import BahdanauSeq2Seq, RNNSeq2Seq, TransformerSeq2Seq
from .speech import SpeechCTC
from .unilm import UniLM
from .vae import SentenceVAE
from .xlnet import PermutationLM

ARCHITECTURES: dict[str, type[nn.Module]] = {
    cls.__name__: cls
    for cls in (
        MaskedLM,
        ELECTRA,
        CausalLM,
        GRULM,
        LSTMLM,
        TanhRNNLM,
        TransformerSeq2Seq,
        BART,
        RNNSeq2Seq,
        BahdanauSeq2Seq,
        NARTransformer,
        CTCTransformer,
        UniLM,
        PermutationLM,
        RetroLM,
        MaskedDiffusionLM,
        PixelCNN,
        OneShotPixels,
        GlyphClassifier,
        SentenceVAE,
        RecursiveForecaster,
        DirectForecaster,
        SpeechCTC,
    )
}
VOCABULARIES: dict[str, type[Vocab]] = {"word": Vocab, "char": CharVocab}
WEIGHTS, CONFIG, METRICS, SNAPSHOTS = "model.safetensors", "config.json", "metrics.json", "snapshots"


@dataclass
class Checkpoint:
    model: nn.Module
    vocab: Vocab
    metrics: dict = field(default_factory=dict)
    recipe: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)  # {step: state_dict} along training, saved under snapshots/


def save_checkpoint(directory: str | Path, ckpt: Checkpoint, half: bool = True) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    dtype = torch.float16 if half else torch.float32
    state = {k: v.detach().to("cpu", dtype).contiguous() for k, v in ckpt.model.state_dict().items()}
    save_file(state, str(directory / WEIGHTS))
    if ckpt.snapshots:
        (directory / SNAPSHOTS).mkdir(exist_ok=True)
        for old in (directory / SNAPSHOTS).glob("step_*.safetensors"):  # a retrained model's steps differ
            old.unlink()
        for step, weights in ckpt.snapshots.items():
            state = {k: v.detach().to("cpu", dtype).contiguous() for k, v in weights.items()}
            save_file(state, str(directory / SNAPSHOTS / f"step_{int(step):05d}.safetensors"))
    config = {
        "architecture": type(ckpt.model).__name__,
        "model": ckpt.model.config.to_dict(),
        "vocab": ckpt.vocab.to_dict(),
        "recipe": ckpt.recipe,
    }
    (directory / CONFIG).write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / METRICS).write_text(json.dumps(ckpt.metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return directory


def load_checkpoint(directory: str | Path, device: torch.device | str = "cpu") -> Checkpoint:
    """Rebuild the model from its config and load the weights strictly, in float32, in eval mode."""
    directory = Path(directory)
    config = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    architecture = ARCHITECTURES.get(config.get("architecture"))
    if architecture is None:
        raise ValueError(f"unknown architecture {config.get('architecture')!r}; known: {sorted(ARCHITECTURES)}")
    model = architecture(getattr(architecture, "config_class", ModelConfig).from_dict(config["model"]))
    state = {k: v.float() for k, v in load_file(str(directory / WEIGHTS)).items()}
    model.load_state_dict(state, strict=True)
    metrics_path = directory / METRICS
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
    model.to(device).eval()
    vocab_kind = config["vocab"].get("kind", "word")
    if vocab_kind not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary kind {vocab_kind!r}")
    return Checkpoint(model, VOCABULARIES[vocab_kind].from_dict(config["vocab"]), metrics, config.get("recipe", {}))


# the shipped checkpoints: package data, one folder per built-in model (seqviz.training.builtin rebuilds them)
CHECKPOINTS = Path(__file__).resolve().parents[1] / "checkpoints"


def checkpoint_dir(name: str) -> Path:
    return CHECKPOINTS / name


def builtin_names() -> list[str]:
    """The built-in models shipped with the package."""
    return sorted(d.name for d in CHECKPOINTS.iterdir() if (d / WEIGHTS).exists())


def snapshot_steps(directory: str | Path) -> list[int]:
    """The training steps whose weights a checkpoint keeps under snapshots/ (none for most models)."""
    return sorted(int(p.stem.removeprefix("step_")) for p in (Path(directory) / SNAPSHOTS).glob("step_*.safetensors"))


def load_snapshot(directory: str | Path, step: int, device: torch.device | str = "cpu") -> nn.Module:
    """The checkpoint's model with the weights it had at `step` of training (snapshots/), float32, eval mode."""
    directory = Path(directory)
    path = directory / SNAPSHOTS / f"step_{int(step):05d}.safetensors"
    if not path.exists():
        raise FileNotFoundError(f"no snapshot at step {step} in {directory} (kept: {snapshot_steps(directory)})")
    config = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    architecture = ARCHITECTURES[config["architecture"]]
    model = architecture(getattr(architecture, "config_class", ModelConfig).from_dict(config["model"]))
    model.load_state_dict({k: v.float() for k, v in load_file(str(path)).items()}, strict=True)
    return model.to(device).eval()


def load_builtin(name: str, device: str = "cpu") -> Checkpoint:
    """A shipped checkpoint by name; FileNotFoundError (saying how to rebuild it) when it is not there."""
    if not name.isidentifier() or not (checkpoint_dir(name) / WEIGHTS).exists():
        raise FileNotFoundError(
            f"checkpoint {name!r} is missing; run: python -m seqviz.train --model {name} "
            f"(shipped: {', '.join(builtin_names())})"
        )
    return load_checkpoint(checkpoint_dir(name), device)
