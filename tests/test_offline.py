"""The offline guard of tests/conftest.py works: another machine is refused, this one is not."""

import socket

import pytest


def test_another_machine_is_refused_and_this_one_is_not(refused_connections):
    with pytest.raises(ConnectionRefusedError, match="offline"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never a real host
    assert refused_connections.pop() == "('192.0.2.1', 80)"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname(), timeout=1):
            pass
