"""The leak guard: while a test runs, a request that would leave the machine for one of X's hosts is refused.

Forgetting `x_mock` would otherwise send a client's requests (and a test's tokens) to the real X. Every
client library resolves the host name before it connects (requests and urllib3, httpx, aiohttp's default
resolver, urllib), so the guard wraps `socket.getaddrinfo`: one set lookup per name resolution, nothing
else, and names that are not X's pass untouched. `x_mock` and `mock_x()` answer X's hosts before any
name is resolved, so they never meet the guard.

The refusal is raised where the client resolves (as a DNS failure, `RealXRefused`), and remembered so the
pytest plugin fails the test even when the code under test swallows connection errors.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from xmock.simulator.oauth1.signature import X_HOSTS

_lock = threading.Lock()
_original: Any = None
_allowed = False
_refused: list[str] = []
_installs = 0


class RealXRefused(socket.gaierror):
    """A request to X's real hosts while the leak guard is on."""


def message(hosts: list[str]) -> str:
    names = ", ".join(dict.fromkeys(hosts))
    return (
        f"xmock refused a request to the real X ({names}): use the `x_mock` fixture (or `with mock_x():`) so "
        "X's hosts reach the simulator, or allow real X for this test with @pytest.mark.xmock_allow_real_x "
        "(--xmock-allow-real-x for the whole run)"
    )


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _allowed and host is not None:
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
        name = name.rstrip(".").lower()
        if name in X_HOSTS:
            with _lock:
                _refused.append(name)
            raise RealXRefused(socket.EAI_NONAME, message([name]))
    return _original(host, *args, **kwargs)


def install() -> None:
    """Turn the guard on; counted, so a pytest run inside a pytest run (pytester) leaves the outer one's."""
    global _original, _installs
    with _lock:
        _installs += 1
        if _original is None:
            _original = socket.getaddrinfo
            socket.getaddrinfo = _guarded_getaddrinfo


def uninstall() -> None:
    global _original, _installs
    with _lock:
        _installs = max(0, _installs - 1)
        if _original is not None and not _installs:
            socket.getaddrinfo = _original
            _original = None


def allow(allowed: bool) -> None:
    """Whether the test now running may reach the real X."""
    global _allowed
    _allowed = allowed


def take() -> list[str]:
    """The X hosts refused since the last call, oldest first."""
    with _lock:
        refused = list(_refused)
        _refused.clear()
    return refused


def installed() -> bool:
    return _original is not None
