"""Character language models trained live on text a user pastes or uploads (Chinese included): a small
Transformer and a GRU of similar size, trained for a time budget, sampled, saved and loaded back.

A saved model is a zip of the checkpoint files (weights in safetensors, which never runs code on load).
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import torch

from ..data.chars import CharVocab, clean_user_text
from ..decoding.autoregressive import generate, sampling_processors
from ..messages import UserError
from ..models.autoregressive import CausalLM
from ..models.checkpoint import CONFIG, METRICS, WEIGHTS, Checkpoint, load_checkpoint, save_checkpoint
from ..models.layers import ModelConfig
from ..models.recurrent import GRULM
from .loop import Progress, train_loop

WINDOW = 64  # characters of context per training example
KINDS = {
    "transformer": (CausalLM, dict(d_model=96, n_heads=4, n_layers=3, d_ff=384, max_len=WINDOW + 1, dropout=0.1)),
    "gru": (GRULM, dict(d_model=160, n_layers=2, max_len=100_000, dropout=0.1)),  # a GRU has no window
}
MAX_MODEL_BYTES = 5 * 1024 * 1024  # a saved character model is about 1.4 MB; uploads are capped at 5 MB too


def char_batches(ids: torch.Tensor, batch_size: int) -> Callable[[torch.Generator], dict]:
    """Random windows of WINDOW + 1 characters from the encoded text ids (N,)."""

    def next_batch(generator: torch.Generator) -> dict:
        starts = torch.randint(len(ids) - WINDOW - 1, (batch_size,), generator=generator)
        batch = torch.stack([ids[s : s + WINDOW + 1] for s in starts.tolist()])  # (B, WINDOW + 1)
        return {"ids": batch, "labels": batch}

    return next_batch


def train_char_model(
    text: str,
    kind: str,
    seconds: float = 60.0,
    max_steps: int = 100_000,
    seed: int = 0,
    batch_size: int = 32,
    callback: Callable[[Progress], object] | None = None,
) -> Checkpoint:
    """Train a fresh character model of `kind` on `text` until `seconds` have passed (or max_steps).
    Raises ValueError with a readable message if the text is unusable."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
    text, _ = clean_user_text(text)
    if len(text) < 4 * (WINDOW + 1):
        raise UserError("msg_text_too_short", need=4 * (WINDOW + 1), have=len(text))
    vocab = CharVocab.from_text(text)
    ids = torch.tensor(vocab.encode(text))
    architecture, size = KINDS[kind]
    torch.manual_seed(seed)
    model = architecture(ModelConfig(vocab_size=len(vocab), pad_id=vocab.pad_id, **size))
    deadline = time.perf_counter() + seconds

    def on_step(progress: Progress):
        keep_going = callback(progress) if callback else None
        return keep_going is not False and time.perf_counter() < deadline

    start = time.perf_counter()
    losses = train_loop(
        model, char_batches(ids, batch_size), max_steps, lr=3e-3, seed=seed, callback=on_step, warmup=50
    )
    metrics = {
        "kind": kind,
        "steps": len(losses),
        "train_seconds": round(time.perf_counter() - start, 1),
        "final_loss": round(sum(losses[-20:]) / len(losses[-20:]), 4),
        "losses": [round(x, 4) for x in losses],
        "text_chars": len(text),
        "vocab_size": len(vocab),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return Checkpoint(model, vocab, metrics, {"name": f"char_{kind}", "window": WINDOW})


def sample(ckpt: Checkpoint, prompt: str, length: int, temperature: float = 0.8, seed: int = 0) -> str:
    """Continue `prompt` by `length` characters (from <bos> when the prompt is empty). A Transformer sees
    only its last WINDOW characters: the window slides along as the text grows."""
    vocab, model = ckpt.vocab, ckpt.model
    prompt_ids = [vocab.bos_id, *vocab.encode(prompt)][-(model.config.max_len - 1) :]
    out = generate(
        model,
        torch.tensor(prompt_ids),
        length,
        processors=sampling_processors(temperature),
        greedy=False,
        generator=torch.Generator().manual_seed(seed),
        slide=True,
    )
    return vocab.decode(out[len(prompt_ids) :].tolist())


ATTENTION_CHARS = 512  # the attention view covers at most the last this many characters


@torch.no_grad()
def window_attention(ckpt: Checkpoint, text: str, layer: int = -1) -> tuple[list[str], torch.Tensor]:
    """What the Transformer attends to along a long text, as it reads with its sliding window: row t is
    character t's attention (head mean of `layer`) over the characters it sees, the WINDOW + 1 before it
    and itself, so nothing outside that band. Returns the last ATTENTION_CHARS characters and (T, T)."""
    model, vocab = ckpt.model.eval(), ckpt.vocab
    if not isinstance(model, CausalLM):
        raise ValueError("only the Transformer has attention; the GRU keeps its past in one state vector")
    chars = text[-ATTENTION_CHARS:]
    ids = torch.tensor(vocab.encode(chars), device=next(model.parameters()).device)  # (T,)
    span, n = model.config.max_len, len(chars)

    def heads_mean(batch: torch.Tensor) -> torch.Tensor:
        return model(batch, need_weights=True).self_attention[layer].mean(1)  # (B, T', T')

    weights = torch.zeros(n, n)
    head = ids[:span]
    weights[: len(head), : len(head)] = heads_mean(head[None])[0].cpu()  # the first rows: a growing prefix
    if n > span:
        windows = ids.unfold(0, span, 1)[1:]  # (n - span, span): the window ending at each later character
        rows = torch.arange(span, n)[:, None]  # (n - span, 1)
        weights[rows, rows - span + 1 + torch.arange(span)] = heads_mean(windows)[
            :, -1
        ].cpu()  # last rows (n - span, span)
    return list(chars), weights


def to_bytes(ckpt: Checkpoint) -> bytes:
    """The checkpoint as a zip (safetensors weights + JSON), for a download button."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        save_checkpoint(tmp, ckpt, half=False)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in (WEIGHTS, CONFIG, METRICS):
                archive.write(Path(tmp) / name, name)
    return buffer.getvalue()


def from_bytes(data: bytes, expected_kind: str = "char") -> Checkpoint:
    """Load a zip made by to_bytes. Anything else — not a zip, other files, a pickle, too large, a model of
    another page — is refused with a ValueError saying why; nothing in it is ever executed."""
    if len(data) > MAX_MODEL_BYTES:
        raise UserError("msg_file_too_large", mb=MAX_MODEL_BYTES // (1024 * 1024))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UserError("msg_not_model_file") from error
    with archive, tempfile.TemporaryDirectory() as tmp:
        names = set(archive.namelist())
        if names != {WEIGHTS, CONFIG, METRICS}:
            raise UserError("msg_model_file_parts", files=", ".join((WEIGHTS, CONFIG, METRICS)))
        if sum(info.file_size for info in archive.infolist()) > 4 * MAX_MODEL_BYTES:
            raise UserError("msg_unpacks_too_large")
        for name in names:
            (Path(tmp) / name).write_bytes(archive.read(name))
        try:
            ckpt = load_checkpoint(tmp)
        except Exception as error:  # a damaged or foreign file: say so, never a traceback
            raise UserError("msg_model_unloadable", error=error) from error
    if getattr(ckpt.vocab, "kind", None) != expected_kind:
        raise UserError("msg_other_page_model", kind=ckpt.vocab.kind, expected=expected_kind)
    return ckpt
