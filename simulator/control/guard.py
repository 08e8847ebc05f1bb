"""The control plane's door: with a control token, /_xmock/ answers only to `Authorization: Bearer <token>`.

A plain ASGI check in front of the control API (BaseHTTPMiddleware would cost several times the
throughput); the X surface never passes through it. `/_xmock/health` stays open, for load balancers.
The dashboard under /_xmock/ui asks for the same token: a browser cannot send the header when it follows a
link, so its sign-in page takes the token once and sets a cookie derived from it (ui/session.py).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

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
UI_PREFIX = "/_xmock/ui"
UI_COOKIE = "xmock_ui"
# The sign-in page and the stylesheet and script it needs.
UI_OPEN = (UI_PREFIX + "/login", UI_PREFIX + "/static/")


def ui_session(token: str) -> str:
    """What the UI's cookie holds: derived from the token (never the token itself), the same in every worker."""
    return hmac.new(token.encode(), b"xmock ui session", "sha256").hexdigest()


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


def _ui_cookie(scope: dict) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, cookie = part.strip().partition("=")
                if key == UI_COOKIE:
                    return cookie
    return None


def _is_ui(path: str) -> bool:
    return path == UI_PREFIX or path.startswith(UI_PREFIX + "/")


class ControlGuard:
    """Lets a control-plane request through, or answers 401 and journals the refusal."""

    __slots__ = ("_expected", "_open_reads", "_sim", "_ui_expected")

    def __init__(self, sim: Simulator, token: str, open_reads: frozenset[tuple[str, str]] = frozenset()) -> None:
        self._sim = sim
        self._expected = token.encode()
        self._ui_expected = ui_session(token).encode()
        self._open_reads = open_reads  # (method, path) pairs open to all, e.g. CLOCK_READ

    def allows(self, scope: dict) -> tuple[bool, str | None]:
        """(allowed, the token presented, if any). A set token is asked of every client, loopback too."""
        if scope["path"] in OPEN_PATHS or (scope.get("method"), scope["path"]) in self._open_reads:
            return True, None
        path = scope["path"]
        if _is_ui(path) and path.startswith(UI_OPEN):
            return True, None
        presented = _presented(scope)
        if presented and hmac.compare_digest(presented.encode("utf-8", "surrogateescape"), self._expected):
            return True, presented
        if presented is None and _is_ui(path):
            cookie = _ui_cookie(scope)
            if cookie and hmac.compare_digest(cookie.encode("utf-8", "surrogateescape"), self._ui_expected):
                return True, None
            presented = cookie and "ui-cookie"  # journalled as "not accepted", never the cookie's value
        return False, presented

    async def refuse(self, scope: dict, presented: str | None, send: Any) -> None:
        error = "control token required" if presented is None else "control token not accepted"
        self._journal(scope, presented, error)
        payload = json.dumps({"error": error, "detail": HOW}).encode()
        if scope["type"] != "http":  # a websocket under /_xmock/: closed before it opens
            await send({"type": "websocket.close", "code": 1008})
            return
        if _is_ui(scope["path"]) and scope.get("method") in ("GET", "HEAD"):
            await _to_sign_in(scope, send)
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


async def _to_sign_in(scope: dict, send: Any) -> None:
    """A page of the dashboard without the token: to the sign-in page, and back here after it."""
    query = scope.get("query_string", b"").decode("latin-1")
    back = quote(scope["path"] + (f"?{query}" if query else ""), safe="")
    headers = [
        (b"location", f"{UI_PREFIX}/login?next={back}".encode("latin-1")),
        (b"content-length", b"0"),
        (b"www-authenticate", b'Bearer realm="xmock control"'),
    ]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
