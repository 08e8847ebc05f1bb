"""The control plane's door: with a control token, /_xmock/ answers only to `Authorization: Bearer <token>`.

A plain ASGI check in front of the control API (BaseHTTPMiddleware would cost several times the
throughput); the X surface never passes through it. `/_xmock/health` stays open, for load balancers.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from xmock.simulator.redact import fingerprint, redact_params

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

ENV_VAR = "XMOCK_CONTROL_TOKEN"
OPEN_PATHS = frozenset({"/_xmock/health"})
# What a certification run lets a provider read without the token: the simulated clock is its wall clock
# (it schedules and waits by it); reading it steers nothing and shows no secret.
CLOCK_READ = frozenset({("GET", "/_xmock/clock")})
HOW = (
    "send Authorization: Bearer <control token>: the token xmock serve printed at start, "
    f"or the one given with --control-token or {ENV_VAR}"
)
log = logging.getLogger("xmock.control")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: only this machine can reach a server bound there."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def control_token(host: str, given: str | None) -> str | None:
    """The token a server on `host` requires: the one given, else a new one off loopback, else none."""
    if given:
        return given
    return None if is_loopback(host) else new_token()


def control_headers(token: str | None = None) -> dict[str, str]:
    """What a client of a guarded control API sends: the token given, else $XMOCK_CONTROL_TOKEN's."""
    token = token or os.environ.get(ENV_VAR)
    return {"Authorization": f"Bearer {token}"} if token else {}


def _presented(scope: dict) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credential = value.decode("latin-1").partition(" ")
            return credential.strip() if scheme.lower() == "bearer" else ""
    return None


class ControlGuard:
    """Lets a control-plane request through, or answers 401 and journals the refusal."""

    __slots__ = ("_expected", "_open_reads", "_sim")

    def __init__(self, sim: Simulator, token: str, open_reads: frozenset[tuple[str, str]] = frozenset()) -> None:
        self._sim = sim
        self._expected = token.encode()
        self._open_reads = open_reads  # (method, path) pairs open to all, e.g. CLOCK_READ

    def allows(self, scope: dict) -> tuple[bool, str | None]:
        """(allowed, the token presented, if any). A set token is asked of every client, loopback too."""
        if scope["path"] in OPEN_PATHS or (scope.get("method"), scope["path"]) in self._open_reads:
            return True, None
        presented = _presented(scope)
        if presented and hmac.compare_digest(presented.encode("utf-8", "surrogateescape"), self._expected):
            return True, presented
        return False, presented

    async def refuse(self, scope: dict, presented: str | None, send: Any) -> None:
        error = "control token required" if presented is None else "control token not accepted"
        self._journal(scope, presented, error)
        payload = json.dumps({"error": error, "detail": HOW}).encode()
        if scope["type"] != "http":  # a websocket under /_xmock/: closed before it opens
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(payload)).encode()),
            (b"www-authenticate", b'Bearer realm="xmock control"'),
        ]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    def _journal(self, scope: dict, presented: str | None, error: str) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}
        query = scope.get("query_string", b"").decode("latin-1")
        entry = {
            "id": secrets.token_hex(8),
            "time": self._sim.clock.now(),
            "method": scope.get("method", "GET"),
            "host": headers.get("host", ""),
            "path": scope["path"],
            "query": redact_params(parse_qsl(query, keep_blank_values=True)) if query else {},
            "endpoint": None,
            "status": 401,
            "auth": "control-token",
            "app_id": None,
            "account_id": None,
            "user_id": None,
            "token_fingerprint": fingerprint(presented),  # never the token itself
            "duration_ms": 0.0,
            "error": error,
        }
        try:
            self._sim.store.append_journal(entry)
        except self._sim.store.unavailable:
            log.warning("store unreachable: journal entry %s lost", entry["id"])
