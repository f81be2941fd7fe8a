"""Positional encodings: the sinusoidal table's dot products depend on the offset only, RoPE's scores on
the relative position only, and a Transformer without positions computes the same outputs, permuted, for
a shuffled input."""

import torch

from seqviz.models.autoencoding import MaskedLM
from seqviz.models.checkpoint import load_builtin
from seqviz.models.layers import ModelConfig, sinusoidal_table
from seqviz.models.positions import (
    cosine_similarity_matrix,
    diagonal_spread,
    dot_by_offset,
    permutation_check,
    rope_pair_path,
    rope_scores,
    without_positions,
)


def test_sinusoidal_dot_products_depend_on_the_offset_only():
    curves = dot_by_offset(sinusoidal_table(80, 64), (0, 10, 30))
    assert all(torch.allclose(curve, curves[0], atol=1e-4) for curve in curves.values())
    assert curves[0][0] > curves[0][1:].max()  # a position is most like itself
    random_table = torch.randn(80, 64, generator=torch.Generator().manual_seed(0))
    noisy = dot_by_offset(random_table, (0, 10, 30))
    assert not torch.allclose(noisy[10], noisy[0], atol=1.0)


def test_rope_scores_depend_on_the_relative_position_only():
    generator = torch.Generator().manual_seed(1)
    query, key = torch.randn(64, generator=generator), torch.randn(64, generator=generator)
    assert diagonal_spread(rope_scores(query, key, 24)) < 1e-4
    table = sinusoidal_table(24, 64)
    assert diagonal_spread((query + table) @ (key + table).T) > 1.0  # added absolute positions: not so
    assert diagonal_spread(torch.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 1.0], [4.0, 3.0, 0.0]])) == 0  # constant diagonals
    assert diagonal_spread(torch.tensor([[0.0, 1.0], [2.0, 5.0]])) == 5.0


def test_rope_turns_each_pair_by_a_fixed_angle_per_position_and_keeps_its_length():
    vector = torch.randn(16, generator=torch.Generator().manual_seed(2))
    path = rope_pair_path(vector, 6, (0, 3))  # (2, 6, 2)
    assert torch.allclose(path.norm(dim=-1), path[:, :1].norm(dim=-1).expand(2, 6), atol=1e-5)
    angles = torch.atan2(path[..., 1], path[..., 0])  # (2, 6)
    steps = torch.remainder(angles.diff(dim=1), 2 * torch.pi)
    theta = 10000.0 ** (-torch.tensor([0.0, 6.0]) / 16)  # pair i turns by 10000^(-2i/d) per position
    assert torch.allclose(steps, theta[:, None].expand(2, 5), atol=1e-4)
    assert torch.allclose(cosine_similarity_matrix(path[0]).diagonal(), torch.ones(6), atol=1e-5)


def test_without_positions_a_shuffled_input_gives_the_same_outputs_permuted():
    order = torch.tensor([0, 4, 2, 1, 5, 3, 6])  # [CLS] and [SEP] (0 and 6) may stay or move: no matter
    ids = torch.tensor([5, 71, 30, 58, 71, 4, 6])
    torch.manual_seed(0)
    fresh = MaskedLM(
        ModelConfig(
            vocab_size=80, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_len=16, dropout=0.0, positions="none"
        )
    )
    assert permutation_check(fresh, ids, order)["max_difference"] < 1e-5
    assert permutation_check(fresh, ids, torch.tensor([6, 5, 4, 3, 2, 1, 0]))["max_difference"] < 1e-5

    trained = load_builtin("toy_mlm").model
    before = [p.clone() for p in trained.parameters()]
    blind = without_positions(trained)
    assert permutation_check(blind, ids, order)["max_difference"] < 1e-4
    assert permutation_check(trained, ids, order)["max_difference"] > 0.1  # with its positions, order matters
    assert all(
        torch.equal(a, b) for a, b in zip(before, trained.parameters(), strict=True)
    )  # the original is untouched
