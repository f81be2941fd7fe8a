"""The recurrent page as a user drives it: its numbers are the models' own (the agreement shares of the
typed sentence, the gradient's reach, the LSTM's gates), every control reruns cleanly in both languages, and
sentences without agreement, outside the toy language or too short get a clear message."""

from __future__ import annotations

import json

import pytest
import torch

from seqviz.data.agreement import sentence_cases
from seqviz.explain.reach import gradient_reach, per_step_factor
from seqviz.models.checkpoint import load_builtin
from seqviz.training.evaluation import preference_log_odds
from seqviz.ui.recurrent import DEFAULT_SENTENCE
from tests.pages.apptest_helpers import all_text, assert_figures_export, open_page

PAGE = "pages/6_Recurrent.py"
MODELS = ("toy_rnn_lm", "toy_lstm_lm", "toy_gru_lm", "toy_clm")
NAMES = ("plain RNN", "LSTM", "GRU", "Transformer")


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    return at


def _table(at, first_header: str):
    return next(t.value for t in at.table if t.value.columns[0] == first_header)


def _figure(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_every_figure_exports(page):
    # agreement against distance, the gradient's reach, the units over the sentence
    assert assert_figures_export(page, "recurrent") == 3


def test_the_verbs_of_the_sentence_are_scored_by_each_model(page):
    table = _table(page, "verb (right / wrong form)")
    assert list(table["verb (right / wrong form)"]) == ["see / sees", "does / do"]
    assert list(table["its subject"]) == ["dogs", "girl"] and list(table["words back"]) == [6, 10]
    cases = sentence_cases(DEFAULT_SENTENCE.split())
    items = [(c.words, c.verb, c.right, c.wrong) for c in cases]
    for model, name in zip(MODELS, NAMES, strict=True):
        ckpt = load_builtin(model)
        shares = torch.sigmoid(preference_log_odds(ckpt.model, ckpt.vocab, items, "clm"))
        shown = [float(cell.split("%")[0]) / 100 for cell in table[name]]
        assert shown == pytest.approx(shares.tolist(), abs=6e-4), name
        assert [cell.endswith("✓") for cell in table[name]] == (shares > 0.5).tolist()


def test_agreement_by_distance_is_the_recorded_curve_and_its_measure_switches(page):
    lines = _figure(page, 0)["data"]
    assert [line["name"] for line in lines] == list(NAMES)
    assert lines[0]["y"] == [
        b["accuracy"] for b in load_builtin("toy_rnn_lm").metrics["agreement_by_distance"].values()
    ]
    page.segmented_control(key="rnn_measure").set_value("right_share").run()
    lines = _figure(page, 0)["data"]
    assert lines[3]["y"] == [
        b["right_share"] for b in load_builtin("toy_clm").metrics["agreement_by_distance"].values()
    ]
    assert "probability of the right form" in json.dumps(_figure(page, 0)["layout"]["yaxis"])
    assert "Eight or more words back the right form wins for the plain RNN in" in all_text(page)


def test_the_gradients_reach_is_measured_at_the_verb_and_at_initialisation(page):
    figure = _figure(page, 1)
    assert "“does”" in figure["layout"]["title"]["text"] and figure["layout"]["shapes"][0]["x0"] == 9  # girl: 9 back
    ckpt = load_builtin("toy_rnn_lm")
    ids = torch.tensor([ckpt.vocab.bos_id, *ckpt.vocab.encode(DEFAULT_SENTENCE.split())])
    expected = gradient_reach(ckpt.model, ids, 11)
    assert figure["data"][0]["y"] == pytest.approx(expected, rel=1e-5)
    factors = _table(page, "model")  # the first table headed "model" is the models' table
    reach = next(t.value for t in page.table if "kept per step back, this sentence" in t.value.columns)
    assert float(reach["kept per step back, this sentence"][0]) == pytest.approx(per_step_factor(expected), abs=0.006)
    assert list(factors["model"]) == list(NAMES)
    page.segmented_control(key="rnn_when").set_value("initial").run()
    assert not page.exception
    reach = next(t.value for t in page.table if "kept per step back, this sentence" in t.value.columns)
    initial = [float(x) for x in reach["kept per step back, this sentence"]]
    assert max(initial[:3]) < 0.75 and initial[3] > 0.9  # recurrent: vanishing; the Transformer: level
    assert "at initialisation" in _figure(page, 1)["layout"]["title"]["text"]
    page.segmented_control(key="rnn_when").set_value("trained").run()


def test_the_lstms_number_units_and_gates_then_the_plain_rnn(page):
    text = all_text(page)
    assert "whose cell state c changes most when “girl” changes number" in text
    assert "these units' forget gates average" in text
    assert len(_figure(page, 2)["data"]) == 4  # h, c, forget, input
    page.segmented_control(key="rnn_inside_model").set_value("toy_rnn_lm").run()
    page.segmented_control(key="rnn_layer").set_value(2).run()
    assert not page.exception and len(_figure(page, 2)["data"]) == 1  # a plain RNN has only h
    assert "plain RNN, layer 2" in _figure(page, 2)["layout"]["title"]["text"]
    assert "forget gates average" not in all_text(page)


def test_the_time_per_word_is_measured_for_all_four(page):
    table = _table(page, "model")
    timing = next(t.value for t in page.table if "ms per word" in t.value.columns)
    assert list(timing["model"]) == list(NAMES) and all(float(ms) > 0 for ms in timing["ms per word"])
    assert list(timing["numbers carried after 30 words"]) == ["864", "896", "512", "30,720"]
    assert "median of" in all_text(page) and len(table) == 4


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("the fish often swims", "No verb of this sentence is decided by a subject before it"),
        ("cat the sleeps dogs", "This is not a sentence of the toy language"),
        ("the zebra sleeps", "zebra"),
        ("blorp", "at least two known words"),
        ("", "at least two known words"),
        ("the cat", "at least four words"),
    ],
)
def test_sentences_without_agreement_or_language_are_told_so(sentence, expected):
    at = open_page(PAGE)
    at.text_input(key="rnn_sentence").set_value(sentence).run()
    assert not at.exception, at.exception
    assert expected in all_text(at)


def test_the_chinese_page_shows_the_same_measurements():
    at = open_page(PAGE, "zh")
    assert not at.exception, at.exception
    table = next(t.value for t in at.table if "它的主语" in t.value.columns)
    assert list(table["相隔词数"]) == [6, 10] and list(table.columns[3:]) == ["普通 RNN", "LSTM", "GRU", "Transformer"]
    text = all_text(at)
    assert "曲线说明了什么" in text and "此处实测" in text
    assert "预测“does”的损失" in _figure(at, 1)["layout"]["title"]["text"]
