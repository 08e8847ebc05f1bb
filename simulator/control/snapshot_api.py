"""Control API for snapshots: GET /_xmock/snapshot saves the world, POST /_xmock/snapshot restores one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError
from xmock.simulator.control.plumbing import route
from xmock.simulator.core import Simulator
from xmock.simulator.store.base import SnapshotError


def get_snapshot(sim: Simulator, request: Request, body: dict) -> dict:
    """The whole world; ?journal=false leaves the request journal out. It holds every key and token."""
    journal = request.query_params.get("journal", "true")
    if journal not in ("true", "false"):
        raise ControlError(400, "journal: expected true or false")
    return sim.snapshot(journal=journal == "true")


def post_snapshot(sim: Simulator, request: Request, body: dict) -> dict:
    try:
        sim.restore(body)
    except SnapshotError as exc:
        raise ControlError(400, f"snapshot not restored: {exc}") from None
    return {"restored": True, "clock": sim.clock.state().as_dict()}


def routes(sim: Simulator) -> list[Route]:
    return [
        route(sim, "/snapshot", get_snapshot, "GET"),
        route(sim, "/snapshot", post_snapshot, "POST"),
    ]
