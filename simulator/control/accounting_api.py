"""The control API's accounting and evidence: credits, the ledger, rate limits, findings, fault rules and
the journal (beside `Simulator`'s core_accounting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_names
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.control.plumbing import route
from xmock.simulator.money import money_str
from xmock.simulator.rate_windows import windows

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


def get_credits(sim: Simulator, request: Request, body: dict) -> dict:
    app_id = request.path_params["app_id"]
    return {"app_id": app_id, "balance": money_str(sim.balance(app_id))}


def post_credits(sim: Simulator, request: Request, body: dict) -> dict:
    """{"amount": "7.50"} buys credits (at least the minimum purchase); {"set": "0"} sets the balance."""
    fields = checked(body, (), ("amount", "set"))
    app_id = request.path_params["app_id"]
    if ("amount" in fields) == ("set" in fields):
        raise ControlError(400, "say either amount (a purchase) or set (a balance)")
    if "amount" in fields:
        balance = sim.top_up(app_id, fields["amount"])
    else:
        balance = sim.set_credits(app_id, fields["set"])
    return {"app_id": app_id, "balance": money_str(balance)}


def ledger(sim: Simulator, request: Request, body: dict) -> dict:
    entries = sim.ledger(request.query_params.get("app"))
    return {"entries": entries, "count": len(entries)}


def get_limits(sim: Simulator, request: Request, body: dict) -> dict:
    app = sim.app(request.path_params["app_id"])
    return {"app_id": app.id, "override": sim.store.get_app_limits(app.id)}


def get_windows(sim: Simulator, request: Request, body: dict) -> dict:
    """The app's running rate-limit windows: calls used and left, and when each resets (simulator clock)."""
    app_id = request.path_params["app_id"]
    return {"app_id": app_id, "now": sim.clock.now(), "windows": windows(sim, app_id)}


def patch_limits(sim: Simulator, request: Request, body: dict) -> dict:
    """{"enabled": false} turns limits off for the app; {"limits": {class: [...]}} overrides some."""
    fields = checked(body, (), ("enabled", "limits"))
    app_id = request.path_params["app_id"]
    config = sim.set_app_limits(app_id, enabled=fields.get("enabled"), limits=fields.get("limits"))
    return {"app_id": app_id, "override": config}


def findings(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    check_names("filter", q, ("rule", "app", "account", "user"))
    found = sim.findings.query(rule=q.get("rule"), app=q.get("app"), account=q.get("account"), user=q.get("user"))
    return {"findings": found, "count": len(found)}


def add_fault(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.add_fault(**body)


def list_faults(sim: Simulator, request: Request, body: dict) -> dict:
    return {"faults": sim.store.list_faults()}


def remove_fault(sim: Simulator, request: Request, body: dict) -> dict:
    if not sim.remove_fault(request.path_params["fault_id"]):
        raise ControlError(404, f"no fault {request.path_params['fault_id']}")
    return {"removed": True}


def clear_faults(sim: Simulator, request: Request, body: dict) -> dict:
    sim.clear_faults()
    return {"removed": True}


def journal(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    check_names("filter", q, ("app", "user", "path", "status", "method", "endpoint", "limit"))
    try:
        status = int(q["status"]) if "status" in q else None
        limit = int(q["limit"]) if "limit" in q else None
    except ValueError:
        raise ControlError(400, "status and limit are integers") from None
    if limit is not None and limit < 0:
        raise ControlError(400, "limit is a number of entries, 0 or more")
    entries = sim.journal(
        app=q.get("app"),
        user=q.get("user"),
        path=q.get("path"),
        status=status,
        method=q.get("method"),
        endpoint=q.get("endpoint"),
        limit=limit,
    )
    return {"entries": entries, "count": len(entries)}


def routes(sim: Simulator) -> list[Route]:
    return [
        route(sim, "/apps/{app_id}/credits", get_credits, "GET"),
        route(sim, "/apps/{app_id}/credits", post_credits, "POST"),
        route(sim, "/apps/{app_id}/limits", get_limits, "GET"),
        route(sim, "/apps/{app_id}/limits", patch_limits, "PATCH"),
        route(sim, "/apps/{app_id}/limits/windows", get_windows, "GET"),
        route(sim, "/ledger", ledger, "GET"),
        route(sim, "/findings", findings, "GET"),
        route(sim, "/faults", add_fault, "POST", 201),
        route(sim, "/faults", list_faults, "GET"),
        route(sim, "/faults", clear_faults, "DELETE"),
        route(sim, "/faults/{fault_id}", remove_fault, "DELETE"),
        route(sim, "/journal", journal, "GET"),
    ]
