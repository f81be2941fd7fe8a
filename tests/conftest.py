"""The whole suite runs offline: any connection from this process to a host other than this machine is
refused and fails the test that made it (pages, interactions, training, benchmarks alike). The browser
tests guard the browser's own requests as well."""

from __future__ import annotations

import ipaddress
import socket

import pytest

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
