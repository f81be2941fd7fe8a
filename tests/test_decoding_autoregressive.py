import pytest
import torch

from seqviz.decoding.autoregressive import beam_search, generate, generate_steps, sampling_processors
from seqviz.decoding.processors import SuppressTokens, Temperature, TopK, TopP, apply
from seqviz.models.autoregressive import CausalLM
from seqviz.models.checkpoint import load_builtin
from seqviz.models.layers import ModelConfig


def _model(positions="learned"):
    torch.manual_seed(0)
    return CausalLM(
        ModelConfig(vocab_size=24, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=80, positions=positions)
    ).eval()


PROMPT = torch.tensor([1, 9, 12])


def test_processors_never_modify_their_input():
    scores = torch.randn(3, 24)
    kept = scores.clone()
    for processor in (
        Temperature(0.5),
        Temperature(0),
        TopK(3),
        TopP(0.5),
        TopP(0.0),
        TopP(1.0),
        SuppressTokens((1, 2)),
    ):
        out = processor(scores)
        assert torch.equal(scores, kept) and out is not scores


def test_top_k_and_top_p_keep_the_right_tokens():
    scores = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    assert torch.isfinite(TopK(2)(scores)).tolist() == [True, True, False, False]
    assert torch.isfinite(TopP(0.7)(scores)).tolist() == [True, True, False, False]  # 0.5 < 0.7 <= 0.8
    assert torch.isfinite(TopP(0.0)(scores)).tolist() == [True, False, False, False]  # at least one survives
    assert torch.isfinite(TopP(1.0)(scores)).all() and torch.isfinite(TopK(0)(scores)).all()
    after = apply([Temperature(2.0)], scores).softmax(-1)
    assert after[0] < 0.5 and after[3] > 0.05  # flatter
    with pytest.raises(ValueError):
        TopP(1.5)
    with pytest.raises(ValueError):
        Temperature(-1)


def test_temperature_zero_is_greedy_and_sampling_is_seeded():
    model = _model()
    greedy = generate(model, PROMPT, 12, greedy=True)
    zero = generate(model, PROMPT, 12, processors=sampling_processors(temperature=0.0), greedy=False)
    assert torch.equal(greedy, zero)
    runs = [
        generate(
            model,
            PROMPT,
            12,
            processors=sampling_processors(1.5, 10, 0.95),
            greedy=False,
            generator=torch.Generator().manual_seed(7),
        )
        for _ in range(2)
    ]
    assert torch.equal(runs[0], runs[1])
    other = generate(
        model, PROMPT, 12, processors=sampling_processors(1.5), greedy=False, generator=torch.Generator().manual_seed(8)
    )
    assert not torch.equal(runs[0], other)


@pytest.mark.parametrize("positions", ["learned", "sinusoidal", "rope"])
def test_kv_cache_output_equals_recompute(positions):
    model = _model(positions)
    options = dict(processors=sampling_processors(1.0), greedy=False)
    cached = list(
        generate_steps(model, PROMPT, 40, use_cache=True, generator=torch.Generator().manual_seed(1), **options)
    )
    full = list(
        generate_steps(model, PROMPT, 40, use_cache=False, generator=torch.Generator().manual_seed(1), **options)
    )
    assert [r.token_id for r in cached] == [r.token_id for r in full]
    for a, b in zip(cached, full, strict=True):
        assert torch.allclose(a.probs_before, b.probs_before, atol=1e-5)
    assert [r.positions_computed for r in cached] == [3] + [1] * 39  # the cache feeds one new token per step
    assert [r.positions_computed for r in full] == list(range(3, 43))
    assert cached[-1].cache_shapes[0] == (1, 4, 42, 8) and full[-1].cache_shapes is None


def test_step_records_carry_the_attention_row_and_stop_at_the_window():
    model = _model()
    records = list(generate_steps(model, PROMPT, 200, need_weights=True))
    assert len(records) == 80 - 3  # context window
    first = records[0]
    assert len(first.attention) == 2 and first.attention[0].shape == (4, 3)
    assert torch.allclose(first.attention[0].sum(-1), torch.ones(4), atol=1e-5)
    assert records[5].attention[1].shape == (4, 8)
    with pytest.raises(ValueError):
        next(generate_steps(model, torch.tensor([], dtype=torch.long), 3))


