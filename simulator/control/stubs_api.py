"""The control API's stubs: declare, list and remove them; and what a test declared and never used
(beside `Simulator`'s core_stubs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError
from xmock.simulator.control.plumbing import route

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


def add_stub(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.add_stub(**body)


def list_stubs(sim: Simulator, request: Request, body: dict) -> dict:
    return {"stubs": sim.list_stubs()}


def remove_stub(sim: Simulator, request: Request, body: dict) -> dict:
    if not sim.remove_stub(request.path_params["stub_id"]):
        raise ControlError(404, f"no stub {request.path_params['stub_id']}")
    return {"removed": True}


def clear_stubs(sim: Simulator, request: Request, body: dict) -> dict:
    sim.clear_stubs()
    return {"removed": True}


def unused(sim: Simulator, request: Request, body: dict) -> dict:
    """Stubs that never answered and fault rules that never struck (those not declared `required: false`)."""
    return sim.unused()


def routes(sim: Simulator) -> list[Route]:
    return [
        route(sim, "/stubs", add_stub, "POST", 201),
        route(sim, "/stubs", list_stubs, "GET"),
        route(sim, "/stubs", clear_stubs, "DELETE"),
        route(sim, "/stubs/{stub_id}", remove_stub, "DELETE"),
        route(sim, "/unused", unused, "GET"),
    ]
