"""Shared-server mode (seqviz.shared): the setting and its flags, the Explorer's allowed folder (models by
name, no path answered about, no download), and the limits on live training (server-wide slots, a
per-session rate), in the library and on the pages."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from seqviz import shared
from seqviz.device import serving_threads
from seqviz.explorer.loading import NOT_OFFERED, ExplorerError, NotOffered, allowed_models, resolve_allowed
from seqviz.shared import SharedMode
from seqviz.training.slots import TrainingSlots, may_start, server_slots
from seqviz.ui import serve
from tests.pages.apptest_helpers import all_text, open_page

VARIABLES = (shared.SHARED, shared.MODELS, shared.TRAINING_SLOTS, shared.TRAININGS_PER_SESSION)


@pytest.fixture
def environment(monkeypatch):
    """A clean environment for the mode (restored afterwards), and current() read afresh on both sides."""
    for name in VARIABLES:  # set, then removed: undone, monkeypatch removes what a test set directly too
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    shared.current.cache_clear()
    yield monkeypatch
    shared.current.cache_clear()


def shared_server(monkeypatch, models: Path | None = None, **limits: str) -> SharedMode:
    monkeypatch.setenv(shared.SHARED, "1")
    if models is not None:
        monkeypatch.setenv(shared.MODELS, str(models))
    for name, value in limits.items():
        monkeypatch.setenv(name, value)
    shared.current.cache_clear()
    return shared.current()


# ---- the setting ------------------------------------------------------------------------------------


def test_off_by_default_and_off_means_no_limits():
    assert SharedMode.from_environment({}) == SharedMode()
    off = SharedMode.from_environment({shared.TRAINING_SLOTS: "1", shared.MODELS: "/srv/models"})
    assert not off.on and off.models is None and off.training_slots is None and off.trainings_per_session is None


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), (" YES ", True), ("on", True), ("0", False)])
def test_the_switch_reads_the_usual_spellings(value, on):
    assert SharedMode.from_environment({shared.SHARED: value}).on is on


@pytest.mark.parametrize("value", ["", "maybe", "2", "off", "no"])
def test_any_other_switch_value_is_off(value):
    assert SharedMode.from_environment({shared.SHARED: value}) == SharedMode()


def test_on_reads_the_folder_and_the_limits(tmp_path):
    mode = SharedMode.from_environment(
        {
            shared.SHARED: "1",
            shared.MODELS: str(tmp_path),
            shared.TRAINING_SLOTS: "5",
            shared.TRAININGS_PER_SESSION: "7",
        }
    )
    assert (mode.on, mode.models, mode.training_slots, mode.trainings_per_session) == (True, tmp_path, 5, 7)
    assert mode.training_window_s == 600


def test_on_with_nothing_else_takes_the_defaults():
    mode = SharedMode.from_environment({shared.SHARED: "1"})
    assert mode.models == shared.app_folder() / "models"  # beside app.py
    assert (mode.training_slots, mode.trainings_per_session) == (shared.DEFAULT_TRAINING_SLOTS, 3)


@pytest.mark.parametrize("bad", ["", "many", "-1", "0", "2.5", " ", "1e3"])
def test_a_limit_that_cannot_be_used_takes_the_default(bad):
    mode = SharedMode.from_environment(
        {shared.SHARED: "1", shared.TRAINING_SLOTS: bad, shared.TRAININGS_PER_SESSION: bad}
    )
    assert (mode.training_slots, mode.trainings_per_session) == (shared.DEFAULT_TRAINING_SLOTS, 3)


def test_current_reads_the_environment_once(environment):
    assert shared.current() == SharedMode()
    environment.setenv(shared.SHARED, "1")
    assert not shared.current().on  # cached: the server's mode does not change under its sessions
    shared.current.cache_clear()
    assert shared.current().on and shared.current() is shared.current()


def test_the_flags_set_the_environment_and_leave_streamlit_its_options(environment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rest = serve.shared_options(
        ["--server.port", "8600", "--shared", "--models", "here", "--training-slots", "4", "--server.headless", "true"]
    )
    assert rest == ["--server.port", "8600", "--server.headless", "true"]
    assert os.environ[shared.SHARED] == "1" and os.environ[shared.TRAINING_SLOTS] == "4"
    assert os.environ[shared.MODELS] == str(tmp_path / "here")  # absolute: the server runs from app.py's folder
    assert shared.TRAININGS_PER_SESSION not in os.environ
    mode = shared.current()
    assert mode.on and mode.models == tmp_path / "here" and (mode.training_slots, mode.trainings_per_session) == (4, 3)


def test_without_flags_everything_goes_to_streamlit(environment):
    assert serve.shared_options(["--server.port", "8600"]) == ["--server.port", "8600"]
    assert not any(name in os.environ for name in VARIABLES) and not shared.current().on


@pytest.mark.parametrize("argv", [["--models", "m"], ["--training-slots", "2"], ["--shared", "--training-slots", "0"]])
def test_flags_that_make_no_sense_stop_the_start(environment, argv, capsys):
    with pytest.raises(SystemExit):
        serve.shared_options(argv)
    assert "seqviz: error" in capsys.readouterr().err and shared.SHARED not in os.environ


def test_one_torch_thread_per_process_on_a_shared_server(monkeypatch):
    monkeypatch.delenv("SEQVIZ_THREADS", raising=False)
    assert serving_threads(8, shared=True) == 1 and serving_threads(8) == 4
    monkeypatch.setenv("SEQVIZ_THREADS", "3")
    assert serving_threads(8, shared=True) == 3  # the explicit override still wins


# ---- the Explorer's allowed folder ------------------------------------------------------------------


@pytest.fixture
def offered(tmp_path) -> Path:
    """models/ with two model folders (one reached by a link inside), next to things that must not be offered."""
    models, outside = tmp_path / "models", tmp_path / "outside"
    for folder in (models / "tiny-bert", models / ".hidden", outside / "secret"):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text("{}")
    (models / "no-config").mkdir()
    (models / "notes.txt").write_text("not a model")
    (models / "alias").symlink_to(models / "tiny-bert")
    (models / "link-out").symlink_to(outside / "secret")
    (models / "loop").symlink_to(models / "loop")
    return models


def test_the_folder_offers_its_model_folders_by_name(offered):
    assert allowed_models(offered) == ["alias", "tiny-bert"]
    assert allowed_models(offered.parent / "nowhere") == [] and allowed_models(None) == []
    assert resolve_allowed("tiny-bert", offered) == (offered / "tiny-bert").resolve()
    assert resolve_allowed("alias", str(offered)) == (offered / "tiny-bert").resolve()


@pytest.mark.parametrize(
    "name",
    [
        "../outside/secret",  # climbs out
        "..",
        ".",
        "/etc",  # an absolute path that exists
        "/no/such/folder/anywhere",  # and one that does not
        "ABSOLUTE_MODEL",  # the absolute path of a real model folder of the allowed folder
        "tiny-bert/../tiny-bert",
        "tiny-bert/",
        "link-out",  # a link pointing out of the folder
        "loop",
        ".hidden",
        "no-config",
        "notes.txt",
        "missing",
        "bert-base-uncased",  # a hub id
        "prajjwal1/bert-tiny",
        "C:\\models\\x",
        "tiny-bert\0",
        "",
        "~",
    ],
)
def test_every_other_name_gets_one_message_that_says_nothing_about_the_server(offered, name):
    if name == "ABSOLUTE_MODEL":
        name = str((offered / "tiny-bert").resolve())
    with pytest.raises(NotOffered) as refused:
        resolve_allowed(name, offered)
    assert str(refused.value) == NOT_OFFERED and isinstance(refused.value, ExplorerError)


def test_no_folder_offers_nothing(tmp_path):
    with pytest.raises(NotOffered, match=NOT_OFFERED):
        resolve_allowed("tiny-bert", tmp_path / "nowhere")


# ---- live training limits ---------------------------------------------------------------------------


class Stopped(BaseException):
    """Like Streamlit's StopException and RerunException: not an Exception."""