def test_padding_is_never_generated():
    model = _model()
    bias = torch.zeros(24)
    bias[0] = 100.0  # make <pad> the model's favourite
    with torch.no_grad():
        model.head.bias += bias
    assert 0 not in generate(model, PROMPT, 20, greedy=True).tolist()
    assert 0 not in beam_search(model, PROMPT, width=3, max_new_tokens=5).ids.tolist()


def test_generation_stops_at_eos():
    model = _model()
    first = generate(model, PROMPT, 1, greedy=True)[-1].item()
    out = generate(model, PROMPT, 10, greedy=True, eos_id=first)
    assert out.tolist() == PROMPT.tolist() + [first]


def test_beam_width_one_is_greedy_and_the_tree_is_complete():
    model = _model()
    greedy = generate(model, PROMPT, 10, greedy=True)
    assert torch.equal(beam_search(model, PROMPT, width=1, max_new_tokens=10).ids, greedy)
    result = beam_search(model, PROMPT, width=3, max_new_tokens=6)
    ids = {n.node_id for n in result.nodes}
    assert all(n.parent in ids for n in result.nodes if n.parent is not None)
    assert {n.status for n in result.nodes} >= {"kept", "pruned"}
    assert sum(n.status == "kept" and n.step == 6 for n in result.nodes) == 3
    assert len(result.ids) == 3 + 6
    assert beam_search(model, PROMPT, width=10_000, max_new_tokens=2).ids.numel() == 5  # width capped at V


def test_beam_search_scores_at_least_greedy():
    model = _model()
    greedy = generate(model, PROMPT, 8, greedy=True)
    with torch.no_grad():
        logp = model(greedy[None]).logits[0].log_softmax(-1)
    greedy_logp = sum(logp[t - 1, greedy[t]].item() for t in range(3, len(greedy)))
    beam = beam_search(model, PROMPT, width=4, max_new_tokens=8, length_penalty=0.0)
    assert beam.score >= greedy_logp - 1e-4


def test_shipped_causal_lm_generates_with_identical_cache_output():
    ckpt = load_builtin("toy_clm")
    prompt = torch.tensor([ckpt.vocab.bos_id])
    a = generate(ckpt.model, prompt, 30, use_cache=True, eos_id=ckpt.vocab.eos_id)
    b = generate(ckpt.model, prompt, 30, use_cache=False, eos_id=ckpt.vocab.eos_id)
    assert torch.equal(a, b)


def test_gru_state_is_its_cache_and_matches_recompute():
    from seqviz.models.recurrent import GRULM

    torch.manual_seed(0)
    gru = GRULM(ModelConfig(vocab_size=24, d_model=32, n_layers=2, max_len=1000)).eval()
    options = dict(processors=sampling_processors(1.0), greedy=False, need_weights=True)
    cached = list(
        generate_steps(gru, PROMPT, 30, use_cache=True, generator=torch.Generator().manual_seed(2), **options)
    )
    full = list(generate_steps(gru, PROMPT, 30, use_cache=False, generator=torch.Generator().manual_seed(2), **options))
    assert [r.token_id for r in cached] == [r.token_id for r in full]
    assert cached[-1].cache_shapes == [(1, 32), (1, 32)]  # a fixed-size state, whatever the length
    assert cached[0].attention is None


def test_page_kv_measurement_reports_identical_tokens():
    from seqviz.ui.autoregressive import measure_kv_cache

    result = measure_kv_cache("cpu", (16, 32))
    assert result["identical"] is True and result["lengths"] == [16, 32]
    assert all(v > 0 for v in result["cached"] + result["recompute"])
    assert "median of 3 runs" in result["method"]


def test_a_full_window_stops_generation_unless_it_slides():
    torch.manual_seed(0)
    model = CausalLM(ModelConfig(vocab_size=24, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=8)).eval()
    assert len(generate(model, PROMPT, 20)) == 8  # stops at the window
    slid = generate(model, PROMPT, 20, slide=True)
    assert len(slid) == len(PROMPT) + 20
    ids = PROMPT.tolist()  # by hand: each token from the last 7 tokens, recomputed
    while len(ids) < len(slid):
        ids.append(int(model(torch.tensor(ids[-7:])[None]).logits[0, -1].argmax()))
    assert ids == slid.tolist()
