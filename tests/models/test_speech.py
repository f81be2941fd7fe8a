"""The speech CTC model: shapes, its loss is torch's CTCLoss, padding is ignored, and it stays small."""

import torch
from torch import nn

from seqviz.data.speech import speech_vocab, training_batch
from seqviz.decoding.ctc import forward_backward
from seqviz.models.speech import SpeechConfig, SpeechCTC
from seqviz.training.recipes import RECIPES
from seqviz.training.speech_evaluation import collate


def small_model() -> SpeechCTC:
    torch.manual_seed(0)
    return SpeechCTC(SpeechConfig(vocab_size=len(speech_vocab()), channels=16, hidden=16)).eval()


def test_shapes_and_log_probabilities():
    batch = collate(training_batch(4, seed=1))
    out = small_model()(**batch)
    B, T, _ = batch["frames"].shape
    assert out.logits.shape == (B, T, len(speech_vocab()))
    assert torch.allclose(out.logits.exp().sum(-1), torch.ones(B, T), atol=1e-5)
    assert out.loss.ndim == 0 and out.loss > 0


def test_the_loss_is_ctc_and_its_total_is_the_forward_algorithm():
    batch = collate(training_batch(3, seed=2))
    with torch.no_grad():
        out = small_model()(**batch)
    summed = nn.CTCLoss(reduction="sum")(
        out.logits.transpose(0, 1), batch["targets"], batch["frame_lengths"], batch["target_lengths"]
    )
    ours = 0.0
    for i in range(3):
        T, L = int(batch["frame_lengths"][i]), int(batch["target_lengths"][i])
        ours -= forward_backward(out.logits[i, :T].detach(), batch["targets"][i, :L].tolist(), 0).log_likelihood
    assert abs(ours - summed.item()) < 1e-3 * max(1.0, abs(ours))


def test_padding_does_not_change_an_utterance():
    model = small_model()
    utterances = training_batch(3, seed=5)
    alone = model(**collate(utterances[:1])).logits[0]
    together = model(**collate(utterances)).logits[0, : utterances[0].n_frames]
    assert torch.allclose(alone, together, atol=1e-5)


def test_the_recipe_model_is_small():
    config = SpeechConfig(vocab_size=len(speech_vocab()), **RECIPES["speech_ctc"].model)
    assert sum(p.numel() for p in SpeechCTC(config).parameters()) <= 300_000
