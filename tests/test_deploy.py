"""The deployment's pure parts: nginx's configuration (checked by nginx itself where it is installed), the
threads each replica gets, and the load report's arithmetic (students at the goal, memory per session)."""

from __future__ import annotations

import os
import subprocess

import pytest

from seqviz.deploy import nginx
from seqviz.deploy.servers import deployment, replica_threads
from seqviz.load.__main__ import sessions_at
from seqviz.load.soak import flat, growth_kb


def test_the_configuration_proxies_websockets_to_every_replica_with_cookie_affinity(tmp_path):
    text = nginx.config([9001, 9002, 9003], 8501, tmp_path, "0.0.0.0")
    assert "listen 0.0.0.0:8501;" in text
    for port in (9001, 9002, 9003):
        assert f"server 127.0.0.1:{port} " in text
    assert "hash $affinity consistent;" in text  # a browser's cookie picks its replica, not its address
    assert f"map $cookie_{nginx.COOKIE} $affinity" in text and "$request_id" in text
    assert f'Set-Cookie "{nginx.COOKIE}=$affinity' in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "proxy_read_timeout 1d;" in text  # a lesson-long websocket is not cut after nginx's default 60 s
    assert f"pid {tmp_path}/nginx.pid;" in text and "daemon off;" in text


@pytest.mark.skipif(nginx.executable() is None, reason="nginx is not installed (apt-get install nginx)")
def test_nginx_accepts_the_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx.config([9001, 9002], 18501, tmp_path))
    checked = subprocess.run([nginx.executable(), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()


def test_ci_has_nginx():
    if os.environ.get("SEQVIZ_REQUIRE_BROWSER") == "1":  # CI installs nginx with Chromium (.ci/run)
        assert nginx.executable() is not None


def test_each_replica_gets_half_its_share_of_the_cores():
    assert replica_threads(1, cores=2) == 1 and replica_threads(2, cores=2) == 1
    assert replica_threads(2, cores=16) == 4 and replica_threads(4, cores=16) == 2 and replica_threads(8, 4) == 1


def test_several_replicas_need_the_proxy():
    for replicas, proxy in ((0, True), (2, False)):
        with pytest.raises(ValueError), deployment(replicas, proxy=proxy):
            pass


def level(sessions: int, p95_ms: float) -> dict:
    return {"sessions": sessions, "interactions": {"p95_ms": p95_ms}}


def test_students_at_the_goal_are_interpolated_between_levels():
    report = {"levels": [level(10, 600), level(20, 1400), level(40, 9000)]}
    assert sessions_at(report, 1000) == 15.0  # halfway from 600 to 1400 ms
    assert sessions_at({"levels": [level(10, 600), level(20, 900)]}, 1000) == 20.0  # never over: the largest
    assert sessions_at({"levels": [level(10, 1200)]}, 1000) is None  # over at the first level: unknown


def test_memory_growth_per_closed_session_is_the_median_slope_and_one_spike_cannot_move_it():
    assert growth_kb([(8, 500.0), (16, 500.0), (24, 500.0)]) == 0.0
    assert growth_kb([(8, 500.0), (16, 501.0), (24, 502.0)]) == pytest.approx(128.0)  # 1 MB per 8 sessions
    assert growth_kb([(8, 500.0)]) == 0.0
    steady = [(8 * i, 500.0) for i in range(1, 13)]
    steady[5] = (48, 530.0)  # one reading caught in the middle of a collection
    assert growth_kb(steady) == 0.0
    leaking = [(x, 500.0 + x * 300 / 1024) for x, _ in steady]  # 300 KB kept by every closed session
    assert growth_kb(leaking) == pytest.approx(300.0)
    assert flat({"kb_per_closed_session": growth_kb(steady)}) and not flat({"kb_per_closed_session": 300.0})


RUNNER = "ScriptRunner._run_script (streamlit/runtime/scriptrunner/script_runner.py:961)"
RAW = [  # py-spy's raw lines: a stack, outermost first, and its samples
    f"{RUNNER};<module> (8_Parallel.py:30);_decode_all (seqviz/ui/parallel.py:68);"
    "Linear.forward (torch/nn/modules/linear.py:125) 30",
    f"{RUNNER};<module> (8_Parallel.py:40);show_plotly (seqviz/ui/figures.py:50);"
    "to_json_plotly (plotly/io/_json.py:170) 10",
    f"{RUNNER};marshall (streamlit/elements/lib/x.py:9) 5",
    "IOLoop.start (tornado/platform/asyncio.py:10);select (selectors.py:400) 5",
]


def test_where_the_time_goes_puts_each_sample_in_its_library_and_its_page_section():
    from seqviz.load.stacks import markdown, where

    found = where(RAW)
    assert found["samples"] == 50
    libraries = dict(found["by_library"])
    assert libraries["torch: the models' tensor work"] == 0.6
    assert libraries["figures to JSON for the browser"] == 0.2
    assert libraries["Streamlit: script runs, widgets, messages"] == 0.1
    assert libraries["the server's network loop (websocket, asyncio)"] == 0.1  # its innermost known frame
    sections = dict(found["by_section"])
    assert sections["ui/parallel.py: _decode_all"] == 0.6 and sections["ui/figures.py: show_plotly"] == 0.2
    assert sections["outside the pages (server, messages, start-up)"] == 0.2
    assert "| torch: the models' tensor work | 60.0% |" in markdown(found)


def test_the_capacity_page_compares_both_configurations_at_the_goal():
    from seqviz.load.__main__ import capacity_page

    def config(levels: list[tuple[int, float]], held: float) -> dict:
        rows = [
            {
                "sessions": n,
                "think_s": 3.0,
                "interactions": {"p50_ms": 80.0, "p95_ms": p95, "max_ms": p95},
                "by_interaction": {},
                "failed_runs": 0,
                "failed_sessions": [],
            }
            for n, p95 in levels
        ]
        return {"levels": rows, "sessions_at_goal": held}

    report = {
        "date": "2026-12-02",
        "cores": 2,
        "levels": [10, 20],
        "think_s": 3.0,
        "configurations": {
            "one server": config([(10, 600.0), (20, 1400.0)], 15.0),
            "two replicas behind nginx": config([(10, 500.0), (20, 700.0)], 30.0),
        },
    }
    page = capacity_page(report)
    assert "one server 15.0, two replicas behind nginx 30.0 (2.00×)" in page
    assert page.count("| students | think (s)") == 2 and "load_latency.svg" in page
    cost = {"interaction": "type a sentence", "first_open_cpu_s": 1.5, "open_cpu_s": 0.1, "cpu_s_median": 0.04}
    burst = {
        "sessions": 60,
        "open a page": {"p50_ms": 300.0, "p95_ms": 900.0, "max_ms": 1000.0},
        "main interaction": {"p50_ms": 200.0, "p95_ms": 1500.0, "max_ms": 1800.0},
        "failed_runs": 0,
        "failed_sessions": [],
        "server": {"cpu_s_per_interaction": 0.05},
    }
    report.update(
        pages={"Masks": cost, "Inside": cost},
        pages_date="2026-12-06",
        pages_before={"Masks": {"cpu_s_median": 0.16}},
        burst={"one server": burst},
    )
    page = capacity_page(report)
    assert "| Masks | type a sentence | 1.50 | 0.100 | 0.040 | 0.160 | 0.25× |" in page
    assert "| Inside | type a sentence | 1.50 | 0.100 | 0.040 | — | — |" in page  # no measurement before
    assert "| 60 | main interaction | 200.0 | 1500.0 | 1800.0 | 0.05 | 0 |" in page and "60 sessions released" in page
