"""App servers: one on a free port for a load run or a test, or N replicas behind nginx (nginx.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import nginx

APP = ("-m", "seqviz.ui.serve")  # the app as `make run` serves it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout_s: float, process: subprocess.Popen | None = None) -> bool:
    """True once the server at url answers its health check; False if it does not within timeout_s (or its
    process, when given, has stopped)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline and (process is None or process.poll() is None):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.3)
    return False


def replica_threads(replicas: int, cores: int | None = None) -> int:
    """Torch threads for each of N replicas on this machine: half of each one's share of the cores, at least
    one (seqviz.device.serving_threads gives one server half of them)."""
    return max(1, (cores or os.cpu_count() or 1) // (2 * replicas))


@dataclass
class Replica:
    """One app server on 127.0.0.1:port; start() (again after it stopped) and stop()."""

    port: int
    command: tuple[str, ...] = APP
    args: tuple[str, ...] = ()  # more options for the server (`--shared`, Streamlit's own)
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None  # its output (none: discarded)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        options = ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        output = open(self.log, "a") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, *self.command, *self.args, *options],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
        )
        if self.log:
            output.close()  # the child holds its own copy

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextmanager
def own_server(command: tuple[str, ...] = APP, timeout_s: float = 120):
    """A Streamlit server on a free loopback port (by default the app), stopped afterwards. -> (address, pid)"""
    replica = Replica(free_port(), command)
    replica.start()
    try:
        if not wait_healthy(replica.url, timeout_s, replica.process):
            raise RuntimeError(f"the server did not start within {timeout_s:.0f} s")
        yield replica.url, replica.process.pid
    finally:
        replica.stop()


@dataclass
class Deployment:
    url: str  # where the browsers go: nginx's address, or the one server's
    replicas: list[Replica]

    @property
    def pids(self) -> list[int]:
        return [r.process.pid for r in self.replicas]


@contextmanager
def deployment(
    replicas: int,
    port: int | None = None,
    address: str = "127.0.0.1",
    args: tuple[str, ...] = (),
    proxy: bool = True,
    logs: Path | None = None,
    timeout_s: float = 180,
):
    """N app replicas on free loopback ports, started together, with nginx in front on address:port (a free
    port when None); proxy=False serves one replica directly (the baseline of a load run). Everything stops
    when the block ends. -> Deployment"""
    if replicas < 1 or (not proxy and replicas != 1):
        raise ValueError("one replica or more; more than one needs the proxy")
    threads = os.environ.get("SEQVIZ_THREADS") or str(replica_threads(replicas))
    if logs:
        logs.mkdir(parents=True, exist_ok=True)
    env = {"SEQVIZ_THREADS": threads}
    logged = [logs / f"replica-{i}.log" if logs else None for i in range(replicas)]
    started = [Replica(free_port(), args=args, env=env, log=log) for log in logged]
    with ExitStack() as stack:
        for replica in started:
            replica.start()
            stack.callback(replica.stop)
        for replica in started:
            if not wait_healthy(replica.url, timeout_s, replica.process):
                raise RuntimeError(f"a replica did not start within {timeout_s:.0f} s (port {replica.port})")
        if not proxy:
            yield Deployment(started[0].url, started)
            return
        port = port or free_port()
        stack.enter_context(nginx.running([r.port for r in started], port, address))
        url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{port}"
        if not wait_healthy(url, 30):
            raise RuntimeError(f"nginx did not answer on {url}")
        yield Deployment(url, started)
