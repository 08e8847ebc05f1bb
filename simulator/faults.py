"""Fault injection: answer as a struggling X would, for chosen requests.

A rule matches by method, path (path_match's one rule: exact, `*` wildcards, X's templates), app and user, and
acts: an error status with X's body for it, added latency, a dropped connection, or
"commit then drop" (the action happens, then the connection closes before the answer), or
"disconnect": an open stream that matches ends with X's operational disconnect notice (`disconnect_type`).
A rule may apply a limited number of times, or with a probability drawn from the
simulator's seeded randomness. Under the pytest plugin, a rule that never struck fails the test
unless it says `required=False`. Stubs (simulator.stubs) share these filters and their checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xmock.simulator import path_match
from xmock.simulator.control.errors import (
    InvalidInput,
    check_bool,
    check_int,
    check_names,
    check_number,
    check_text,
    shown,
)
from xmock.simulator.errors import DISCONNECT_TYPES

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.xrequest import XRequest

ACTIONS = ("status", "latency", "drop", "commit-then-drop", "disconnect")
FIELDS = (
    "method", "path", "app_id", "user_id", "action", "status", "latency_ms", "count", "probability", "disconnect_type",
    "required",
)


@dataclass(frozen=True)
class Fault:
    id: str
    action: str
    status: int | None
    latency_ms: int


ID = re.compile(r"^[0-9]{1,19}$")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def validate(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as the control API receives it, checked and completed; InvalidInput names the field."""
    check_names("fault field", rule, FIELDS)
    action = rule.get("action", "status")
    if not isinstance(action, str) or action not in ACTIONS:
        raise InvalidInput(f"action: expected one of {', '.join(ACTIONS)}, got {shown(action)}")
    status = rule.get("status")
    if action == "status":
        check_int("status", status, 400, 599)  # a status fault needs one
    latency = check_int("latency_ms", rule.get("latency_ms", 0), 0, 60_000)
    if action == "latency" and not latency:
        raise InvalidInput("latency_ms: a latency fault needs latency_ms above 0")
    disconnect_type = rule.get("disconnect_type")
    if disconnect_type is not None and (action != "disconnect" or disconnect_type not in DISCONNECT_TYPES):
        raise InvalidInput(
            f"disconnect_type: expected, with action disconnect, one of {', '.join(DISCONNECT_TYPES)}, "
            f"got {shown(disconnect_type)}"
        )
    return {
        **check_filters(rule),
        "action": action,
        "status": status if action == "status" else None,
        "latency_ms": latency,
        "applied": 0,
        **({"disconnect_type": disconnect_type or "OperationalDisconnect"} if action == "disconnect" else {}),
    }


def check_filters(rule: dict[str, Any]) -> dict[str, Any]:
    """The filters and dosage a fault rule and a stub share: method, path, app, user, count, probability,
    and whether the test fails when it never applied (`required`)."""
    count = rule.get("count")
    if count is not None:
        check_int("count", count, 1, 10**9)  # omit it for no limit
    probability = check_number("probability", rule.get("probability", 1.0), 0, 1, low_open=True)
    method = rule.get("method")
    if method is not None:
        if not isinstance(method, str) or method.upper() not in METHODS:
            raise InvalidInput(f"method: expected one of {', '.join(METHODS)}, got {shown(method)}")
        method = method.upper()
    path = rule.get("path")
    if path is not None:
        check_text("path", path, max_length=2048)
        if not path.startswith("/"):
            raise InvalidInput(
                f"path: expected a path such as /2/tweets, /2/users/:id/tweets or /1.1/*, got {shown(path)}"
            )
    ids = {}
    for field in ("app_id", "user_id"):
        value = rule.get(field)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, str | int) or not ID.match(str(value)):
                raise InvalidInput(f"{field}: expected an id (digits), got {shown(value)}")
            value = str(value)
        ids[field] = value
    return {
        "method": method,
        "path": path or None,
        "app_id": ids["app_id"],
        "user_id": ids["user_id"],
        "count": count,
        "probability": probability,
        "required": check_bool("required", rule.get("required", True)),
    }


def _matches(rule: dict[str, Any], req: XRequest, ctx: AuthContext | None) -> bool:
    if rule["method"] and rule["method"] != req.method:
        return False
    path = rule["path"]
    if path and not path_match.matches(path, req.path):
        return False
    if rule["app_id"] and (ctx is None or ctx.app is None or ctx.app.id != rule["app_id"]):
        return False
    return not (rule["user_id"] and (ctx is None or ctx.user is None or ctx.user.id != rule["user_id"]))


def pick(
    sim: Simulator, req: XRequest, ctx: AuthContext | None, rules: list[dict[str, Any]] | None = None
) -> Fault | None:
    """The first rule that matches this request and fires (of `rules`, the store's, if given).

    Without a caller (`ctx` None, before authentication) only rules naming no app or user
    are considered; with one, only rules that name an app or a user.
    """
    for rule in sim.store.list_faults() if rules is None else rules:
        if rule["action"] == "disconnect":
            continue  # for open streams (pick_disconnect), not for requests
        targeted = bool(rule["app_id"] or rule["user_id"])
        if targeted != (ctx is not None) or not _matches(rule, req, ctx):
            continue
        if rule["probability"] < 1 and sim.random.random() >= rule["probability"]:
            continue
        if sim.store.take_fault(rule["id"]):
            return Fault(rule["id"], rule["action"], rule["status"], rule["latency_ms"])
    return None


def pick_disconnect(sim: Simulator, req: XRequest, ctx: AuthContext | None) -> str | None:
    """The disconnect type of the first "disconnect" rule that matches an open stream's request and fires.

    Looked at by each open stream every few tenths of a second (simulator.streaming): a rule with a
    probability fires at that rate; `count` bounds how many streams it ends.
    """
    for rule in sim.store.list_faults():
        if rule["action"] != "disconnect" or not _matches(rule, req, ctx):
            continue
        if rule["probability"] < 1 and sim.random.random() >= rule["probability"]:
            continue
        if sim.store.take_fault(rule["id"]):
            return str(rule.get("disconnect_type") or "OperationalDisconnect")
    return None