def test_one_slot_refuses_a_second_training_until_the_first_ends():
    slots = TrainingSlots(1)
    holding, release = threading.Event(), threading.Event()

    def student():
        with slots.slot() as granted:
            assert granted
            holding.set()
            release.wait(5)

    other = threading.Thread(target=student)
    other.start()
    assert holding.wait(5)
    with slots.slot() as granted:
        assert not granted and slots.busy == 1
    with slots.slot() as granted:  # a refusal gives nothing back that it did not take
        assert not granted
    release.set()
    other.join(5)
    assert slots.busy == 0
    with slots.slot() as granted:
        assert granted and slots.busy == 1


@pytest.mark.parametrize("error", [RuntimeError, Stopped])
def test_a_slot_is_given_back_when_the_training_fails_or_is_stopped(error):
    slots = TrainingSlots(1)
    with pytest.raises(error):
        with slots.slot() as granted:
            assert granted
            raise error()
    assert slots.busy == 0
    with slots.slot() as granted:
        assert granted


def test_a_slot_limit_is_positive():
    with pytest.raises(ValueError):
        TrainingSlots(0)


def test_sessions_asking_at_once_share_the_servers_slots():
    found, start = [], threading.Barrier(8)

    def ask():
        start.wait()
        found.append(server_slots(97))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(found) == 8 and len({id(s) for s in found}) == 1 and found[0].limit == 97
    assert server_slots(98) is not found[0]


def test_the_fourth_training_in_ten_minutes_waits_for_the_first_to_leave_the_window():
    starts: list[float] = []
    for now in (0.0, 100.0, 200.0):
        verdict = may_start(starts, now, 3, 600)
        assert verdict.allowed and verdict.wait_s == 0
        starts = [*verdict.recent, now]
    refused = may_start(starts, 300.0, 3, 600)
    assert not refused.allowed and refused.wait_s == 300  # the one started at 0 leaves at 600
    assert not may_start(starts, 599.5, 3, 600).allowed and may_start(starts, 599.5, 3, 600).wait_s == 1
    later = may_start(starts, 600.0, 3, 600)
    assert later.allowed and later.recent == [100.0, 200.0]


