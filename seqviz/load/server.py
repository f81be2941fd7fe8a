"""Starting the app for a load run, and knowing when a server is up."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout_s: float) -> bool:
    """True once the server at url answers its health check, False if it does not within timeout_s."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def own_server(command: tuple[str, ...] = ("-m", "seqviz.ui.serve"), timeout_s: float = 120):
    """A Streamlit server on a free loopback port (by default the app, as `make run` serves it), stopped
    afterwards. -> (address, pid)"""
    port = free_port()
    options = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    process = subprocess.Popen(
        [sys.executable, *command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(url, timeout_s):
            raise RuntimeError(f"the server did not start within {timeout_s:.0f} s")
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(15)
