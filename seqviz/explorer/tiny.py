"""Tiny random Hugging Face models, saved as a user saves theirs: the Explorer page works offline without a
model at hand. `python -m seqviz.explorer --tiny DIR` saves one BERT, GPT-2 and T5 into DIR. Their attention
is random: for trying the page, not for teaching."""

from __future__ import annotations

from pathlib import Path

import torch

from .loading import transformers_available

TINY_KINDS = ("bert", "gpt2", "t5")
TINY_WORDS = "the a cat cats dog dogs sees see sleeps sleep small black le la chat chien voit dort petit noir".split()
TINY_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "</s>", "<s>"]


def _tokenizer(template: str | None):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(TINY_SPECIALS + TINY_WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    if template:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=template, special_tokens=[(t, vocab[t]) for t in TINY_SPECIALS if t in template]
        )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        eos_token="</s>",
        bos_token="<s>",
    )


def save_tiny_model(kind: str, folder: Path) -> Path:
    """A tiny randomly initialised model with a word-level tokenizer, saved as a user would save theirs.
    kind: "bert", "gpt2" or "t5"; returns the folder. Its attention is random: for trying the page, not for teaching."""
    from transformers import (
        BertConfig,
        BertForMaskedLM,
        GPT2Config,
        GPT2LMHeadModel,
        T5Config,
        T5ForConditionalGeneration,
    )

    torch.manual_seed(0)
    size = len(TINY_SPECIALS) + len(TINY_WORDS)
    if kind == "bert":
        model = BertForMaskedLM(
            BertConfig(
                vocab_size=size,
                hidden_size=32,
                num_hidden_layers=2,
                num_attention_heads=2,
                intermediate_size=64,
                max_position_embeddings=80,
                pad_token_id=0,
            )
        )
        tokenizer = _tokenizer("[CLS] $A [SEP]")
    elif kind == "gpt2":
        model = GPT2LMHeadModel(
            GPT2Config(
                vocab_size=size,
                n_positions=80,
                n_embd=32,
                n_layer=2,
                n_head=2,
                bos_token_id=6,
                eos_token_id=5,
                pad_token_id=0,
            )
        )
        tokenizer = _tokenizer(None)
    elif kind == "t5":
        model = T5ForConditionalGeneration(
            T5Config(
                vocab_size=size,
                d_model=32,
                d_ff=64,
                d_kv=16,
                num_layers=2,
                num_heads=2,
                pad_token_id=0,
                eos_token_id=5,
                decoder_start_token_id=0,
            )
        )
        tokenizer = _tokenizer("$A </s>")
    else:
        raise ValueError(kind)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m seqviz.explorer",
        description="Save tiny random Hugging Face models to try the explorer page offline.",
    )
    parser.add_argument("--tiny", required=True, type=Path, help="folder to create bert/, gpt2/ and t5/ in")
    args = parser.parse_args(argv)
    if not transformers_available():
        print("seqviz.explorer: transformers is not installed: pip install -r requirements-hf.txt")
        return 2
    for kind in TINY_KINDS:
        print(save_tiny_model(kind, args.tiny / kind))
    return 0
