"""Every page runs in Streamlit's AppTest with no exception, in English and Chinese; bad input gets a
clear message, never a traceback."""

from __future__ import annotations

import json
import math
import re

import pytest
from streamlit.testing.v1 import AppTest

from seqviz.export.code import PAGE_CODE, source_of
from seqviz.ui.page import PAGES
from seqviz.viz.static_export import static_export_available
from tests.pages.apptest_helpers import ROOT, TIMEOUT, assert_figures_export
from tests.pages.apptest_helpers import all_text as _all_text
from tests.pages.apptest_helpers import open_page as _open
from tests.pages.test_chinese_edition import assert_no_english_left

SCRIPTS = [path for path, *_ in PAGES]
GIF_BUTTONS = {"pages/5_Autoregressive.py": 2, "pages/8_Parallel.py": 1, "pages/10_Diffusion.py": 1}  # decodings


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("script", SCRIPTS)
def test_page_runs_without_exception(script, lang):
    at = _open(script, lang, code_open=True)
    assert not at.exception, at.exception
    # the code that ran, unfolded: exactly the page's listings, each the running object's own source
    address = "" if script == "app.py" else script.split("_", 1)[1].removesuffix(".py")
    listed = [source_of(listing.target).text.rstrip("\n") for listing in PAGE_CODE[address]]
    assert [block.value for block in at.code] == listed
    text = _all_text(at)
    assert ("页面" in at.sidebar.markdown[0].value) == (lang == "zh")
    if lang == "zh":  # the page itself speaks Chinese, not only the sidebar, and no English is left
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 100
        assert_no_english_left(at, script)
    page = {"app.py": "home"}.get(script) or script.split("_", 1)[1].removesuffix(".py").lower()
    figures_after_a_click = ("pages/5_Autoregressive.py", "pages/16_Explorer.py")  # tested with their clicks
    assert assert_figures_export(at, page) >= (0 if script in figures_after_a_click else 1)
    if static_export_available():  # the GIF buttons (rendered on click: tests/test_animation.py renders them)
        gifs = [button for button in at.get("download_button") if button.proto.label == "GIF"]
        assert len(gifs) == GIF_BUTTONS.get(script, 0), script


def _masks(sentence: str | None = None, **inputs) -> AppTest:
    at = _open("pages/2_Masks.py")
    if sentence is not None:
        at.text_input(key="sentence").set_value(sentence).run()
    for key, value in inputs.items():
        at.text_input(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_masks_real_scores_for_known_words():
    at = _masks("the black cat sleeps .")
    assert any("Real scores" in s.value for s in at.success)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("", "“Sentence” is empty"),
        ("   \t  ", "“Sentence” is empty"),
        ("word " * 2500, "the figures show the first 16"),
        ("我爱自然语言处理", "Seeded random scores"),
        ("😀 👍 🎉", "Seeded random scores"),
        ("مرحبا بالعالم שלום", "Seeded random scores"),
        ("<script>alert(1)</script>", "Seeded random scores"),
        ("the\x00 cat\x07 sleeps", "Invisible control characters were removed"),
        ("[MASK] [MASK] [MASK] [MASK] sleeps", "Seeded random scores"),
        ("the zebra sleeps", "zebra"),
        ("{0} %s {lang} }{", "Seeded random scores"),
    ],
)
def test_masks_bad_input_gets_a_clear_message(sentence, expected):
    at = _masks(sentence)
    assert expected in _all_text(at)


def test_masks_empty_target_and_second_sentence_are_named():
    at = _masks(target="")
    assert "“Target sentence (encoder-decoder)” is empty" in _all_text(at)


def test_masks_script_text_is_never_rendered_as_html():
    at = _masks("<script>alert(1)</script> <b>bold</b>")
    for element in at.markdown:
        assert "<script>" not in element.value or element.value.startswith("\n<style>")


