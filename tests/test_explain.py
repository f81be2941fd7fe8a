"""Scoring an explanation against the true alignment: a perfect map scores 1 and AER 0, a possible link
counts as right, the decoder row of a French word is the step that writes it."""

import pytest

from seqviz.data.alignment import align
from seqviz.explain.alignment import decoder_rows, score_alignment


def test_perfect_possible_and_wrong_picks():
    en, fr = "the dogs do not run".split(), "les chiens ne courent pas".split()
    truth = align(en, fr)
    perfect = score_alignment([[s for (s,) in truth.sure]], [truth])
    assert (perfect.accuracy, perfect.aer, perfect.words) == (1.0, 0.0, 5)
    with_auxiliary = score_alignment([[0, 1, 2, 4, 3]], [truth])  # "ne" on "do": a possible link only
    assert with_auxiliary.accuracy == 1.0 and 0 < with_auxiliary.aer < 0.2
    all_first = score_alignment([[0] * 5], [truth])
    assert all_first.accuracy == 0.2 and all_first.aer == pytest.approx(1 - 2 / 10)
    with pytest.raises(ValueError):
        score_alignment([[0]], [truth])


def test_the_decoder_row_of_a_french_word():
    pairs = [(("the", "cat", "sleeps"), ("le", "chat", "dort"))]
    assert decoder_rows(pairs) == [[0, 1, 2]]  # position t reads <bos> y_1 … y_t and writes y_{t+1}
    assert decoder_rows(pairs, "reading") == [[1, 2, 3]]
    with pytest.raises(ValueError):
        decoder_rows(pairs, "sideways")


@pytest.fixture(scope="module")
def translator():
    from seqviz.models.checkpoint import load_builtin

    return load_builtin("toy_transformer_mt")


PAIRS = [
    (("the", "cat", "sleeps"), ("le", "chat", "dort")),
    (("the", "small", "dogs", "do", "not", "run"), ("les", "petits", "chiens", "ne", "courent", "pas")),
]


@pytest.mark.parametrize("name", ["toy_transformer_mt", "toy_bahdanau_mt"])
def test_saliency_is_zero_on_padding_the_model_cannot_see(name):
    from seqviz.explain.attribution import saliency
    from seqviz.models.checkpoint import load_builtin

    ckpt = load_builtin(name)
    maps = saliency(ckpt.model, ckpt.vocab, PAIRS)  # the first source is padded to the second's length
    assert maps.shape == (2, 8, 6)
    assert (maps[0, :, 3:] == 0).all() and (maps[0, :4, :3] > 0).any(dim=-1).all()
    assert (maps[0, 4:] == 0).all()  # positions after <eos>: no word written, nothing attributed


@pytest.mark.parametrize("name", ["toy_transformer_mt", "toy_bahdanau_mt"])
def test_saliency_on_a_shared_model_while_another_session_runs_it(name):
    """The pages share one frozen model between sessions. Another session's forward pass that comes while a
    saliency map is being made (forced here at the worst moment: just before the map's own pass embeds
    its source) neither breaks the map nor is changed by it."""
    import threading

    import torch

    from seqviz.explain.attribution import _source_embedding, saliency
    from seqviz.models.checkpoint import load_builtin
    from seqviz.models.inputs import encode_pairs

    ckpt = load_builtin(name)
    for parameter in ckpt.model.parameters():  # as the pages share it (seqviz.ui.models.builtin_model)
        parameter.requires_grad_(False)
    expected = saliency(ckpt.model, ckpt.vocab, PAIRS)
    other = encode_pairs(PAIRS[1:], ckpt.vocab)
    with torch.no_grad():
        alone = ckpt.model(other["src"], other["tgt"]).logits
    seen, ours = [], threading.get_ident()

    def another_session():
        with torch.no_grad():
            seen.append(ckpt.model(other["src"], other["tgt"]).logits)

    def before_the_maps_own_pass(module, inputs):
        if threading.get_ident() == ours and not seen:
            session = threading.Thread(target=another_session)
            session.start(), session.join()

    hook = _source_embedding(ckpt.model).register_forward_pre_hook(before_the_maps_own_pass)
    try:
        maps = saliency(ckpt.model, ckpt.vocab, PAIRS)
    finally:
        hook.remove()
    assert len(seen) == 1 and torch.equal(seen[0], alone)  # the other session's result is its own
    assert torch.allclose(maps, expected)


def test_rollout_rows_are_distributions_over_the_real_source_tokens(translator):
    import torch

    from seqviz.explain.attribution import rollout

    mixed = rollout(translator.model, translator.vocab, PAIRS)
    assert mixed.shape == (2, 6, 6) and torch.allclose(mixed.sum(-1), torch.ones(2, 6), atol=1e-5)
    assert (mixed[0, :3, 3:] == 0).all()  # no real encoder state holds any padding
    assert (mixed.diagonal(dim1=1, dim2=2)[1] >= 0.5**3).all()  # the residual path: at least ½ per layer, 3 layers


