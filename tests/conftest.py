"""The whole suite runs offline: any connection from this process to a host other than this machine is
refused and fails the test that made it (pages, interactions, training, benchmarks alike). The browser
tests guard the browser's own requests as well.

`make test` runs the suite on two pytest-xdist workers (`-n 2`): each worker's torch gets its share of the
cores, the browser tests go to one worker together (one server, one Chromium), and every other test stays
with its module (its fixtures are made once), except in the SPREAD modules, whose tests each set up alone
and so may go to either worker. `make load-test` runs on two workers too (LOAD_GROUPS)."""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest

SPREAD = {"test_hostile_inputs.py", "test_pages_apptest.py", "test_chinese_edition.py", "test_lessons_page.py"}
# `make load-test` on two workers, about half the work each: the cold starts and the classes on one, the
# replicas, restarts, soak and the installed command on the other (start-ups and restarts leave the cores
# half idle)
LOAD_GROUPS = {
    "test_cold_start.py": "classes",
    "test_load.py": "classes",
    "test_serving.py": "serving",
    "test_packaging.py": "serving",  # the installed command serving every page
}

if os.environ.get("PYTEST_XDIST_WORKER_COUNT"):  # a worker of `make test`: torch takes its share of the cores
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])))


def pytest_configure(config):
    """Every figure a test shows is compared with what plotly's validation makes of it (seqviz.viz.lazy_figure.Figure):
    in the servers the tests start too, but not in the load tests, which measure the server as it is served."""
    from seqviz.viz.lazy_figure import CHECK_FIGURES

    if config.option.markexpr != "load":
        os.environ.setdefault(CHECK_FIGURES, "1")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetUp(LoadScopeScheduling):
        """Tests that share a set-up go to one worker together; the SPREAD modules' tests go one by one."""

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if config.option.markexpr == "load":
                return LOAD_GROUPS.get(path.rsplit("/", 1)[-1], path)
            if path.startswith("tests/browser/"):
                return "tests/browser"
            return nodeid if path.rsplit("/", 1)[-1] in SPREAD else path

    config.option.loadscopereorder = False  # in the order pytest_collection_modifyitems leaves them
    return SharedSetUp(config, log)


# The longest units after the browser tests (worker-seconds of a run on two cores), so that no long one starts
# last while the other worker idles; the SPREAD modules' short tests fill in at the end.
LONGEST_FIRST = (
    "tests/test_builtin_models.py",
    "tests/test_bench.py",
    "tests/pages/test_startup.py",
    "tests/test_charlm.py",
    "tests/test_packaging.py",
    "tests/test_export.py",
)


def pytest_collection_modifyitems(config, items):
    """Longest first (a worker takes the next unit when it is free): the browser tests, one unit of about a
    third of the run, then LONGEST_FIRST, then the rest in collection order."""

    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        if path.startswith("tests/browser/"):
            return 0
        return 1 + LONGEST_FIRST.index(path) if path in LONGEST_FIRST else 1 + len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: within a unit, collection order


def pytest_sessionstart(session):
    from tests.browser.conftest import SUMMARIES

    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the run itself, not one of its workers
        SUMMARIES.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    """The load tests' reports (written by tests.browser.conftest.summarise on whichever worker ran them)."""
    from tests.browser.conftest import SUMMARIES

    if SUMMARIES.exists():
        terminalreporter.section("load reports")
        terminalreporter.write(SUMMARIES.read_text())


def _scan_for_components_once() -> None:
    """Every new AppTest scans all installed packages for Streamlit components (about 0.4 s; the suite makes
    hundreds of AppTests). The installed packages do not change during a run: one scan per process."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def _wait_for_scripts_without_polling() -> None:
    """AppTest waits for a run by polling its event list every millisecond, and each poll scans the whole
    list and takes the GIL from the script it waits for. Wait on the run's own SHUTDOWN event instead (the
    same timeout and the same error)."""
    import threading

    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1 import local_script_runner

    def require_widgets_deltas(runner, timeout: float = 3) -> None:
        finished = threading.Event()

        def on_event(sender, event, **kwargs) -> None:
            if event == ScriptRunnerEvent.SHUTDOWN:
                finished.set()

        runner.on_event.connect(on_event, weak=False)
        try:
            if runner.script_stopped() or finished.wait(timeout):  # it may have ended before we listened
                return
        finally:
            runner.on_event.disconnect(on_event)
        runner.request_stop()
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    local_script_runner.require_widgets_deltas = require_widgets_deltas


_scan_for_components_once()
_wait_for_scripts_without_polling()


ATTEMPTS: list[str] = []  # every refused connection, in order
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # a Unix socket path
        return True
    host = str(address[0]).split("%")[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name that is not this machine's
        return False


def _refuse(address) -> None:
    ATTEMPTS.append(repr(address))
    raise ConnectionRefusedError(f"seqviz runs offline: a connection to {address!r} was attempted")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _refuse(address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _refuse(address)
    return _connect_ex(self, address)


socket.socket.connect, socket.socket.connect_ex = _guarded_connect, _guarded_connect_ex


@pytest.fixture
def refused_connections() -> list[str]:
    """The record of refused connections (a test of the guard itself takes its own attempt back out)."""
    return ATTEMPTS


@pytest.fixture(autouse=True)
def no_connection_off_this_machine():
    before = len(ATTEMPTS)
    yield
    assert ATTEMPTS[before:] == [], f"the test tried to reach another machine: {ATTEMPTS[before:]}"
