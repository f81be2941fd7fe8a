"""Smoke test of the benchmark command in quick mode: its JSON shape, the identical-output flags and the
targets table. Timings are not asserted: machines here are shared and noisy."""

import json

import pytest

from seqviz.bench import main
from seqviz.bench.report import markdown, targets
from seqviz.decoding.speed import RECURRENT_TIMED_WORDS
from seqviz.viz.lazy_figure import CHECK_FIGURES


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    """The quick benchmark, with the pages as they are served: without the suite's check of every figure
    (seqviz.viz.lazy_figure), which the page tests make and which would add to the costs measured here."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(CHECK_FIGURES, raising=False)
        assert main(["--quick", "--json", str(out)]) == 0
    return json.loads(out.read_text())


def test_quick_run_has_every_section_with_its_keys(quick_report):
    r = quick_report
    assert set(r["machine"]) == {"device", "device_name", "torch", "threads", "python"}
    assert set(r["kv_cache"]) == {"64", "128"}
    for entry in r["kv_cache"].values():
        assert entry["identical"] is True and entry["speedup"] > 0
        assert all(m["identical"] is True for m in entry["by_model"].values())
    for batch in ("batch1", "batch4"):
        assert set(r["nar_vs_ar"][batch]) >= {"target_len", "nat", "ctc", "mask_predict_10"}
        assert r["nar_vs_ar"][batch]["nat"] > 0
    assert set(r["nar_quality"]) >= {"ar", "nat_raw", "nat_distilled", "ctc_distilled", "mask_predict_10_distilled"}
    assert 0.9 <= r["nar_quality"]["ar"] <= 1.0  # the shipped AR model, re-measured
    assert r["fast_path"]["explicit_over_sdpa"] > 0
    diffusion = r["diffusion_vs_ar"]
    assert set(diffusion["by_steps"]) == {"1", "2", "4", "8", "12"} and diffusion["ar_ms"] > 0
    assert all(row["ms"] > 0 for row in diffusion["by_steps"].values())
    pixels = r["pixels_vs_one_shot"]
    assert set(pixels["by_batch"]) == {"1", "30"} and pixels["passes"] == {"pixelcnn": 256, "one_shot": 1}
    assert all(
        row["pixelcnn_ms_per_image"] > 0 and row["one_shot_ms_per_image"] > 0 for row in pixels["by_batch"].values()
    )
    forced = r["teacher_forcing"]
    assert forced["tokens"] > 3 and forced["one_pass_ms"] > 0 and forced["sequential_over_one_pass"] > 0
    pages = (
        "ar_step",
        "mask_predict_iter",
        "masks_page_rerun",
        "inside_example",
        "inside_lens_text",
        "inside_ablated_model",
    )
    assert all(r["interaction_ms"][f"{page}_p50"] > 0 for page in pages)
    assert r["attention_512"]["figure_build_s"] > 0 and r["attention_512"]["payload_bytes"] > 100_000
    char = r["attention_512"]["char_model"]
    assert char["characters"] == 512 and char["sample_512_s"] > 0 and char["attention_512_s"] > 0
    assert r["train_to_bar"] is None and r["train_to_bar_s"] is None  # full mode only
    spec = r["speculative"]["by_k"]["4"]
    assert set(spec) == {"greedy", "sampling T=1"} and spec["greedy"]["identical"] is True
    assert all(
        0 <= m["acceptance"] <= 1 and m["tokens_per_target_pass"] >= 1 and m["speedup"] > 0 for m in spec.values()
    )
    assert "hf_peer" in r  # null unless transformers is installed


def test_no_page_costs_the_server_more_than_its_budget(quick_report):
    """The guard: each page's main interaction, one whole-page rerun, in reruns of a minimal page measured in
    the same run (a ratio: the machine's speed cancels out), within the budget set for it; every page has one."""
    from seqviz.load.pages import PAGES

    costs = quick_report["page_cpu"]
    assert costs["minimal_cpu_ms"] > 0 and set(costs["pages"]) == {p.page or "home" for p in PAGES}
    over = {page: (r["times_minimal"], r["budget"]) for page, r in costs["pages"].items() if r["budget"] is None}
    assert not over, f"pages without a budget in seqviz/bench/page_cost.py: {over}"
    over = {
        page: (r["times_minimal"], r["budget"])
        for page, r in costs["pages"].items()
        if r["times_minimal"] > r["budget"]
    }
    assert not over, f"reruns of these pages cost more minimal reruns than their budgets: {over}"


def test_markdown_and_targets_name_every_measured_target(quick_report):
    text = markdown(quick_report)
    assert text.startswith("# seqviz benchmarks") and "python -m seqviz.bench --quick" in text
    checked = {row[0]: row for row in targets(quick_report)}
    assert "NAT vs AR, batch 1, 32 tokens" in checked and "512-token attention figure build" in checked
    assert all(row[3] == "met" or row[3].startswith("MISSED") for row in checked.values())
    assert "Speculative decoding: toy_clm_draft" in text


def test_recurrent_section_times_the_four_causal_lms_per_word(quick_report):
    rec = quick_report["recurrent_vs_attention"]
    assert set(rec) == {"words", "repeats", "by_model", "attention_over_recurrent", "method"}
    assert rec["words"] == RECURRENT_TIMED_WORDS and rec["repeats"] == 5  # quick mode
    models = rec["by_model"]
    assert list(models) == ["toy_rnn_lm", "toy_lstm_lm", "toy_gru_lm", "toy_clm"]
    assert [m["state"] for m in models.values()] == ["hidden state"] * 3 + ["KV cache"]
    for m in models.values():
        assert m["ms_per_token"] > 0 and m["parameters"] > 0
        assert m["ms_per_token"] * rec["words"] == pytest.approx(m["sentence_ms"], rel=0.01, abs=0.01)
    ratios = rec["attention_over_recurrent"]
    assert set(ratios) == {"toy_rnn_lm", "toy_lstm_lm", "toy_gru_lm"}  # toy_clm over each recurrent model
    for name, ratio in ratios.items():
        expected = models["toy_clm"]["ms_per_token"] / models[name]["ms_per_token"]
        assert ratio == pytest.approx(expected, rel=0.02, abs=0.006)
    text = markdown(quick_report)
    assert "## Recurrent vs attention: time per generated word" in text and "Why: a recurrent step costs" in text


def test_targets_say_missed_when_a_number_falls_short():
    report = {
        "kv_cache": {"512": {"speedup": 2.5}, "1024": {"speedup": 7.0}},
        "train_to_bar": {
            "toy_mlm": {"seconds": None, "target_s": 60},
            "digits_sort": {"seconds": 75.0, "target_s": 60},
        },
    }
    assert [row[3] for row in targets(report)] == [
        "MISSED by 0.5× (83% of the target)",
        "met",
        "MISSED: not reached in the budget",
        "MISSED by 15 s (125% of the target)",
    ]


def test_only_runs_the_sections_asked_for(tmp_path):
    out = tmp_path / "bench.json"
    assert main(["--quick", "--only", "teacher_forcing", "--json", str(out)]) == 0  # the quickest section
    report = json.loads(out.read_text())
    assert "teacher_forcing" in report and "kv_cache" not in report and "attention_512" not in report
    assert not (tmp_path / "docs").exists()


def test_peer_comparison_when_transformers_is_installed(quick_report):
    pytest.importorskip("transformers")
    result = quick_report["hf_peer"]  # the quick run's own section
    assert result["ours_over_hf_generate"] > 0 and result["tokens"] == 64


def test_output_files_may_go_to_folders_that_do_not_exist_yet(tmp_path):
    out = tmp_path / "new" / "bench.json"
    page = tmp_path / "docs" / "bench.md"
    assert main(["--quick", "--only", "teacher_forcing", "--json", str(out), "--markdown", str(page)]) == 0
    assert out.exists() and page.read_text().startswith("# seqviz benchmarks")


def test_the_guard_keeps_timing_a_button_once_it_is_disabled():
    """The full run clicks each page's button nine times: a lesson's Next is disabled at its last step, and
    the guard times the rerun there instead of failing (the full run of 2026-12-06 stopped on it)."""
    from streamlit.testing.v1 import AppTest

    from seqviz.bench.page_cost import rerun_cpu_ms
    from seqviz.load.pages import PageInteraction

    app = AppTest.from_string(
        "import streamlit as st\n"
        "st.session_state.setdefault('step', 0)\n"
        "if st.button('Next', key='next', disabled=st.session_state.step >= 2):\n"
        "    st.session_state.step += 1\n"
        "st.write(st.session_state.step)\n"
    )
    app.run()
    assert rerun_cpu_ms(app, PageInteraction("tiny", "next step", "click", "next"), repeats=3, warmup=2) >= 0
    assert app.session_state["step"] == 2 and app.button(key="next").disabled