@pytest.mark.parametrize(
    "order, warned", [("2 1 3 4", False), ("1 1 2", True), ("banana", True), ("4 3 2 1", False), ("1 2 3 4 5", True)]
)
def test_masks_permutation_order(order, warned):
    at = _masks("the black cat sleeps.", order=order)  # four tokens: the final period is dropped
    assert ("is not an order of positions" in _all_text(at)) == warned


def test_masks_shuffle_and_example_buttons():
    at = _masks()
    at.button[0].click().run()
    assert not at.exception
    assert at.text_input(key="order").value.count(" ") >= 1
    at.selectbox(key="example").set_value(at.selectbox(key="example").options[2]).run()
    assert not at.exception
    assert at.text_input(key="sentence").value == at.selectbox(key="example").options[2]


def test_masks_every_pipeline_choice():
    at = _masks()
    pipeline = at.selectbox(key="pipeline_mask")
    for option in pipeline.options:
        pipeline.set_value(option).run()
        assert not at.exception
        assert any("every row of the weights sums to 1.0000…1.0000" in m.value for m in at.markdown)


# ---- autoencoding page -------------------------------------------------------------------------------


def _autoencoding(sentence: str | None = None) -> AppTest:
    at = _open("pages/3_Autoencoding.py")
    if sentence is not None:
        at.text_input(key="ae_sentence").set_value(sentence).run()
    assert not at.exception, at.exception
    return at


def test_autoencoding_default_fills_the_right_context_blank():
    at = _autoencoding()
    text = _all_text(at)
    assert "Reconstructed: the **:green[" in text and "checker accepts" in text
    assert "prefers the agreeing form" in text  # both models' measured numbers are on the page
    assert len(at.get("plotly_chart")) >= 3  # bars, attention, versus


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("", "“Sentence” is empty"),
        ("   ", "“Sentence” is empty"),
        ("the cat sleeps " * 400, "the model reads at most 46"),
        ("我爱自然语言处理", "The model does not know"),
        ("😀 the cat", "The model does not know"),
        ("שלום the cat", "The model does not know"),
        ("<script>alert(1)</script>", "The model does not know"),
        ("the zebra sleeps", "“zebra”"),
        ("{0} %s", "The model does not know"),
        ("[MASK] [MASK] [MASK]", "Every word is masked"),
        ("the [mask] sleep", "Reconstructed"),
        ("THE CATS SLEEP.", "Reconstructed"),
    ],
)
def test_autoencoding_bad_input_gets_a_clear_message(sentence, expected):
    at = _autoencoding(sentence)
    text = _all_text(at) + "\n".join(e.value for e in at.error)
    assert expected in text


def test_autoencoding_no_blank_chosen_says_what_to_do():
    at = _autoencoding("the cats sleep")
    at.pills[0].set_value([]).run()
    assert not at.exception
    assert "No word is masked yet" in _all_text(at)


def test_autoencoding_clicking_words_and_strategies():
    at = _autoencoding("the small dog sees the cats")
    at.pills[0].set_value([0, 2, 5]).run()
    assert not at.exception
    for strategy in at.radio(key="ae_strategy").options:
        at.radio(key="ae_strategy").set_value(strategy).run()
        assert not at.exception and "Reconstructed" in _all_text(at)
    for view in at.radio(key="ae_view").options:
        at.radio(key="ae_view").set_value(view).run()
        assert not at.exception


def test_autoencoding_bert_rule_shows_what_happened_to_each_position():
    at = _autoencoding("the small dog sees the black cats and the girls run")
    at.button[0].click().run()
    assert not at.exception
    text = _all_text(at)
    assert "80/10/10" in text and "-background[" in text
    at.button[1].click().run()  # back to my own masks
    assert not at.exception and "-background[" not in _all_text(at)