def test_one_pairs_maps_put_the_truth_and_each_method_on_the_french_words_rows(translator):
    import numpy as np

    from seqviz.explain.alignment import example_maps

    source, target = PAIRS[1]
    maps = example_maps(translator.model, translator.vocab, source, target, (3, 4))
    assert all(m.shape == (6, 6) for m in maps.values())
    # "ne" and "pas" both translate "not"; every other French word its own English word
    assert maps["truth"][3].tolist() == maps["truth"][5].tolist() == [0, 0, 0, 0, 1, 0]
    assert maps["truth"].sum() == 6
    for name in ("head", "saliency", "rollout"):  # each row a distribution over the English words
        assert np.allclose(maps[name].sum(-1), 1.0, atol=1e-4), name


def test_ablating_no_head_is_the_normal_forward_pass_and_a_whole_layer_leaves_only_the_bias(translator):
    import threading

    import torch

    from seqviz.explain.ablation import attention_modules, switched_off
    from seqviz.models.inputs import encode_pairs
    from seqviz.models.layers import ablated_heads

    model, batch = translator.model, encode_pairs(PAIRS, translator.vocab)
    with torch.no_grad():
        plain = model(batch["src"], batch["tgt"]).logits
        with ablated_heads({}):
            assert torch.equal(model(batch["src"], batch["tgt"]).logits, plain)
        attention = attention_modules(model)["cross"][1]
        x = torch.randn(2, 5, 128)
        keys_values = attention.keys_values(torch.randn(2, 4, 128))
        with ablated_heads(switched_off(model, [("cross", 1, h) for h in range(4)])):
            out, _ = attention(x, keys_values=keys_values)
            assert torch.allclose(out, attention.out.bias.expand_as(out))  # no head's output is left
            seen_elsewhere = []
            thread = threading.Thread(target=lambda: seen_elsewhere.append(attention(x, keys_values=keys_values)[0]))
            thread.start()
            thread.join()
            assert not torch.allclose(seen_elsewhere[0], out)  # another session's thread: nothing switched off
            assert not torch.equal(model(batch["src"], batch["tgt"]).logits, plain)
        assert torch.equal(model(batch["src"], batch["tgt"]).logits, plain)  # and back after the block


def test_the_masked_lm_heads_are_found_and_the_ablation_map_measures_drops(translator):
    from seqviz.explain.ablation import ablation_map, attention_modules, translation_accuracy
    from seqviz.models.checkpoint import load_builtin

    assert [len(v) for v in attention_modules(load_builtin("toy_mlm").model).values()] == [4]
    calls = []

    def measure(heads):
        calls.append(heads)
        return translation_accuracy(translator.model, translator.vocab, PAIRS, heads)

    drops = ablation_map(measure, translator.model, "decoder")
    assert drops.shape == (3, 4) and len(calls) == 13 and calls[0] == [] and calls[-1] == [("decoder", 2, 3)]
    everything = [(s, layer, h) for s in ("encoder", "decoder", "cross") for layer in range(3) for h in range(4)]
    assert translation_accuracy(translator.model, translator.vocab, PAIRS) == 1.0
    assert translation_accuracy(translator.model, translator.vocab, PAIRS, everything) == 0.0


@pytest.mark.parametrize("name", ["toy_clm", "toy_mlm", "toy_transformer_mt"])
def test_the_logit_lens_at_the_last_layer_is_the_models_output(name):
    import torch

    from seqviz.explain.logit_lens import language_model_lens, translator_lens
    from seqviz.models.checkpoint import load_builtin
    from seqviz.models.inputs import encode_mlm, encode_pairs

    ckpt = load_builtin(name)
    words = "the [MASK] that the dog sees sleep".split()
    with torch.no_grad():
        if name == "toy_transformer_mt":
            source, target = "the black cat sleeps".split(), "le chat noir dort".split()
            lens = translator_lens(ckpt.model, ckpt.vocab, source, target)
            batch = encode_pairs([(source, target)], ckpt.vocab)
            logits = ckpt.model(batch["src"], batch["tgt"]).logits[0]
        else:
            ids = encode_mlm([words], ckpt.vocab)
            lens = language_model_lens(ckpt.model, ids)
            logits = ckpt.model(ids).logits[0]
    n_layers = ckpt.model.config.n_layers
    assert lens.probabilities.shape == (n_layers + 1, *logits.shape)
    assert torch.allclose(lens.probabilities[-1], logits.softmax(-1), atol=1e-6)
    assert torch.equal(lens.top[-1], logits.argmax(-1)) and torch.equal(lens.final, logits.argmax(-1))
    assert torch.allclose(lens.final_probability[-1], logits.softmax(-1).max(-1).values, atol=1e-6)
    assert not torch.allclose(lens.probabilities[0], lens.probabilities[-1])  # the layers do change it
