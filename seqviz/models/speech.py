"""A small speech recogniser trained with CTC (Graves et al. 2006): frames of a spectrogram in, per frame a
distribution over <blank> and the symbols out.

Two 1-D convolutions over time read a few neighbouring frames (an onset and the frames after it), a
bidirectional GRU reads the whole utterance both ways (is this silence between two words, or at the end?),
and a linear head gives each frame's log-probabilities. Nothing tells the model where a letter starts or
ends: the loss is CTC's, the probability of the target summed over every frame-level path that collapses to
it (merge repeats, drop blanks), which `torch.nn.CTCLoss` computes by the forward algorithm. The same loss
trains the Parallel page's CTCTransformer on text; here it is used for the job it was invented for.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .layers import ConfigDict
from .output import ModelOutput


@dataclass(frozen=True)
class SpeechConfig(ConfigDict):
    """The size of a speech CTC model: `n_bins` spectrogram bins in, `vocab_size` outputs (blank included)."""

    vocab_size: int
    n_bins: int = 24
    channels: int = 96  # the convolutions' feature maps
    kernel: int = 5  # frames each convolution reads (odd)
    hidden: int = 128  # the GRU's width per direction
    n_layers: int = 1  # GRU layers
    dropout: float = 0.1
    blank_id: int = 0


class SpeechCTC(nn.Module):
    paradigm = "ctc"
    config_class = SpeechConfig

    def __init__(self, config: SpeechConfig):
        super().__init__()
        self.config = config
        c, pad = config.channels, config.kernel // 2
        self.conv = nn.Sequential(
            nn.Conv1d(config.n_bins, c, config.kernel, padding=pad), nn.ReLU(),
            nn.Conv1d(c, c, config.kernel, padding=pad), nn.ReLU(),
        )  # fmt: skip
        self.dropout = nn.Dropout(config.dropout)
        self.rnn = nn.GRU(c, config.hidden, config.n_layers, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * config.hidden, config.vocab_size)
        self.ctc = nn.CTCLoss(blank=config.blank_id, reduction="mean", zero_infinity=True)

    def forward(
        self,
        frames: torch.Tensor,
        frame_lengths: torch.Tensor | None = None,
        targets: torch.Tensor | None = None,
        target_lengths: torch.Tensor | None = None,
    ) -> ModelOutput:
        """frames (B, T, n_bins), right-padded; frame_lengths (B,) (default: all T); targets (B, L) symbol ids
        padded with anything, target_lengths (B,). -> logits (B, T, V) (log_softmax: per-frame log-probabilities;
        padded frames too, to be ignored), loss: CTC per target symbol, averaged over the batch."""
        B, T, _ = frames.shape
        if frame_lengths is None:
            frame_lengths = torch.full((B,), T, dtype=torch.long, device=frames.device)
        padded = torch.arange(T, device=frames.device)[None] >= frame_lengths[:, None]  # (B, T)
        x = frames.masked_fill(padded[..., None], 0.0)
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)  # (B, T, C)
        h = self.dropout(h).masked_fill(padded[..., None], 0.0)
        packed = nn.utils.rnn.pack_padded_sequence(h, frame_lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)  # (B, T, 2H)
        log_probs = F.log_softmax(self.head(self.dropout(h)), dim=-1)  # (B, T, V)
        loss = None
        if targets is not None:
            lengths = target_lengths if target_lengths is not None else torch.full((B,), targets.size(1))
            loss = self.ctc(log_probs.transpose(0, 1), targets, frame_lengths, lengths)  # wants (T, B, V)
        return ModelOutput(log_probs, loss)