def test_autoencoding_finetune_runs_live_and_plots_both_curves():
    at = _autoencoding()
    at.select_slider(key="ae_ft_steps").set_value(10).run()
    next(b for b in at.button if "Fine-tune" in b.label).click().run()
    assert not at.exception
    assert "held-out accuracy pre-trained" in _all_text(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert assert_figures_export(at, "autoencoding") > 1


# ---- autoregressive page -----------------------------------------------------------------------------


def _typed(script: str, key: str, text: str | None = None) -> AppTest:
    """Open a page and, when text is given, type it into the text input `key`."""
    at = _open(script)
    if text is not None:
        at.text_input(key=key).set_value(text).run()
    assert not at.exception, at.exception
    return at


def _autoregressive(prompt: str | None = None) -> AppTest:
    return _typed("pages/5_Autoregressive.py", "ar_prompt", prompt)


def test_autoregressive_next_token_grows_the_text_and_attention():
    at = _autoregressive("the small")
    assert "Press **Next token**" in _all_text(at)
    at.button(key="ar_next").click().run()
    assert not at.exception
    assert "Step 1: chose" in _all_text(at)
    at.button(key="ar_next").click().run()
    assert "Step 2: chose" in _all_text(at) and "computed 1 position" in _all_text(at)  # the KV cache at work
    at.button(key="ar_to_end").click().run()
    assert not at.exception
    assert "ended the sentence" in _all_text(at) or "context window" in _all_text(at)
    assert assert_figures_export(at, "autoregressive") >= 4  # distribution, attention, cache, beam tree
    at.button(key="ar_reset").click().run()
    assert "Press **Next token**" in _all_text(at)


def test_autoregressive_speculative_decoding_shows_rounds_and_greedy_identity():
    at = _autoregressive("the small")
    at.button(key="ar_spec_run").click().run()  # sampling (the default)
    assert not at.exception
    text = _all_text(at)
    assert (
        "Round 1:" in text
        and "target passes" in text
        and "Time per token" in text
        and "follows the target's distribution" in text
    )
    at.segmented_control(key="ar_mode").set_value("greedy").run()
    assert "Press the button" in _all_text(at)  # a setting changed: the old result is not shown
    at.slider(key="ar_spec_k").set_value(8).run()
    at.button(key="ar_spec_run").click().run()
    assert not at.exception
    assert "identical** to the target's own greedy output" in _all_text(at)


def test_autoregressive_without_cache_recomputes_the_prefix():
    at = _autoregressive("the small")
    at.toggle(key="ar_cache_on").set_value(False).run()
    at.button(key="ar_next").click().run()
    at.button(key="ar_next").click().run()
    assert "KV cache off" in _all_text(at) and "computed 4 position" in _all_text(at)


@pytest.mark.parametrize(
    "prompt, expected",
    [
        ("", "Press **Next token**"),
        ("我爱 <script> 😀 zebra", "The model does not know"),
        ("the cat " * 300, "only the last 24 are used"),
    ],
)
def test_autoregressive_bad_prompts(prompt, expected):
    at = _autoregressive(prompt)
    assert expected in _all_text(at)
    at.button(key="ar_next").click().run()
    assert not at.exception


@pytest.mark.parametrize("temperature, top_k, top_p", [(0.0, 0, 1.0), (2.0, 1, 0.0), (0.3, 50, 0.5)])
def test_autoregressive_sampling_extremes(temperature, top_k, top_p):
    at = _autoregressive()
    at.slider(key="ar_temperature").set_value(temperature)
    at.slider(key="ar_top_k").set_value(top_k)
    at.slider(key="ar_top_p").set_value(top_p).run()
    at.button(key="ar_to_end").click().run()
    assert not at.exception


def test_autoregressive_beam_width_beyond_vocabulary():
    at = _autoregressive()
    at.number_input(key="ar_beam_width").set_value(1000).run()
    assert not at.exception
    assert "wider than the vocabulary" in "\n".join(e.value for e in at.info)
    assert "Best:" in _all_text(at)


def test_autoregressive_trains_transformer_and_gru_on_pasted_text_live(monkeypatch):
    from seqviz.ui import charlm

    asked, train = [], charlm.train_char_model

    def counted(text, kind, seconds, callback):  # the chosen time reaches the trainer, which runs 40 steps here
        asked.append(seconds)
        return train(text, kind, seconds=math.inf, max_steps=40, callback=callback)

    monkeypatch.setattr(charlm, "train_char_model", counted)
    at = _autoregressive()
    at.radio(key="char_source").set_value("paste").run()
    assert at.button(key="char_train").disabled  # nothing pasted yet
    at.text_area(key="char_text").set_value("小猫睡觉。the cat sleeps.\n" * 60).run()
    at.select_slider(key="char_seconds").set_value(10).run()
    at.button(key="char_train").click().run(timeout=180)
    assert not at.exception and asked == [10, 10]
    assert "ms per character" in _all_text(at)
    assert len(at.get("download_button")) >= 2
    at.select_slider(key="char_length").set_value(512).run(timeout=120)  # long inputs: 512 characters each
    assert not at.exception
    samples = [block.value for block in at.code]
    assert len(samples) == 2 and all(len(sample) >= 400 for sample in samples)
    heatmap = next(chart for chart in at.get("plotly_chart") if "char_window_attention" in chart.proto.id)
    assert json.loads(heatmap.proto.spec)["data"][-1]["z"]["shape"] == "512, 512"  # the last 512 characters
    assert assert_figures_export(at, "autoregressive") >= 2  # the loss curves and the attention


def test_autoregressive_too_little_text_gets_a_clear_message():
    at = _autoregressive()
    at.radio(key="char_source").set_value("paste").run()
    at.text_area(key="char_text").set_value("too short").run()
    at.button(key="char_train").click().run()
    assert not at.exception
    assert "needs at least" in "\n".join(e.value for e in at.error)


def test_autoregressive_live_grammar_check_follows_the_settings():
    at = _autoregressive()
    at.button(key="ar_check").click().run()
    assert not at.exception
    text = _all_text(at)
    assert "of 20** sentences" in text
    assert text.count("[**✓**]") + text.count("[**✗**]") == 20
    at.segmented_control(key="ar_mode").set_value("greedy").run()
    assert "of 20** sentences" not in _all_text(at)  # a result is never shown under other settings
    at.button(key="ar_check").click().run()
    lines = [line for e in at.markdown for line in str(e.value).split("  \n") if line.startswith((":green", ":red"))]
    assert len(lines) == 20 and len(set(lines)) == 1  # greedy: the same sentence every time


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("latin1.txt", "café crème, s'il vous plaît. ".encode("latin-1") * 40, "not valid UTF-8"),
        ("empty.txt", b"", "The text is empty"),
        ("huge.txt", b"a" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_autoregressive_bad_text_uploads_get_a_clear_message(name, content, expected):
    at = _autoregressive()
    at.radio(key="char_source").set_value("upload").run()
    at.file_uploader(key="char_upload").set_value((name, content, "text/plain")).run()
    assert not at.exception, at.exception
    messages = "\n".join(e.value for e in [*at.warning, *at.info, *at.error])
    assert expected in messages
    if expected != "not valid UTF-8":
        assert at.button(key="char_train").disabled


def test_autoregressive_model_upload_loads_ours_and_refuses_others(tmp_path):
    import zipfile

    from seqviz.models.checkpoint import CONFIG, METRICS, WEIGHTS, load_builtin, save_checkpoint
    from seqviz.training.charlm import to_bytes, train_char_model

    at = _autoregressive()
    uploader = at.file_uploader(key="char_model_upload")
    uploader.set_value(("notes.zip", b"not a zip at all", "application/zip")).run()
    assert "not a seqviz model file" in "\n".join(e.value for e in at.error)

    save_checkpoint(tmp_path, load_builtin("toy_clm"))  # a word model: another page's
    with zipfile.ZipFile(tmp_path / "word.zip", "w") as archive:
        for name in (WEIGHTS, CONFIG, METRICS):
            archive.write(tmp_path / name, name)
    at.file_uploader(key="char_model_upload").set_value(
        ("word.zip", (tmp_path / "word.zip").read_bytes(), "application/zip")
    ).run()
    assert "saved by another page" in "\n".join(e.value for e in at.error)

    gru = train_char_model("the cat sleeps. the dog runs. " * 40, "gru", seconds=5, max_steps=20)
    at.file_uploader(key="char_model_upload").set_value(("gru.zip", to_bytes(gru), "application/zip")).run()
    assert not at.exception, at.exception
    assert not at.error
    assert "Loaded a GRU" in "\n".join(e.value for e in at.success)
    assert "ms per character" in _all_text(at)  # the loaded model joins the comparison
    at.run()
    assert "Loaded a GRU" not in "\n".join(e.value for e in at.success)  # loaded (and timed) once, not per rerun


# ---- sequence-to-sequence page ------------------------------------------------------------------------


def _seq2seq(sentence: str | None = None) -> AppTest:
    return _typed("pages/7_Seq2Seq.py", "s2s_sentence", sentence)


def test_seq2seq_translates_with_three_models_and_steps_the_decoder():
    at = _seq2seq("The black cat sleeps.")
    text = _all_text(at)
    assert "Normalised to: *the black cat sleeps*" in text
    assert "le chat noir dort" in text  # the reference, and the Transformer's own translation
    assert text.count("✓ correct") >= 2  # Transformer and Bahdanau get it right
    assert "Press **Next token**" in text
    at.button(key="s2s_next").click().run()
    assert "Decoder passes: **1**" in _all_text(at) and "Step 1 wrote **le**" in _all_text(at)
    at.button(key="s2s_to_end").click().run()
    assert not at.exception
    assert "translation finished" in "\n".join(e.value for e in at.success)
    at.button(key="s2s_reset").click().run()
    assert "Press **Next token**" in _all_text(at)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("", "Type an English sentence"),
        ("the zebra sleeps", "do not know “zebra”"),
        ("the cat, sleeps!", "Punctuation ignored: ,"),
        ("the cat sleeps and the dog runs " * 6, "Only the first 35"),
        ("cat the sleeps", "not a sentence of the toy language"),
        ("<script>alert(1)</script> 猫", "do not know"),
    ],
)
def test_seq2seq_bad_input_gets_a_clear_message(sentence, expected):
    at = _seq2seq(sentence)
    assert expected in _all_text(at)


