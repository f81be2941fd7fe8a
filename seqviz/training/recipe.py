"""What a built-in model's recipe holds: everything `python -m seqviz.train --model NAME` needs to reproduce its
checkpoint from scratch with a fixed seed. The recipes themselves are in recipes.py (the toy language, images,
digits) and sequence_recipes.py (time series, speech, recall over distance, induction heads)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    architecture: type
    model: dict  # the architecture's config fields (ModelConfig's other than vocab_size, or ImageConfig's)
    steps: int
    batch_size: int
    lr: float
    seed: int
    data: dict = field(default_factory=dict)  # arguments of the data generator
    # language (English sentences), translation, nat, cmlm, ctc (toy English→French), digits-TASK, unilm,
    # permutation (XLNet), t5, retro, diffusion (masked diffusion LM), pixels (an image generator given the
    # digit), classify (the digit given the image), denoise (BART), vae (the sentence VAE and autoencoder),
    # speech (CTC on generated spectrograms)
    task: str = "language"
    teacher: str | None = None  # distillation: its translations replace the targets (translation), or its
    # next-token distributions do (a causal LM)
    objectives: dict = field(default_factory=dict)  # joint training (UniLM): the share of batches per mode
    retriever: str | None = None  # RETRO: the frozen built-in encoder whose states are the datastore's keys

    def to_dict(self) -> dict:
        d = asdict(self)
        d["architecture"] = self.architecture.__name__
        return d
