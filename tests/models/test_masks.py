import pytest

from seqviz.models.masks import (
    bidirectional_mask,
    causal_mask,
    cross_mask,
    encoder_decoder_masks,
    format_order,
    joint_mask,
    mask_gallery,
    nar_decoder_mask,
    padding_mask,
    parse_order,
    permutation_mask,
    prefix_lm_mask,
)


def test_causal_is_lower_triangle_with_diagonal():
    m = causal_mask(6)
    for i in range(6):
        for j in range(6):
            assert m[i, j].item() == (j <= i)


def test_bidirectional_and_nar_decoder_see_everything():
    assert bidirectional_mask(4).all()
    assert nar_decoder_mask(5).all() and nar_decoder_mask(5).shape == (5, 5)


@pytest.mark.parametrize("prefix", [0, 1, 3, 6])
def test_prefix_lm_bidirectional_inside_prefix_causal_after(prefix):
    m = prefix_lm_mask(6, prefix)
    for i in range(6):
        for j in range(6):
            expected = j < prefix or j <= i
            assert m[i, j].item() == expected, (i, j)
    if prefix > 0:
        assert m[:prefix, :prefix].all()  # the prefix block is full
    assert not m[prefix:, prefix:].triu(1).any()  # strictly causal after it


def test_prefix_lm_rejects_bad_prefix():
    with pytest.raises(ValueError):
        prefix_lm_mask(4, 5)


def test_permutation_mask_follows_order():
    order = [2, 0, 3, 1]
    content = permutation_mask(order)
    query = permutation_mask(order, include_self=False)
    rank = {pos: step for step, pos in enumerate(order)}
    for i in range(4):
        for j in range(4):
            assert content[i, j].item() == (rank[j] <= rank[i])
            assert query[i, j].item() == (rank[j] < rank[i])
    assert permutation_mask(range(4)).equal(causal_mask(4))  # identity order = causal
    with pytest.raises(ValueError):
        permutation_mask([0, 0, 1])


def test_padding_and_cross_hide_padded_keys():
    pad = padding_mask([3, 5])
    assert pad.shape == (2, 5, 5)
    assert pad[0, :, :3].all() and not pad[0, :, 3:].any()
    assert pad[1].all()
    cross = cross_mask(4, [2, 3], max_source_length=3)
    assert cross.shape == (2, 4, 3)
    assert not cross[0, :, 2].any() and cross[0, :, :2].all() and cross[1].all()


def test_encoder_decoder_masks():
    masks = encoder_decoder_masks([2, 4], target_length=3)
    assert masks["decoder_self"].equal(causal_mask(3))
    assert masks["encoder_self"].shape == (2, 4, 4)
    assert not masks["cross"][0, :, 2:].any()


def test_joint_mask_is_prefix_lm_or_full_decoder():
    assert joint_mask(3, 2).equal(prefix_lm_mask(5, 3))
    nar = joint_mask(3, 2, causal_target=False)
    assert nar[3:, :].all() and not nar[:3, 3:].any()


def test_parse_order_is_one_based_and_strict():
    assert parse_order("3 1 2", 3) == [2, 0, 1]
    assert parse_order("3,1,2", 3) == [2, 0, 1]
    for bad in ["", "1 2", "1 1 2", "0 1 2", "a b c", "1 2 99999999999"]:
        assert parse_order(bad, 3) is None
    assert format_order([2, 0, 1]) == "3 1 2"


def test_gallery_has_every_mask_with_matching_labels():
    g = mask_gallery(["a", "b", "c"], ["x", "y"], ["p"], 1, [1, 0, 2])
    assert set(g) == {
        "bidirectional",
        "causal",
        "prefix_lm",
        "permutation",
        "encoder_self",
        "decoder_self",
        "cross",
        "nar_decoder",
        "padding",
    }
    for view in g.values():
        assert view.mask.shape == (len(view.query_labels), len(view.key_labels))
    assert g["cross"].query_labels == ("x", "y") and g["cross"].key_labels == ("a", "b", "c")
    assert g["padding"].key_labels == ("p", "<pad>", "<pad>")
    assert not g["padding"].mask[:, 1:].any()


def test_example_order_is_a_permutation_other_than_left_to_right():
    from seqviz.models.masks import example_order

    for n in range(1, 25):
        order = example_order(n)
        assert sorted(order) == list(range(n))
        if n > 2:
            assert order != list(range(n))