def test_seq2seq_heads_layers_recompute_and_digits():
    at = _seq2seq()
    at.segmented_control(key="s2s_head").set_value("H2").run()
    at.select_slider(key="s2s_layer").set_value(1).run()
    assert not at.exception
    at.segmented_control(key="s2s_digits_task").set_value("sort").run()
    at.text_input(key="s2s_digits").set_value("9 8 7 1 2 3").run()
    assert "Output: **1 2 3 7 8 9** :green[**✓**]" in _all_text(at)
    at.text_input(key="s2s_digits").set_value("12").run()
    assert "Type 3 to 12 digits" in "\n".join(e.value for e in at.warning)
    at.button(key="s2s_recompute").click().run(timeout=300)
    assert not at.exception
    assert "Measured just now" in _all_text(at)


# ---- parallel decoding page ----------------------------------------------------------------------------


def test_parallel_four_decoders_side_by_side_with_passes_and_times():
    at = _open("pages/8_Parallel.py")
    assert not at.exception, at.exception
    text = _all_text(at)
    assert len(re.findall(r"\d+ decoder pass(es)?\b", text)) == 4 and "ms**" in text
    assert len(re.findall(r"· 1 decoder pass\b(?!es)", text)) >= 2  # NAT and CTC: one pass, said in the singular
    assert "Raw path (" in text and "Collapsed:" in text
    assert "The raw-trained NAT mixed translations in **" in text  # held-out sentences it mixed, each marked wrong
    assert text.count("raw data (random synonyms): :red[✗]") == 3
    for iterations in (1, 3):
        at.slider(key="par_iterations").set_value(iterations).run()
        assert not at.exception
        assert f"Mask-predict (T = {iterations})" in _all_text(at)
    at.segmented_control(key="par_data").set_value("raw").run()
    assert not at.exception


