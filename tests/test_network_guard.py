"""The suite's own guard: a test that reaches beyond 127.0.0.1 fails before any packet leaves."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import OffLoopback


def test_connects_beyond_loopback_are_stopped_before_sending() -> None:
    with socket.socket() as sock, pytest.raises(OffLoopback):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never routed, and never tried


def test_name_lookups_beyond_localhost_are_stopped() -> None:
    with pytest.raises(OffLoopback):
        socket.getaddrinfo("connect.visma.com", 443)
    assert socket.getaddrinfo("127.0.0.1", 80)
