"""Speculative decoding: greedy output identical to the target's own; sampling keeps the target's distribution."""

from __future__ import annotations

import pytest
import torch

from seqviz.decoding.autoregressive import generate
from seqviz.decoding.processors import Temperature
from seqviz.decoding.speculative import accept_or_resample, speculative_generate
from seqviz.models.autoregressive import CausalLM
from seqviz.models.checkpoint import load_builtin
from seqviz.models.layers import ModelConfig


def _random_lm(seed: int, layers: int, d: int) -> CausalLM:
    torch.manual_seed(seed)
    config = ModelConfig(vocab_size=12, d_model=d, n_heads=2, n_layers=layers, d_ff=2 * d, max_len=24, dropout=0.0)
    return CausalLM(config).eval()


@pytest.mark.parametrize("k", [1, 2, 4, 7])
@pytest.mark.parametrize("prompt", [[1], [1, 5, 7, 3]])
def test_greedy_output_is_the_targets_own_for_any_draft(k, prompt):
    """A random draft disagrees often; the output must still be exactly the target's greedy output."""
    target, draft = _random_lm(0, 3, 32), _random_lm(1, 1, 16)
    prompt = torch.tensor(prompt)
    for eos in (None, 2):
        plain = generate(target, prompt, 30, greedy=True, eos_id=eos)  # stops at the window of 24
        fast = speculative_generate(target, draft, prompt, 30, k=k, eos_id=eos)
        assert torch.equal(fast.ids, plain), (k, eos)
        new = len(plain) - len(prompt)
        assert fast.target_passes <= new and sum(r.accepted for r in fast.rounds) + fast.target_passes >= new


def test_a_perfect_draft_has_every_guess_accepted_and_saves_target_passes():
    target = _random_lm(0, 2, 32)
    result = speculative_generate(target, target, torch.tensor([1]), 20, k=4)
    assert result.acceptance_rate == 1.0
    assert result.target_passes == 4  # 20 tokens in rounds of 4 guesses + 1 bonus token
    assert torch.equal(result.ids, generate(target, torch.tensor([1]), 20))


def test_rejections_are_recorded_with_the_targets_correction():
    target, draft = _random_lm(0, 3, 32), _random_lm(1, 1, 16)
    result = speculative_generate(target, draft, torch.tensor([1]), 20, k=4)
    rejected = [r for r in result.rounds if r.accepted < len(r.proposed)]
    assert rejected, "a random draft should miss at least once"
    ids = result.ids.tolist()
    position = 1
    for r in result.rounds:  # the output is each round's kept guesses then the target's token
        assert ids[position : position + r.accepted] == r.proposed[: r.accepted]
        position += r.accepted
        assert ids[position] == r.target_token
        if r.accepted < len(r.proposed):
            assert r.target_token != r.proposed[r.accepted]
        position += 1


def test_accept_or_resample_keeps_the_targets_distribution():
    """Draw x ~ q, keep it or resample: over many draws the tokens follow p, not q."""
    generator = torch.Generator().manual_seed(0)
    p = torch.tensor([0.5, 0.3, 0.15, 0.05, 0.0])
    q = torch.tensor([0.1, 0.2, 0.3, 0.2, 0.2])
    counts = torch.zeros(5)
    draws = 20_000
    for _ in range(draws):
        x = int(torch.multinomial(q, 1, generator=generator))
        replacement = accept_or_resample(p, q, x, greedy=False, generator=generator)
        counts[x if replacement is None else replacement] += 1
    assert torch.allclose(counts / draws, p, atol=0.015), counts / draws
    assert counts[4] == 0  # a token the target gives probability 0 never comes out


def test_sampling_is_seeded_and_stays_in_the_window():
    target, draft = _random_lm(0, 3, 32), _random_lm(1, 1, 16)
    runs = [
        speculative_generate(
            target,
            draft,
            torch.tensor([1]),
            40,
            k=3,
            greedy=False,
            processors=[Temperature(0.8)],
            generator=torch.Generator().manual_seed(3),
        )
        for _ in range(2)
    ]
    assert torch.equal(runs[0].ids, runs[1].ids) and len(runs[0].ids) == target.config.max_len


def test_k_below_one_is_refused():
    target = _random_lm(0, 1, 16)
    with pytest.raises(ValueError, match="at least 1"):
        speculative_generate(target, target, torch.tensor([1]), 5, k=0)


def test_builtin_draft_agrees_with_the_toy_lm_often_and_output_is_unchanged():
    """Greedy: the same text as the toy LM alone. Sampling at T = 1: most guesses kept (the draft learned the
    same language), so rounds average well over one token per target pass."""
    target, draft = load_builtin("toy_clm"), load_builtin("toy_clm_draft")
    assert draft.vocab.tokens == target.vocab.tokens
    vocab = target.vocab
    for words in (["the"], ["the", "small"], ["a", "girl", "that"]):
        prompt = torch.tensor([vocab.bos_id, *vocab.encode(words)])
        result = speculative_generate(target.model, draft.model, prompt, 30, k=4, eos_id=vocab.eos_id)
        assert torch.equal(result.ids, generate(target.model, prompt, 30, greedy=True, eos_id=vocab.eos_id))
    kept = guessed = tokens = passes = 0
    for seed in range(20):
        result = speculative_generate(
            target.model,
            draft.model,
            torch.tensor([vocab.bos_id]),
            47,
            k=4,
            greedy=False,
            eos_id=vocab.eos_id,
            generator=torch.Generator().manual_seed(seed),
        )
        kept += sum(r.accepted for r in result.rounds)
        guessed += result.draft_passes
        tokens, passes = tokens + len(result.ids) - 1, passes + result.target_passes
    assert kept / guessed >= 0.6 and tokens / passes >= 2.5


def test_distillation_loss_with_one_hot_teacher_is_the_plain_loss_and_skips_padding():
    from seqviz.models.autoregressive import next_token_loss

    torch.manual_seed(0)
    logits = torch.randn(2, 5, 12)
    labels = torch.tensor([[1, 4, 5, 6, 2], [1, 7, 2, 0, 0]])  # the second row is padded
    one_hot = torch.nn.functional.one_hot(labels.roll(-1, dims=1), 12).float()  # position t's target: token t+1
    plain = next_token_loss(logits, labels, pad_id=0)
    assert torch.allclose(next_token_loss(logits, labels, 0, one_hot), plain)
    soft = torch.full((2, 5, 12), 1 / 12)
    assert next_token_loss(logits, labels, 0, soft) > 0