@pytest.mark.parametrize("length, expected", [(7, "Length forced to 7"), (100, "outside what the models can write")])
def test_parallel_length_outside_the_trained_range_gets_a_clear_message(length, expected):
    at = _open("pages/8_Parallel.py")
    at.number_input(key="par_length").set_value(length).run()
    assert not at.exception, at.exception
    assert expected in _all_text(at)


def test_parallel_bad_sentence_gets_the_seq2seq_messages():
    at = _typed("pages/8_Parallel.py", "s2s_sentence", "the zebra, sleeps")
    assert "do not know “zebra”" in _all_text(at) and "Punctuation ignored" in _all_text(at)
    at.text_input(key="s2s_sentence").set_value("").run()
    assert not at.exception and "Type an English sentence" in _all_text(at)


def test_parallel_speed_measurement_runs_and_reports_ratios(monkeypatch):
    from seqviz.ui import parallel

    monkeypatch.setattr(parallel, "SPEED_LENGTHS", (4, 8))  # the page measures 8–64 tokens; this only checks the path
    monkeypatch.setattr(parallel, "SPEED_BATCHES", (1, 2))
    monkeypatch.setattr(parallel, "RATIO_LENGTH", 8)
    at = _open("pages/8_Parallel.py")
    at.button(key="par_measure").click().run(timeout=300)
    assert not at.exception, at.exception
    text = _all_text(at)
    assert "At 8 tokens, batch 1: NAT" in text and "At 8 tokens, batch 2" in text and "Measured on" in text
    assert len(at.table) == 2  # the quality table and the per-pass table