# ---- the pages in shared mode -----------------------------------------------------------------------


@pytest.fixture
def no_hub(monkeypatch):
    """Fail the test if the Explorer as much as asks whether the hub answers."""
    from seqviz.explorer import loading

    def online(*args, **kwargs):
        pytest.fail("the hub was asked for in shared mode")

    monkeypatch.setattr(loading, "online", online)


def test_explorer_offers_the_folders_models_by_name_and_loads_one(environment, offered, no_hub):
    pytest.importorskip("transformers", reason="the explorer's extra (requirements-hf.txt) is not installed")
    from seqviz.explorer.tiny import save_tiny_model

    save_tiny_model("gpt2", offered / "tiny-gpt2")
    shared_server(environment, offered)
    at = open_page("pages/16_Explorer.py")
    assert not at.exception, at.exception
    assert not [box for box in at.text_input if box.key == "hf_source"]  # no path is typed
    choice = at.selectbox(key="hf_shared_model")
    assert choice.options == ["alias", "tiny-bert", "tiny-gpt2"] and choice.value is None
    assert "Choose a model to begin" in all_text(at)
    choice.set_value("tiny-gpt2").run()
    assert not at.exception, at.exception
    shown = all_text(at) + "".join(e.value for e in at.error)
    assert "Loaded **tiny-gpt2**" in shown and str(offered) not in shown
    assert at.get("plotly_chart")  # its attention is drawn
    at.button(key="hf_next").click().run()
    assert not at.exception


def test_explorer_without_models_says_none_are_offered(environment, tmp_path, no_hub):
    pytest.importorskip("transformers", reason="the explorer's extra (requirements-hf.txt) is not installed")
    shared_server(environment, tmp_path / "nowhere")
    at = open_page("pages/16_Explorer.py", lang="zh")
    assert not at.exception
    assert "还没有为探索页提供模型" in all_text(at)
    assert not [box for box in at.text_input if box.key == "hf_source"]
    assert not [box for box in at.selectbox if box.key == "hf_shared_model"]


@pytest.fixture
def quick_training(monkeypatch):
    """Character models trained for a fraction of a second; `stop` makes the next one stop mid-training the
    way Streamlit stops a script (a StopException raised inside the progress callback)."""
    import streamlit as st

    from seqviz.training.charlm import train_char_model
    from seqviz.ui import charlm

    plan = {"stop": False}

    def train(text, kind, seconds, callback):
        if plan["stop"]:

            def stopping(progress):  # the real loop calls it on every step
                callback(progress)
                st.stop()  # raises StopException at Streamlit's next call, as a rerun request does

            return train_char_model(text, kind, seconds=5, callback=stopping)
        return train_char_model(text, kind, seconds=0.2, callback=callback)

    monkeypatch.setattr(charlm, "train_char_model", train)
    return plan


def test_live_training_on_a_busy_server_says_so_and_keeps_the_models(environment, quick_training):
    mode = shared_server(environment, **{shared.TRAINING_SLOTS: "1", shared.TRAININGS_PER_SESSION: "2"})
    slots = server_slots(mode.training_slots)
    at = open_page("pages/5_Autoregressive.py")
    at.button(key="char_train").click().run()
    assert not at.exception, at.exception
    trained = at.session_state["char_models"]
    assert set(trained) == {"transformer", "gru"} and slots.busy == 0

    with slots.slot() as held:  # another student is training
        assert held
        at.button(key="char_train").click().run()
        assert not at.exception, at.exception
        assert "1 student is training a model on this server now" in all_text(at)
        assert at.session_state["char_models"] is trained  # the models from before stay
        assert at.code  # and are still shown
    assert slots.busy == 0

    quick_training["stop"] = True  # the second training (the refused one did not count) is stopped midway
    at.button(key="char_train").click().run()
    assert not at.exception, at.exception
    assert slots.busy == 0 and at.session_state["char_models"] is trained

    quick_training["stop"] = False
    at.button(key="char_train").click().run()  # a third in ten minutes, beyond this session's two
    assert not at.exception, at.exception
    assert "You have started 2 trainings in the last 10 minutes" in all_text(at)
    assert at.session_state["char_models"] is trained and slots.busy == 0


def test_fine_tuning_on_a_busy_server_says_so(environment):
    mode = shared_server(environment, **{shared.TRAINING_SLOTS: "1"})
    at = open_page("pages/3_Autoencoding.py", lang="zh")
    with server_slots(mode.training_slots).slot() as held:
        assert held
        next(b for b in at.button if b.label == "微调两个模型").click().run()
    assert not at.exception, at.exception
    assert "此刻已有 1 位同学在这台服务器上训练模型" in all_text(at)
    assert "ae_finetune" not in at.session_state


def test_laptop_mode_trains_without_limits(environment, quick_training):
    at = open_page("pages/5_Autoregressive.py")
    for _ in range(4):  # more than a shared server's per-session limit
        at.button(key="char_train").click().run()
        assert not at.exception, at.exception
    assert "You have started" not in all_text(at) and "students are training" not in all_text(at)
    assert set(at.session_state["char_models"]) == {"transformer", "gru"}
