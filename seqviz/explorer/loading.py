"""Any Hugging Face model's attention: load a local model folder (or a hub id, when the machine is online) with
eager attention, and return its attention maps as numpy arrays for seqviz's figures. On a shared server
(seqviz.shared) only the models of one folder are offered, by name, and nothing is downloaded.

`transformers` is an optional extra (requirements-hf.txt); this module imports it only inside its functions.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

MAX_TOKENS = 64  # attention maps of longer inputs stop being readable
HUB_HOST = "huggingface.co"
KINDS = ("encoder", "decoder", "encoder-decoder")
_DECODER_SUFFIXES = ("ForCausalLM", "LMHeadModel")


# transformers imports each architecture's modules on its first load: two loads at once can deadlock in
# those imports, so loads take turns (they are rare, and one at a time also bounds memory)
_LOADING = threading.Lock()


class ExplorerError(ValueError):
    """A model that cannot be explored, with a message meant for the user."""


class NotOffered(ExplorerError):
    """Shared-server mode: a name that is not one of the allowed folder's models (see resolve_allowed)."""


def transformers_available() -> bool:
    return importlib.util.find_spec("transformers") is not None


def prepare_transformers() -> None:
    """The server's start-up (seqviz.ui.startup): import transformers and the loaders the page uses, and set
    its console-only reporting, once, before any session; nothing when the extra is not installed."""
    if not transformers_available():
        return
    import transformers.models.auto.modeling_auto  # noqa: F401  (the architecture tables model_kind reads)
    from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer  # noqa: F401
    from transformers.utils import logging

    logging.set_verbosity_error()  # weight-loading reports and progress bars are for the console, not a page
    logging.disable_progress_bar()


def online(host: str = HUB_HOST, timeout: float = 2.0) -> bool:
    """Whether the hub answers at all (a download would otherwise hang or fail with a confusing error)."""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class ExploredModel:
    name: str
    kind: str  # "encoder", "decoder" or "encoder-decoder"
    model: torch.nn.Module
    tokenizer: object
    parameters: int
    model_type: str


def model_kind(config) -> str:
    """encoder (BERT-like), decoder (GPT-like) or encoder-decoder (T5/BART/Marian-like), from the config."""
    if getattr(config, "is_encoder_decoder", False):
        return "encoder-decoder"
    architectures = getattr(config, "architectures", None) or []
    if any(a.endswith(_DECODER_SUFFIXES) for a in architectures):
        return "decoder"
    if architectures:
        return "encoder"
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    causal = config.model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    return "decoder" if causal and config.model_type not in MODEL_FOR_MASKED_LM_MAPPING_NAMES else "encoder"


def load_model(source: str, device: str = "cpu") -> ExploredModel:
    """A local model folder, or a hub id (downloaded only when the machine is online), in eval mode with eager
    attention (the fused kernels do not return weights). Raises ExplorerError with a message for the user."""
    if not transformers_available():
        raise ExplorerError("transformers is not installed: pip install -r requirements-hf.txt")
    with _LOADING:
        prepare_transformers()
        return _load(source.strip(), device)


def _load(source: str, device: str) -> ExploredModel:
    from transformers import AutoConfig

    if not source:
        raise ExplorerError("enter a model folder or a hub id")
    shown = source if len(source) <= 80 else source[:79] + "…"
    try:
        local = Path(source).expanduser()
        exists, is_dir = local.exists(), local.is_dir()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte, ...
        raise ExplorerError(f"{shown} is not a folder name this machine can use") from None
    if exists and not is_dir:
        raise ExplorerError(f"{shown} is a file; give the folder that holds config.json")
    options = {"local_files_only": True}
    if not is_dir:
        try:  # a hub id already in the local cache works offline
            AutoConfig.from_pretrained(source, local_files_only=True)
        except Exception:
            if "/" not in source and not source.replace("-", "").replace("_", "").replace(".", "").isalnum():
                raise ExplorerError(f"{shown} is neither a folder on this machine nor a hub id") from None
            if not online():
                raise ExplorerError(
                    f"{shown} is not a folder on this machine, and downloading it from the Hugging "
                    f"Face hub needs internet: this machine is offline. Save the model to a folder "
                    f"on a machine with internet (save_pretrained) and give that folder here."
                ) from None
            options = {}
    else:
        source = str(local)
        if not (local / "config.json").exists():
            raise ExplorerError(f"{shown} has no config.json: not a Hugging Face model folder")
    return _from_pretrained(source, device, options, name=source, shown=shown)


def _from_pretrained(
    source: str, device: str, options: dict, name: str, shown: str, detail: bool = True
) -> ExploredModel:
    """Config, model and tokenizer from `source`, as an ExploredModel called `name`. A failure names the model
    as `shown`, with the library's own message when `detail` (which may hold the folder's path)."""
    from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        config = AutoConfig.from_pretrained(source, **options)
        kind = model_kind(config)
        loader = {"encoder": AutoModel, "decoder": AutoModelForCausalLM, "encoder-decoder": AutoModelForSeq2SeqLM}[kind]
        model = loader.from_pretrained(source, attn_implementation="eager", **options)
        tokenizer = AutoTokenizer.from_pretrained(source, **options)
    except ExplorerError:
        raise
    except Exception as error:  # missing weights or tokenizer, an unknown architecture, a download failure
        reason = f"{type(error).__name__}: {str(error)[:300]}" if detail else type(error).__name__
        raise ExplorerError(f"could not load {shown}: {reason}") from error
    model = model.to(device).eval()
    return ExploredModel(name, kind, model, tokenizer, sum(p.numel() for p in model.parameters()), config.model_type)


# ---- shared-server mode: models of one folder, chosen by name --------------------------------------

