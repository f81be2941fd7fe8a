"""Reliability: device faults fall back to the CPU with a message, and the server's thread count."""

from __future__ import annotations

import torch

from seqviz.device import serving_threads
from tests.pages.apptest_helpers import all_text, open_page


def test_a_chosen_gpu_that_is_gone_falls_back_to_the_cpu(monkeypatch):
    """The session chose 'cuda'; on the next run no GPU is present (e.g. a driver reset)."""
    import seqviz.ui.page

    monkeypatch.setattr(seqviz.ui.page, "available_devices", lambda: ["cpu", "cuda"])
    at = open_page("pages/7_Seq2Seq.py")
    at.session_state["device"] = "cuda"
    monkeypatch.setattr(seqviz.ui.page, "available_devices", lambda: ["cpu"])
    at.run()
    assert not at.exception, at.exception
    assert "Device cuda is not available here; using CPU" in all_text(at)
    assert at.session_state["device"] == "cpu" and len(at.markdown) > 5  # the page itself ran


def test_gpu_out_of_memory_reruns_the_page_on_the_cpu(monkeypatch):
    """Simulated: a 'cuda' device whose first model load runs out of memory."""
    import seqviz.ui.models
    import seqviz.ui.page

    real_load = seqviz.ui.models.builtin_model
    loads = []

    def load(name, device):
        loads.append(device)
        if device != "cpu":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")
        return real_load(name, device)

    monkeypatch.setattr(seqviz.ui.page, "available_devices", lambda: ["cpu", "cuda"])
    monkeypatch.setattr(
        seqviz.ui.page, "pick_device", lambda choice: torch.device("cuda" if choice == "cuda" else "cpu")
    )
    monkeypatch.setattr(seqviz.ui.page, "describe", lambda device: f"simulated {device}")
    monkeypatch.setattr(seqviz.ui.models, "builtin_model", load)
    at = open_page("pages/7_Seq2Seq.py")
    at.session_state["device"] = "cuda"
    at.run()
    assert not at.exception, at.exception
    assert "ran out of memory, so this session switched to the CPU" in all_text(at)
    assert at.session_state["device"] == "cpu" and "cuda" in loads and loads[-1] == "cpu"


def test_server_threads_leave_room_for_concurrent_sessions(monkeypatch):
    monkeypatch.delenv("SEQVIZ_THREADS", raising=False)
    assert [serving_threads(c) for c in (1, 2, 8)] == [1, 1, 4]
    monkeypatch.setenv("SEQVIZ_THREADS", "3")
    assert serving_threads(2) == 3
    monkeypatch.setenv("SEQVIZ_THREADS", "many")  # not a number: ignored
    assert serving_threads(2) == 1