def test_positions_page_shuffles_a_sentence_and_shows_the_blind_model_does_not_notice():
    at = _open("pages/13_Positions.py")
    assert not at.exception
    assert "Press “Shuffle the words”" in "\n".join(c.value for c in at.caption)
    next(b for b in at.button if b.label == "Shuffle the words").click().run()
    assert not at.exception
    success = "\n".join(s.value for s in at.success)
    assert "every output is the same, only permuted" in success
    difference = float(success.split("outputs: ")[1].split(")")[0])
    assert difference < 1e-4
    assert "the model notices the shuffle" in "\n".join(i.value for i in at.info)
    rows = at.dataframe[0].value
    assert len(rows) == 4  # with and without positions, each in both orders
    blind = rows[rows.iloc[:, 0] == "positions removed"]
    assert blind.iloc[0, 3] == blind.iloc[1, 3]  # the same top 3 for the blank, whatever the order
    assert "RoPE score varies by at most" in _all_text(at)


@pytest.mark.parametrize("lang", ["zh"])  # every page's descriptions in both languages: test_page_runs_...
def test_figures_as_text_show_each_description_and_its_data(lang):
    """With "figures as text and tables" on (?text=1, or the sidebar's switch), every figure's description
    shows on the page, and under the figure its numbers as a table: a mask's table has its words as rows."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(lang=lang, text="1")
    at.run()
    at.switch_page("pages/2_Masks.py").run()
    assert not at.exception, at.exception
    figures = len(at.get("plotly_chart"))
    shown = [h.proto.body for h in at.get("html") if 'class="seqviz-alt seqviz-alt-shown' in h.proto.body]
    assert figures >= 10 and len(shown) == figures and at.sidebar.toggle(key="text_widget").value
    tables = [table.value for table in at.dataframe]
    assert len(tables) >= figures
    words = "the black cat sleeps".split()
    assert any(list(table.iloc[:, 0]) == words for table in tables), [list(t.iloc[:, 0]) for t in tables[:3]]
    at.sidebar.toggle(key="text_widget").set_value(False).run()  # off: the descriptions are for screen readers
    assert not [h for h in at.get("html") if 'class="seqviz-alt seqviz-alt-shown' in h.proto.body]
    assert len(at.dataframe) <= len(tables) - figures
