"""The load generator's sessions (seqviz/load/protocol.py): they read Streamlit's ForwardMsgs right, send the
BackMsgs a browser sends, and drive a tiny app — typing, sliding and clicking — to the results a browser
would see."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from seqviz.deploy.servers import own_server
from seqviz.load.protocol import Run, Session, note, rerun_message, run_sessions, stream_url, user_key

TINY_APP = Path(__file__).with_name("tiny_app.py")


def _element(kind: str, **fields) -> ForwardMsg:
    message = ForwardMsg()
    element = getattr(message.delta.new_element, kind)
    for name, value in fields.items():
        setattr(element, name, value)
    return message


def _finished(status: str) -> ForwardMsg:
    message = ForwardMsg()
    message.script_finished = ForwardMsg.ScriptFinishedStatus.Value(status)
    return message


def test_a_run_notes_texts_widgets_exceptions_and_ends_at_the_last_finish():
    run, widgets = Run("open home"), {}
    title = ForwardMsg()
    title.page_config_changed.title = "seqviz · Masks"
    messages = [
        title,
        _element("markdown", body="hello"),
        _element("text_input", id="$$ID-1f2e-sentence", label="Sentence"),
        _element("button", id="$$ID-9a9a-None", label="no key"),
        _element("exception", type="ValueError", message="bad"),
        _finished("FINISHED_EARLY_FOR_RERUN"),  # a rerun began: the run goes on
    ]
    assert not any(note(run, m, widgets) for m in messages)
    assert note(run, _finished("FINISHED_SUCCESSFULLY"), widgets)
    assert run.title == "seqviz · Masks" and run.texts == ["hello"]
    assert widgets == {"sentence": "$$ID-1f2e-sentence"}  # a widget without a key cannot be driven by name
    assert run.exceptions == ["ValueError: bad"] and not run.ok
    assert run.elements["markdown"] == 1 and run.elements["text_input"] == 1


def test_the_rerun_message_carries_the_page_query_and_widget_values():
    assert user_key("$$ID-ab12-my-key") == "my-key" and user_key("$$ID-ab12-None") is None
    assert stream_url("http://127.0.0.1:8501/") == "ws://127.0.0.1:8501/_stcore/stream"
    message = BackMsg()
    message.ParseFromString(rerun_message("Masks", "lang=zh", [WidgetState(id="$$ID-1-s", string_value="x")]))
    rerun = message.rerun_script
    assert (rerun.page_name, rerun.query_string) == ("Masks", "lang=zh")
    assert [(w.id, w.string_value) for w in rerun.widget_states.widgets] == [("$$ID-1-s", "x")]


@pytest.fixture(scope="module")
def tiny_server():
    with own_server(("-m", "streamlit", "run", str(TINY_APP)), timeout_s=60) as (url, _):
        yield url


def test_a_session_types_slides_and_clicks_as_a_browser_would(tiny_server):
    async def lesson():
        async with Session(tiny_server, timeout_s=30) as session:
            runs = [
                await session.open(""),
                await session.type("name", "class"),
                await session.set_slider("times", 4),  # the typed name is kept
                await session.click("shout"),
                await session.click("shout"),
                await session.set_slider("times", 3),  # a click counts once, not on later runs
                await session.type("name", "boom"),
            ]
            with pytest.raises(KeyError, match="no widget with the key 'nope'.*'name'"):
                await session.click("nope")
            return runs

    runs = run_sessions(lesson())
    texts = [run.texts[-1] for run in runs[:-1]]
    assert texts == [
        "hello world × 2, shouts 0",
        "hello class × 2, shouts 0",
        "hello class × 4, shouts 0",
        "hello class × 4, shouts 1",
        "hello class × 4, shouts 2",
        "hello class × 3, shouts 2",
    ]
    assert all(run.ok and run.seconds > 0 for run in runs[:-1])
    assert runs[-1].exceptions == ["ValueError: boom"]  # the app's exception box, reported, not raised


def test_sessions_are_independent(tiny_server):
    async def two():
        async with Session(tiny_server, timeout_s=30) as a, Session(tiny_server, timeout_s=30) as b:
            await a.open("")
            await b.open("")
            await a.type("name", "alice")
            return (await b.click("shout")).texts[-1], (await a.click("shout")).texts[-1]

    b_text, a_text = run_sessions(two())
    assert b_text == "hello world × 2, shouts 1" and a_text == "hello alice × 2, shouts 1"


def test_the_load_command_refuses_bad_levels_and_tabulates_a_report(capsys):
    from seqviz.load.__main__ import main, markdown

    assert main(["--sessions", "0"]) == 2 and "at least 1" in capsys.readouterr().err
    level = {
        "sessions": 3,
        "think_s": 2.0,
        "interactions": {"p50_ms": 80.0, "p95_ms": 200.0, "max_ms": 250.0},
        "by_interaction": {"next token": {"p95_ms": 90.0}, "move a slider": {"p95_ms": 210.0}},
        "failed_runs": 0,
        "failed_sessions": [],
        "server": {"cpu_share_of_one_core": 0.4, "rss_peak_mb": 600.0},
    }
    table = markdown({"levels": [level]}).splitlines()
    assert table[0].startswith("| students | think (s) | p50 ms | p95 ms")
    assert table[2] == "| 3 | 2 | 80.0 | 200.0 | 250.0 | 90.0 | 210.0 | 0.4 | 600.0 | 0 |"


def test_the_chart_draws_both_percentiles_against_students_and_the_goal():
    from seqviz.load.__main__ import GOAL_P95_MS, chart

    levels = [
        {"sessions": n, "interactions": {"p50_ms": p50, "p95_ms": p95}}
        for n, p50, p95 in ((10, 90, 600), (30, 500, 9900))
    ]
    other = [{**level, "sessions": 2 * level["sessions"]} for level in levels]
    figure = chart({"one server": {"levels": levels}, "two replicas": {"levels": other}}, cores=2)
    names = ["one server: p95", "one server: p50", "two replicas: p95", "two replicas: p50"]
    assert [trace.name for trace in figure.data] == names
    assert list(figure.data[0].x) == [10, 30] and list(figure.data[0].y) == [600, 9900]
    assert list(figure.data[2].x) == [20, 60] and list(figure.layout.xaxis.tickvals) == [10, 20, 30, 60]
    assert figure.layout.yaxis.type == "log" and figure.layout.shapes[0].y0 == GOAL_P95_MS


def test_a_widget_inside_a_fragment_reruns_the_fragment_alone(tiny_server):
    async def clicks():
        async with Session(tiny_server, timeout_s=30) as session:
            opened = await session.open("")
            return opened, await session.click("count"), await session.type("name", "again")

    opened, counted, typed = run_sessions(clicks())
    assert opened.finished == "FINISHED_SUCCESSFULLY" and opened.texts[0] == "counted 0"
    assert counted.ok and counted.finished == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
    assert counted.texts == ["counted 1"]  # the page's own text was not drawn again
    assert typed.finished == "FINISHED_SUCCESSFULLY" and typed.texts == ["counted 1", "hello again × 2, shouts 0"]


def test_the_cost_of_a_page_is_read_per_interaction(tiny_server):
    from seqviz.load.pages import PageInteraction
    from seqviz.load.per_page import page_cost

    own = PageInteraction("", "type a name", "type", "name")
    cost = run_sessions(page_cost(tiny_server, [], own, repeats=3, warmup=1))  # no pid: CPU reads as zero
    assert cost == {
        "interaction": "type a name",
        "first_open_cpu_s": 0,
        "open_cpu_s": 0,
        "cpu_s_median": 0,
        "cpu_s_max": 0,
        "runs": 3,
    }
