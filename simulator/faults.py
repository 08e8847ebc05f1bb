"""Fault injection: answer as a struggling X would, for chosen requests.

A rule matches by method, path (exact, or a prefix ending in `*`), app and user, and
acts: an error status with X's body for it, added latency, a dropped connection, or
"commit then drop" (the action happens, then the connection closes before the answer).
A rule may apply a limited number of times, or with a probability drawn from the
simulator's seeded randomness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.xrequest import XRequest

ACTIONS = ("status", "latency", "drop", "commit-then-drop")
FIELDS = ("method", "path", "app_id", "user_id", "action", "status", "latency_ms", "count", "probability")


@dataclass(frozen=True)
class Fault:
    id: str
    action: str
    status: int | None
    latency_ms: int


def validate(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as the control API receives it, checked and completed."""
    unknown = sorted(set(rule) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown fault field(s): {', '.join(unknown)}")
    action = rule.get("action", "status")
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
    status = rule.get("status")
    if action == "status" and not (isinstance(status, int) and 400 <= status <= 599):
        raise ValueError("a status fault needs a status from 400 to 599")
    latency = rule.get("latency_ms", 0)
    if not isinstance(latency, int) or not 0 <= latency <= 60_000:
        raise ValueError("latency_ms is an integer from 0 to 60000")
    if action == "latency" and not latency:
        raise ValueError("a latency fault needs latency_ms")
    count = rule.get("count")
    if count is not None and (not isinstance(count, int) or count < 1):
        raise ValueError("count is a positive integer (omit it for no limit)")
    probability = rule.get("probability", 1.0)
    if not isinstance(probability, int | float) or not 0 < probability <= 1:
        raise ValueError("probability is in (0, 1]")
    method = rule.get("method")
    return {
        "method": method.upper() if isinstance(method, str) else None,
        "path": rule.get("path"),
        "app_id": str(rule["app_id"]) if rule.get("app_id") is not None else None,
        "user_id": str(rule["user_id"]) if rule.get("user_id") is not None else None,
        "action": action,
        "status": status if action == "status" else None,
        "latency_ms": latency,
        "count": count,
        "probability": float(probability),
        "applied": 0,
    }


def _matches(rule: dict[str, Any], req: XRequest, ctx: AuthContext | None) -> bool:
    if rule["method"] and rule["method"] != req.method:
        return False
    path = rule["path"]
    if path and not (req.path == path or (path.endswith("*") and req.path.startswith(path[:-1]))):
        return False
    if rule["app_id"] and (ctx is None or ctx.app is None or ctx.app.id != rule["app_id"]):
        return False
    return not (rule["user_id"] and (ctx is None or ctx.user is None or ctx.user.id != rule["user_id"]))


def pick(sim: Simulator, req: XRequest, ctx: AuthContext | None) -> Fault | None:
    """The first rule that matches this request and fires.

    Without a caller (`ctx` None, before authentication) only rules naming no app or user
    are considered; with one, only rules that name an app or a user.
    """
    for rule in sim.store.list_faults():
        targeted = bool(rule["app_id"] or rule["user_id"])
        if targeted != (ctx is not None) or not _matches(rule, req, ctx):
            continue
        if rule["probability"] < 1 and sim.random.random() >= rule["probability"]:
            continue
        if sim.store.take_fault(rule["id"]):
            return Fault(rule["id"], rule["action"], rule["status"], rule["latency_ms"])
    return None
