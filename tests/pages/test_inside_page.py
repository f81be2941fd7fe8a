"""The "Inside the models" page as a user drives it: the alignment scores as recorded, an example pair at
both ends of the slider, heads switched off with the held-out accuracy following, the logit lens with bad
input answered by a message."""

from __future__ import annotations

import pytest

from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/15_Inside.py"


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_every_figure_exports_and_the_scores_are_the_recorded_ones(page):
    # the head map, 4 example panels, 3 drop maps, 3 lens grids
    assert assert_figures_export(page, "inside") == 11
    text = all_text(page)
    assert "head 3.4 lands on a true source word for **99.4%**" in text
    table = page.table[0].value
    assert table.iloc[0, 0] == "best head (layer 3, head 4)" and table.iloc[0, 1] == "99.4%"


@pytest.mark.parametrize("index", [1, 300])
def test_an_example_pair_at_either_end(page, index):
    page.slider(key="ins_example").set_value(index).run()
    assert not page.exception


def test_switching_heads_off_changes_the_translation_accuracy_live(page):
    assert _metric(page, "translations right") == "99.0%"
    page.checkbox(key="ins_off_toy_transformer_mt_cross_2_2").check().run()  # layer 3, head 3
    assert not page.exception and float(_metric(page, "translations right").rstrip("%")) < 90
    assert "1 head(s) switched off" in all_text(page)
    for head in range(4):  # the whole last cross-attention layer
        page.checkbox(key=f"ins_off_toy_transformer_mt_cross_2_{head}").check().run()
    assert float(_metric(page, "translations right").rstrip("%")) < 50
    for head in range(4):
        page.checkbox(key=f"ins_off_toy_transformer_mt_cross_2_{head}").uncheck().run()
    assert _metric(page, "translations right") == "99.0%"  # nothing left switched off


def test_the_masked_lm_can_be_ablated_too(page):
    page.segmented_control(key="ins_ablate_model").set_value("toy_mlm").run()
    assert not page.exception and _metric(page, "right-context agreement") == "100.0%"
    page.checkbox(key="ins_off_toy_mlm_encoder_0_0").check().run()
    assert not page.exception and "[MASK] →" in all_text(page)
    page.segmented_control(key="ins_ablate_model").set_value("toy_transformer_mt").run()


def test_the_logit_lens_fills_the_mask_and_answers_bad_input(page):
    assert "as the masked LM filled it" in all_text(page)
    field = page.text_input(key="ins_lens_text")
    field.set_value("the zebra sleeps").run()
    assert any("does not know “zebra”" in w.value for w in page.warning) and not page.exception
    field.set_value("").run()
    assert any("Type a sentence" in w.value for w in page.warning) and not page.exception
    field.set_value("the cat " * 300).run()
    assert any("the model reads at most 16" in i.value for i in page.info) and not page.exception
    field.set_value("[MASK] [MASK]").run()
    assert not page.exception
    field.set_value("the black cat sleeps").run()
    assert not page.exception and len(page.get("plotly_chart")) == 11  # the translator's lens is back