# One message for every name that is not offered, whatever the reason: it never tells a student whether
# some path exists on the server.
NOT_OFFERED = "no model of that name is offered here"


def resolve_allowed(name: str, folder: Path | str) -> Path:
    """The model folder `name` stands for: a sub-folder of `folder` that holds config.json, after following
    links, directly inside `folder`. Anything else (a path, "..", a hidden name, a link out of the folder, a
    missing name) raises NotOffered, always with the message NOT_OFFERED."""
    if not isinstance(name, str) or not name or name.startswith(".") or any(c in name for c in "/\\\0:"):
        raise NotOffered(NOT_OFFERED)
    try:
        root = Path(folder).resolve(strict=True)
        found = (root / name).resolve(strict=True)
        offered = found.parent == root and (found / "config.json").is_file()
    except (OSError, RuntimeError, ValueError):  # missing, a link loop, a name the file system refuses
        offered = False
    if not offered:
        raise NotOffered(NOT_OFFERED)
    return found


def allowed_models(folder: Path | str | None) -> list[str]:
    """The names resolve_allowed accepts in `folder`, sorted; none when there is no such folder."""
    try:
        entries = sorted(entry.name for entry in Path(folder).iterdir()) if folder else []
    except OSError:
        return []
    names = []
    for name in entries:
        try:
            resolve_allowed(name, folder)
        except NotOffered:
            continue
        names.append(name)
    return names


def load_allowed(name: str, folder: Path | str, device: str = "cpu") -> ExploredModel:
    """A model of the allowed folder by name, from its files only: the hub is never asked. The model is
    named by `name`, and errors name nothing else (no server path reaches the page)."""
    if not transformers_available():
        raise ExplorerError("transformers is not installed: pip install -r requirements-hf.txt")
    path = resolve_allowed(name, folder)
    with _LOADING:
        prepare_transformers()
        return _from_pretrained(str(path), device, {"local_files_only": True}, name, name, detail=False)


def _tokens(explored: ExploredModel, ids: torch.Tensor) -> list[str]:
    return [str(t) for t in explored.tokenizer.convert_ids_to_tokens(ids.tolist())]


def _encode(explored: ExploredModel, text: str) -> dict:
    if not text.strip():
        raise ExplorerError("enter a sentence")
    encoded = explored.tokenizer(text, return_tensors="pt", truncation=True, max_length=MAX_TOKENS)
    device = next(explored.model.parameters()).device
    return {k: v.to(device) for k, v in encoded.items() if k in ("input_ids", "attention_mask")}


def _stack(attentions) -> np.ndarray:
    """Per layer (1, H, Tq, Tk) -> (L, H, Tq, Tk)."""
    if not attentions or any(a is None for a in attentions):
        raise ExplorerError(
            "the model returned no attention weights (its attention implementation may not support them)"
        )
    return torch.stack([a[0] for a in attentions]).float().cpu().numpy()


@dataclass
class AttentionMaps:
    tokens: list[str]  # the input's tokens (the encoder's, for an encoder-decoder)
    self_attention: np.ndarray  # (L, H, T, T): the encoder's or the decoder-only model's
    target_tokens: list[str] | None = None  # encoder-decoder: the decoder's input tokens (its own greedy output)
    decoder_attention: np.ndarray | None = None  # (L, H, Tt, Tt)
    cross_attention: np.ndarray | None = None  # (L, H, Tt, S): decoder position over the source
    truncated: bool = False


@torch.no_grad()
def attention_maps(explored: ExploredModel, text: str, max_new_tokens: int = 24) -> AttentionMaps:
    """Every attention of one forward pass over `text`; an encoder-decoder first writes its greedy output,
    then one pass with that output as the decoder input shows decoder and cross-attention."""
    inputs = _encode(explored, text)
    ids = inputs["input_ids"][0]
    truncated = len(ids) >= MAX_TOKENS and len(explored.tokenizer(text)["input_ids"]) > MAX_TOKENS
    if explored.kind != "encoder-decoder":
        out = explored.model(**inputs, output_attentions=True)
        return AttentionMaps(_tokens(explored, ids), _stack(out.attentions), truncated=truncated)
    generated = explored.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
    out = explored.model(**inputs, decoder_input_ids=generated, output_attentions=True)
    return AttentionMaps(
        _tokens(explored, ids),
        _stack(out.encoder_attentions),
        _tokens(explored, generated[0]),
        _stack(out.decoder_attentions),
        _stack(out.cross_attentions),
        truncated,
    )


@dataclass
class NextToken:
    tokens: list[str]  # the text so far, as tokens
    top_tokens: list[str]  # the k most probable next tokens
    top_probs: list[float]
    last_row: np.ndarray  # (T,) what the last position attended to (last layer, mean over heads)


@torch.no_grad()
def next_token(explored: ExploredModel, ids: list[int], k: int = 10) -> NextToken:
    """A decoder-only model's next-token distribution after `ids`, and its last position's attention."""
    if explored.kind != "decoder":
        raise ExplorerError("step-by-step generation needs a decoder-only (causal) language model")
    device = next(explored.model.parameters()).device
    tensor = torch.tensor([ids], device=device)
    out = explored.model(input_ids=tensor, attention_mask=torch.ones_like(tensor), output_attentions=True)
    probs = out.logits[0, -1].float().softmax(-1)  # (V,)
    top = probs.topk(min(k, probs.numel()))
    last = out.attentions[-1][0, :, -1].float().mean(0).cpu().numpy()  # (T,)
    return NextToken(_tokens(explored, tensor[0]), _tokens(explored, top.indices), top.values.tolist(), last)


def prompt_ids(explored: ExploredModel, text: str) -> list[int]:
    return _encode(explored, text)["input_ids"][0].tolist()
