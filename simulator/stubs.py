"""Stubs: one request answered with what a test needs X to say.

A stub matches as a fault rule does (method, path pattern, app, user; a number of answers or a
probability drawn from the simulator's seeded randomness: simulator.faults.check_filters) and answers
with its status, body and headers (an error status without a body: X's body for it). Everything it does
not match keeps X's behaviour.

Where it applies: after authentication and the app's permission check, as X itself would have answered
there. A request X would refuse for its credentials gets X's refusal, not the stub; one the stub answers
spends no rate limit and no credits and changes nothing. The journal names the stub (`"stub": id`).
With no stub declared, the request path pays one call to the store that finds an empty list.

Under the pytest plugin, a stub that never answered fails the test unless it says `required=False`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from xmock.simulator import errors, faults, path_match
from xmock.simulator.control.errors import InvalidInput, check_encodable, check_int, check_names, shown
from xmock.simulator.xrequest import Reply

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.xrequest import XRequest

FIELDS = ("method", "path", "app_id", "user_id", "status", "body", "headers", "count", "probability", "required")
BODY_BYTES = 1_000_000  # a stub's body, written as JSON, at most (it is kept in the store)
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
# Headers that frame the answer: the server writes them, a stub cannot.
FRAMING = ("content-length", "transfer-encoding", "connection")
NO_BODY = (204, 304)


class Stubbed(Exception):  # not an error: the way a stub's answer leaves the request path
    """Raised on the request path when a stub answers; carries the answer."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def validate(stub: dict[str, Any]) -> dict[str, Any]:
    """A stub as the control API receives it, checked and completed; InvalidInput names the field."""
    check_names("stub field", stub, FIELDS)
    status = check_int("status", stub.get("status", 200), 200, 599)
    body = stub.get("body")
    if status in NO_BODY and body not in (None, ""):
        raise InvalidInput(f"body: a {status} answer has no body, got {shown(body)}")
    check_encodable({"body": body})
    try:
        size = len(json.dumps(body, allow_nan=False, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError):
        raise InvalidInput(f"body: expected JSON (an object, array, text, number or null), got {shown(body)}") from None
    if size > BODY_BYTES:
        raise InvalidInput(f"body: at most {BODY_BYTES} bytes as JSON, got {size}")
    return {
        **faults.check_filters(stub),
        "status": status,
        "body": body,
        "headers": _headers(stub.get("headers")),
        "applied": 0,
    }


def _headers(headers: Any) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise InvalidInput(f"headers: expected an object of names and text values, got {shown(headers)}")
    if len(headers) > 50:
        raise InvalidInput(f"headers: at most 50, got {len(headers)}")
    out: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not HEADER_NAME.match(name):
            raise InvalidInput(f"headers: expected a header name (letters, digits, -), got {shown(name)}")
        if name.lower() in FRAMING:
            raise InvalidInput(f"headers: {name} is written by the server, not by a stub")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or "\r" in value or "\n" in value or len(value) > 8192:
            raise InvalidInput(f"headers.{name}: expected one line of text, got {shown(value)}")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise InvalidInput(f"headers.{name}: expected Latin-1 text, got {shown(value)}") from None
        out[name.lower()] = value
    return out


def path_matches(pattern: str, path: str) -> bool:
    """Whether `path` fits `pattern`, by the one path rule faults and the journal use too (simulator/path_match)."""
    return path_match.matches(pattern, path)


def _matches(stub: dict[str, Any], req: XRequest, ctx: AuthContext) -> bool:
    if stub["method"] and stub["method"] != req.method:
        return False
    if stub["path"] and not path_matches(stub["path"], req.path):
        return False
    if stub["app_id"] and (ctx.app is None or ctx.app.id != stub["app_id"]):
        return False
    return not (stub["user_id"] and (ctx.user is None or ctx.user.id != stub["user_id"]))


def answer(sim: Simulator, req: XRequest, ctx: AuthContext, declared: list[dict[str, Any]], surface: str) -> None:
    """Raise Stubbed with the answer of the first stub `declared` (the store's list) that matches this
    authenticated request and fires; `surface` is the endpoint's ("v2", "v1.1", ...) for X's error bodies."""
    for stub in declared:
        if not _matches(stub, req, ctx):
            continue
        if stub["probability"] < 1 and sim.random.random() >= stub["probability"]:
            continue
        if sim.store.take_stub(stub["id"]):
            raise Stubbed(reply(stub, surface, sim.clock.now()))


def reply(stub: dict[str, Any], surface: str = "v2", now: float = 0.0) -> Reply:
    """The stub's answer: JSON, or its text as it is (text/plain unless its headers name a content type).
    An error status without a body gets X's body for it, as a fault rule's does (a 429 with its reset
    a minute from `now`); the stub's own headers win."""
    headers = dict(stub["headers"])
    body = stub["body"]
    if body is None and stub["status"] >= 400:
        err = errors.injected(stub["status"], surface)
        body = err.body
        if stub["status"] == 429:
            reset = str(int(now) + 60)
            err.headers.update({"x-rate-limit-limit": "0", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset})
        headers = {**{k.lower(): v for k, v in err.headers.items()}, **headers}
        if err.content_type:
            headers.setdefault("content-type", err.content_type)
    content_type = headers.pop("content-type", None) or (TEXT if isinstance(body, str) else JSON)
    if stub["status"] in NO_BODY or body is None:
        body = b""
    return Reply(stub["status"], body, headers, content_type, note={"stub": stub["id"]})


def describe(rule: dict[str, Any]) -> str:
    """A stub or fault rule in one line, for a failure message: its id, what it matches, what it does."""
    what = " ".join(str(rule[k]) for k in ("method", "path") if rule.get(k)) or "any request"
    who = "".join(f" {k}={rule[k]}" for k in ("app_id", "user_id") if rule.get(k))
    does = f"-> {rule['status']}" if rule.get("status") else f"-> {rule.get('action')}"
    return f"{rule['id']}: {what}{who} {does}"
