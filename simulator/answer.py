"""What leaves for the client: an answer's body as bytes and its headers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import orjson

from xmock.simulator import errors

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.xrequest import Reply

_COMMON_HEADERS = [(b"cache-control", b"no-cache, no-store, max-age=0")]
_JSON_TEXT = "application/json; charset=utf-8"  # Reply's default content type, written once as bytes
_JSON = _JSON_TEXT.encode()
_LIMIT_NAMES = frozenset(
    f"{family}{part}".encode()
    for family in ("x-rate-limit-", "x-app-limit-24hour-", "x-user-limit-24hour-")
    for part in ("limit", "remaining", "reset")
)


def internal_error() -> errors.XError:
    """The answer to a bug: a 500, never a traceback."""
    body = {"title": "Internal Server Error", "detail": "Internal Server Error", "type": "about:blank", "status": 500}
    return errors.XError(500, body, reason="simulator error")


def headers(
    reply: Reply,
    payload: bytes,
    ctx: AuthContext | None,
    limit_headers: list[tuple[bytes, bytes]],
    txid: str,
    elapsed_ms: float,
) -> list[tuple[bytes, bytes]]:
    """The answer's headers: its own, then the rate-limit ones it does not set itself."""
    content_type = reply.content_type
    headers = [
        (b"content-type", _JSON if content_type == _JSON_TEXT else content_type.encode("latin-1", "replace")),
        (b"content-length", b"%d" % len(payload)),
        (b"x-transaction-id", txid.encode()),
        (b"x-response-time", b"%d" % elapsed_ms),
        *_COMMON_HEADERS,
    ]
    own = reply.headers
    if ctx is not None and ctx.access_level and "x-access-level" not in own:
        headers.append((b"x-access-level", ctx.access_level.encode()))
    if own:
        names = set()
        for k, v in own.items():
            name = k.lower().encode("latin-1", "replace")
            names.add(name)
            headers.append((name, v.encode("latin-1", "replace")))
        if names.isdisjoint(_LIMIT_NAMES):  # the usual own header (a location) leaves every limit header
            headers += limit_headers
        else:
            headers += [h for h in limit_headers if h[0] not in names]  # the handler's own word wins
    else:
        headers += limit_headers
    return headers


def encode(body: dict | str | bytes | None) -> bytes:
    """The body as bytes: JSON compact and UTF-8, text as UTF-8."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8", "replace")  # a lone surrogate becomes "?", never an exception
    try:
        return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)  # compact UTF-8, several times faster than json
    except TypeError:
        # What orjson refuses (integers past 64 bits, lone surrogates) json writes as ASCII escapes.
        return json.dumps(body, separators=(",", ":"), default=str).encode("ascii")
