import torch

from seqviz.models.layers import attention, rotate_half_pairs, sinusoidal_table
from seqviz.models.masks import causal_mask, padding_mask


def _qkv(b=2, h=3, t=5, d=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(b, h, t, d, generator=g) for _ in range(3)]


def test_rows_sum_to_one_and_masked_weights_are_exactly_zero():
    q, k, v = _qkv()
    mask = causal_mask(5)
    _, w = attention(q, k, v, mask)
    assert torch.allclose(w.sum(-1), torch.ones(2, 3, 5), atol=1e-6)
    assert (w[..., ~mask] == 0).all()


def test_padding_mask_per_example():
    q, k, v = _qkv()
    mask = padding_mask([3, 5])  # (B, T, T)
    _, w = attention(q, k, v, mask)
    assert (w[0, :, :, 3:] == 0).all() and (w[1] > 0).all()


def test_fast_path_equals_explicit_path():
    q, k, v = _qkv()
    for mask in (None, causal_mask(5), padding_mask([2, 5])):
        explicit, _ = attention(q, k, v, mask, need_weights=True)
        fast, none = attention(q, k, v, mask, need_weights=False)
        assert none is None
        assert torch.allclose(explicit, fast, atol=1e-5)


def test_fully_masked_row_gives_zeros_not_nan():
    q, k, v = _qkv(t=3)
    mask = torch.ones(3, 3, dtype=torch.bool)
    mask[1] = False
    out, w = attention(q, k, v, mask)
    assert not torch.isnan(out).any() and (w[:, :, 1] == 0).all()


def test_rope_dot_product_depends_only_on_relative_position():
    g = torch.Generator().manual_seed(1)
    q, k = torch.randn(1, 16, generator=g), torch.randn(1, 16, generator=g)

    def dot(p, r):
        return (rotate_half_pairs(q, torch.tensor([p])) * rotate_half_pairs(k, torch.tensor([r]))).sum().item()

    assert abs(dot(3, 1) - dot(10, 8)) < 1e-4
    assert abs(dot(3, 1) - dot(3, 2)) > 1e-3


def test_sinusoidal_table_matches_formula():
    table = sinusoidal_table(10, 8)
    assert torch.isclose(table[3, 0], torch.sin(torch.tensor(3.0)))
    assert torch.isclose(table[3, 1], torch.cos(torch.tensor(3.0)))
    assert torch.isclose(table[5, 2], torch.sin(torch.tensor(5.0 / 10000 ** (2 / 8))))
