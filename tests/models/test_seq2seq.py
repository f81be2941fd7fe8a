"""Encoder-decoders: attention that sums to 1 and never reads padding, a causal decoder, incremental decoding
equal to teacher-forced recomputation, and the decoding loops of the decoder-only models driving them."""

import pytest
import torch

from seqviz.decoding.autoregressive import beam_search
from seqviz.decoding.seq2seq import (
    attention_maps,
    teacher_forcing_vs_free_running,
    time_encode_decode,
    translate_batch,
    translate_steps,
)
from seqviz.models.layers import ModelConfig
from seqviz.models.seq2seq import BahdanauSeq2Seq, RNNSeq2Seq, TransformerSeq2Seq

SIZES = {
    TransformerSeq2Seq: dict(d_model=32, n_heads=4, n_layers=2, d_ff=64),
    RNNSeq2Seq: dict(d_model=32, n_layers=1),
    BahdanauSeq2Seq: dict(d_model=32, n_layers=1),
}
BOS, EOS, PAD = 1, 2, 0


def _model(cls):
    torch.manual_seed(0)
    return cls(ModelConfig(vocab_size=20, max_len=16, dropout=0.0, **SIZES[cls])).eval()


def _batch():
    src = torch.tensor([[5, 6, 7, 8, 9], [10, 11, 12, PAD, PAD]])  # the second source is padded
    tgt = torch.tensor([[BOS, 13, 14, 15], [BOS, 16, 17, PAD]])
    return src, tgt


@pytest.mark.parametrize("cls", [TransformerSeq2Seq, BahdanauSeq2Seq])
def test_cross_attention_rows_sum_to_one_and_ignore_padding(cls):
    src, tgt = _batch()
    out = _model(cls)(src, tgt, need_weights=True)
    for weights in out.cross_attention:  # per layer (B, H, T, S)
        assert torch.allclose(weights.sum(-1), torch.ones(weights.shape[:-1]), atol=1e-5)
        assert weights[1, :, :, 3:].abs().max() == 0  # padded source positions get exactly 0


def test_padding_never_changes_a_translation():
    model = _model(TransformerSeq2Seq)
    src, _ = _batch()
    alone = translate_batch(model, src[1:, :3], BOS, EOS, 8)
    padded = translate_batch(model, src, BOS, EOS, 8)[1:]
    assert alone == padded


def test_transformer_decoder_self_attention_is_causal_and_encoder_bidirectional():
    src, tgt = _batch()
    model = _model(TransformerSeq2Seq)
    maps = attention_maps(model, src[0], tgt[0])
    for weights in maps.decoder:  # (H, T, T)
        assert (torch.from_numpy(weights).triu(1) == 0).all()
    assert all((w > 0).all() for w in maps.encoder)  # every source word sees every other
    assert maps.cross[0].shape == (4, 4, 5)


@pytest.mark.parametrize("cls", list(SIZES))
def test_incremental_decoding_equals_teacher_forced_recomputation(cls):
    model = _model(cls)
    src, tgt = _batch()
    decoder = model.decoder(model.encode(src[:1]))
    full = decoder(tgt[:1]).logits
    cache = decoder.new_cache()
    steps = torch.cat([decoder(tgt[:1, t : t + 1], cache=cache).logits for t in range(tgt.size(1))], 1)
    assert torch.allclose(full, steps, atol=1e-5)


@pytest.mark.parametrize("cls", list(SIZES))
def test_step_generator_batched_greedy_and_beam_width_one_agree(cls):
    model = _model(cls)
    src = torch.tensor([5, 6, 7, 8])
    stepped = [r.token_id for r in translate_steps(model, src, BOS, EOS, 10)]
    batched = translate_batch(model, src[None], BOS, EOS, 10)[0]
    assert stepped[: len(batched)] == batched and (len(stepped) == len(batched) or stepped[len(batched)] == EOS)
    beam = beam_search(model.decoder(model.encode(src[None])), torch.tensor([BOS]), 1, 10, eos_id=EOS)
    assert beam.ids[1:].tolist()[: len(batched)] == batched


def test_step_records_carry_cross_attention_over_the_source():
    records = list(translate_steps(_model(TransformerSeq2Seq), torch.tensor([5, 6, 7]), BOS, EOS, 3))
    assert len(records[0].cross_attention) == 2 and records[0].cross_attention[0].shape == (4, 3)
    bahdanau = list(translate_steps(_model(BahdanauSeq2Seq), torch.tensor([5, 6, 7]), BOS, EOS, 3))
    assert torch.allclose(bahdanau[0].cross_attention[0].sum(-1), torch.ones(1))
    assert list(translate_steps(_model(RNNSeq2Seq), torch.tensor([5, 6, 7]), BOS, EOS, 3))[0].cross_attention is None


def test_teacher_forcing_needs_one_pass_free_running_one_per_token():
    model = _model(TransformerSeq2Seq)
    result = teacher_forcing_vs_free_running(model, torch.tensor([5, 6, 7]), [13, 14], BOS, EOS)
    assert len(result.teacher_forced) == 3  # <bos> x y -> 3 predictions
    assert result.forward_passes == (1, len(result.free_running) + 1)
    assert result.first_divergence is None or result.first_divergence <= len(result.free_running)


def test_encode_decode_timing_counts_the_steps():
    times = time_encode_decode(_model(TransformerSeq2Seq), torch.tensor([5, 6, 7]), BOS, EOS, repeats=2)
    assert times.steps >= 1 and times.encoder.median_ms > 0 and times.decoder.median_ms > 0


def test_training_loss_falls_on_a_copy_task():
    model = _model(BahdanauSeq2Seq).train()
    optimizer = torch.optim.Adam(model.parameters(), 1e-2)
    src = torch.randint(3, 20, (32, 5))
    tgt = torch.cat((torch.full((32, 1), BOS), src, torch.full((32, 1), EOS)), 1)
    losses = []
    for _ in range(60):
        loss = model(src, tgt, labels=tgt).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_repeated_memory_repeats_every_row_and_its_cross_attention_keys():
    model = _model(TransformerSeq2Seq)
    src, tgt = _batch()
    memory = model.encode(src)
    twice = memory.repeat(2)
    assert twice.states.shape[0] == 4 and len(twice.keys_values) == model.config.n_layers
    for (k, v), (k2, v2) in zip(memory.keys_values, twice.keys_values, strict=True):
        assert torch.equal(k2[2], k[1]) and torch.equal(v2[3], v[1])
    with torch.no_grad():
        once, again = model.decode(memory, tgt).logits, model.decode(twice, tgt.repeat_interleave(2, 0)).logits
    assert torch.allclose(again[::2], once, atol=1e-6) and torch.allclose(again[1::2], once, atol=1e-6)
