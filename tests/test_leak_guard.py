"""The leak guard on its own: X's names refused while on, everything else resolved as before."""

from __future__ import annotations

import socket

import pytest

from xmock.simulator import leak_guard


@pytest.fixture
def guard():
    leak_guard.install()  # the plugin has it on already in this run: this nests
    leak_guard.take()
    yield
    leak_guard.allow(False)
    leak_guard.take()
    leak_guard.uninstall()


def test_x_names_are_refused_in_any_spelling(guard):
    for name in ("api.x.com", "API.Twitter.com", "upload.twitter.com.", b"x.com"):
        with pytest.raises(leak_guard.RealXRefused, match="use the `x_mock` fixture"):
            socket.getaddrinfo(name, 443)
    assert leak_guard.take() == ["api.x.com", "api.twitter.com", "upload.twitter.com", "x.com"]
    assert leak_guard.take() == []


def test_other_names_and_allowed_tests_pass(guard):
    assert socket.getaddrinfo("127.0.0.1", 80) and socket.getaddrinfo("localhost", 80)
    for name in ("api.x.com.invalid", "notx.invalid"):  # never resolved anywhere
        with pytest.raises(socket.gaierror) as refused:
            socket.getaddrinfo(name, 443)
        assert not isinstance(refused.value, leak_guard.RealXRefused)
    leak_guard.allow(True)
    try:
        socket.getaddrinfo("api.x.com", 443)
    except socket.gaierror as exc:  # no network here: the resolver's answer, not the guard's
        assert not isinstance(exc, leak_guard.RealXRefused)
    assert leak_guard.take() == []


def test_installs_nest():
    before = socket.getaddrinfo
    leak_guard.install()
    leak_guard.install()
    leak_guard.uninstall()
    assert leak_guard.installed()
    leak_guard.uninstall()
    assert socket.getaddrinfo is before  # the plugin's own install (this run) is left in place
