"""Smoke test of the benchmark command: its JSON shape and that cached and recomputed outputs are
identical. Timings are not asserted: machines here are shared and noisy."""

import json

from seqviz.bench import main


def test_quick_benchmark_writes_json_with_identical_outputs(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--quick", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["interaction_ms"]["ar_step_p50_ms"] > 0 and report["interaction_ms"]["ar_step_page_rerun_p50_ms"] > 0
    assert set(report["machine"]) == {"device", "device_name", "torch", "threads", "python"}
    for by_length in report["kv_cache"].values():
        for result in by_length.values():
            assert result["identical"] is True
            assert result["cached_ms"] > 0 and result["speedup"] > 0
    for row in report["parallel_decoding"]["results"]:
        assert row["ar_ms"] > 0 and row["nat_speedup"] > 0 and row["mask_predict_speedup"] > 0
    assert "KV cache" in capsys.readouterr().out


def test_only_runs_the_sections_asked_for(tmp_path):
    out = tmp_path / "bench.json"
    assert main(["--quick", "--only", "parallel", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert "parallel_decoding" in report and "kv_cache" not in report and "interaction_ms" not in report
