"""The autoencoders page as a user drives it (its Chinese run is test_pages_apptest's): ELECTRA's masked
words and draws, every BART noise, every VAE and colouring, and bad input answered with a message."""

from __future__ import annotations

import pytest

from seqviz.models.bart import NOISES
from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/4_Autoencoders.py"


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def line(at, start: str) -> str:
    return next(m.value for m in at.markdown if m.value.strip().lstrip("- ").startswith(start))


def test_every_figure_exports_and_is_described(page):
    # ELECTRA: detection bars, the loss heatmap, three curves; BART: cross-attention, the pre-training curve;
    # the VAE: the posterior and the latent map
    assert assert_figures_export(page, "autoencoders") == 9


def pills_key(at) -> str:
    return next(w.key for w in at.get("button_group") if w.key and w.key.startswith("aef_electra_masked_"))


def test_electra_shows_what_each_model_read_and_a_new_draw_masks_anew(page):
    assert "The discriminator reads" in line(page, "The generator reads")
    before = pills_key(page)
    page.button(key="aef_electra_draw").click().run()
    assert not page.exception and pills_key(page) != before  # the new draw's masked words
    text = all_text(page)
    assert "BERT learns from the" in text and "AUC" in text and "GFLOPs" in text


def test_electra_with_no_masked_word_says_so():
    at = open_page(PAGE)
    at.button_group(key=pills_key(at)).set_value([]).run()
    assert not at.exception
    assert any("No word is masked" in i.value for i in at.info)


@pytest.mark.parametrize("noise", list(NOISES))
def test_each_noise_is_reconstructed_and_checked(page, noise):
    page.segmented_control(key="aef_noise").set_value(noise).run()
    assert not page.exception
    written = line(page, "BART writes:")
    assert "toy checker" in written and ("original sentence" in written)
    page.button(key="aef_bart_draw").click().run()
    assert not page.exception


@pytest.mark.parametrize("model", ["toy_vae", "toy_vae_unannealed", "toy_ae"])
def test_each_vae_shows_its_posterior_walk_and_samples(page, model):
    page.segmented_control(key="aef_vae_model").set_value(model).run()
    for colour in ("subject_number", "length", "negation"):
        page.segmented_control(key="aef_colour_by").set_value(colour).run()
    assert not page.exception
    text = all_text(page)
    assert "From μ:" in text and "different sentences" in text
    if model != "toy_ae":
        assert "Sample 1 of z" in text  # a distribution to sample from; the plain autoencoder has a point


def test_bad_input_gets_a_message_and_the_page_goes_on():
    at = open_page(PAGE)
    at.text_input(key="aef_electra_sentence").set_value("the zebra <script> sleeps").run()
    at.text_input(key="aef_bart_sentence").set_value("").run()
    at.text_input(key="aef_vae_sentence").set_value("x " * 500).run()
    assert not at.exception
    messages = " ".join(w.value for w in [*at.warning, *at.info, *at.error])
    assert "zebra" in messages and "empty" in messages
