import pytest
import torch

from seqviz.decoding.timing import measure, measure_together
from seqviz.device import available_devices, describe, pick_device


def test_auto_picks_a_present_device_and_cpu_is_always_there():
    assert "cpu" in available_devices()
    assert pick_device("auto").type in available_devices()
    assert pick_device("cpu") == torch.device("cpu")
    assert "CPU" in describe("cpu")


def test_absent_device_is_a_clear_error():
    missing = next((d for d in ("cuda", "mps") if d not in available_devices()), None)
    if missing is None:
        pytest.skip("every device kind is present")
    with pytest.raises(ValueError, match="not available"):
        pick_device(missing)


def test_measure_warms_up_repeats_and_reports_the_median():
    calls = []
    timing = measure(lambda: calls.append(1), "cpu", warmup=3, repeats=5)
    assert len(calls) == 8
    assert timing.repeats == 5 and timing.min_ms <= timing.median_ms <= timing.max_ms
    assert "median of 5 runs after 3 warm-up runs" in timing.method()
    with pytest.raises(ValueError):
        measure(lambda: None, repeats=0)


def test_measure_together_interleaves_the_runs_and_times_each():
    calls = []
    timings = measure_together({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, "cpu", 1, 3)
    assert calls == ["a", "b"] + ["a", "b"] * 3  # warm-up each, then rounds a, b, a, b, ...
    assert set(timings) == {"a", "b"} and all(t.repeats == 3 for t in timings.values())
