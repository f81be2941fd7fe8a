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
    # agreement against distance, the gradient's reach, the units over the sentence; recall: accuracy, reach
    assert assert_figures_export(page, "recurrent") == 5


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


# ---- recall over distance ----------------------------------------------------------------------------------

RECALL = ("recall_rnn", "recall_lstm", "recall_gru", "recall_transformer", "recall_transformer_rope",
          "recall_transformer_nope")  # fmt: skip
RECALL_NAMES = ("plain RNN", "LSTM", "GRU", "Transformer (learned positions)", "Transformer (RoPE)",
                "Transformer (no positions)")  # fmt: skip


def _recall_figure(at, title: str) -> dict:
    return next(f for f in map(json.loads, (c.proto.spec for c in at.get("plotly_chart"))) if title in json.dumps(f))


def test_recall_accuracy_is_the_recorded_curve_of_all_six(page):
    figure = _recall_figure(page, "Is the value L tokens back recalled?")
    assert [line["name"] for line in figure["data"]] == list(RECALL_NAMES)
    for line, name in zip(figure["data"], RECALL, strict=True):
        recorded = load_builtin(name).metrics["accuracy"]
        assert line["x"] == [int(L) for L in recorded] and line["y"] == list(recorded.values())
    text = all_text(page)
    assert "Recall over distance" in text and "500 new sequences per L" in text
    assert "What to look at." in text
    table = _table(page, "model")  # the first models' table; the recall one follows
    recall_table = next(t.value for t in page.table if "training budget" in t.value.columns)
    assert list(recall_table["model"]) == list(RECALL_NAMES) and len(table) == 4
    assert set(recall_table["training budget"]) == {"2,000 steps × 64 sequences"}
    beyond = next(t.value for t in page.table if "L = 256" in t.value.columns)
    assert list(beyond["model"][:3]) == list(RECALL_NAMES[3:])


def test_recall_reach_is_recorded_at_initialisation_and_switches_to_trained(page):
    title = "The answer's gradient, k steps back"
    figure = _recall_figure(page, title)
    recorded = {name: load_builtin(name).metrics["gradient_reach"] for name in RECALL}
    assert "at initialisation" in figure["layout"]["title"]["text"] and len(figure["data"]) == 6
    for line, name in zip(figure["data"], RECALL, strict=True):
        assert line["y"] == [v for v in recorded[name]["initial"] if v > 0]
    assert figure["layout"]["shapes"][0]["x0"] == recorded["recall_rnn"]["distance"]  # the value's step
    page.segmented_control(key="rec_when").set_value("trained").run()
    assert not page.exception
    figure = _recall_figure(page, title)
    assert "trained" in figure["layout"]["title"]["text"]
    assert figure["data"][0]["y"] == [v for v in recorded["recall_rnn"]["trained"] if v > 0]
    ratios = next(t.value for t in page.table if "reaching the value ÷ at the question, trained" in t.value.columns)
    assert list(ratios["model"]) == list(RECALL_NAMES)
    page.segmented_control(key="rec_when").set_value("initial").run()


def _example_table(at):
    return next(t.value for t in at.table if "probability of the right value" in t.value.columns)


def test_the_live_example_is_each_models_own_answer_and_a_new_draw_changes_it(page):
    from seqviz.data.recall import example_sequence, recall_vocab
    from seqviz.training.recall_evaluation import recall_answers

    page.number_input(key="rec_distance").set_value(16).run()
    assert not page.exception
    table = _example_table(page)
    assert list(table["model"]) == list(RECALL_NAMES)
    vocab = recall_vocab()
    ids = example_sequence(16, 0, vocab)
    for name, cell, right in zip(RECALL, table["answer"], table["probability of the right value"], strict=True):
        ckpt = load_builtin(name)
        answer, _, p_right = recall_answers(ckpt.model, ckpt.vocab, ids[None])
        assert cell.split()[0] == vocab.token(int(answer[0]))
        assert float(right.rstrip("%")) / 100 == pytest.approx(float(p_right[0]), abs=6e-4)
    assert f"the right answer is **{vocab.token(int(ids[-1 - 16]))}**" in "".join(m.value for m in page.markdown)
    page.button(key="rec_draw").click().run()
    assert not page.exception and "L = 16" in all_text(page)
    page.number_input(key="rec_distance").set_value(200).run()
    assert "beyond every model's training range" in all_text(page)
    page.number_input(key="rec_distance").set_value(32).run()


def test_the_chinese_recall_section_shows_the_same_measurements():
    at = open_page(PAGE, "zh")
    assert not at.exception, at.exception
    text = all_text(at)
    assert "跨距离回忆" in text and "看点" in text
    table = next(t.value for t in at.table if "训练预算" in t.value.columns)
    assert list(table["模型"]) == ["普通 RNN", "LSTM", "GRU", "Transformer（学习的位置编码）", "Transformer（RoPE）",
                                   "Transformer（无位置编码）"]  # fmt: skip
    at.number_input(key="rec_distance").set_value(256).run()
    assert not at.exception and "超出了所有模型的训练范围" in all_text(at)
