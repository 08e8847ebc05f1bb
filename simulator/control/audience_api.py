"""Control API for the audience: start a plan, read what it did, stop it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import InvalidInput, shown
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.core import Simulator


def _plan_id(request: Request) -> str:
    value = request.path_params["plan_id"]
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        raise InvalidInput(f"plan id: expected digits, got {shown(value)}")
    return value


def add(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.add_audience(**body)


def list_plans(sim: Simulator, request: Request, body: dict) -> dict:
    return {"plans": sim.audience_plans()}


def get_plan(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.audience_plan(_plan_id(request))


def stop_all(sim: Simulator, request: Request, body: dict) -> dict:
    return {"stopped": sim.stop_audience()}


def stop_one(sim: Simulator, request: Request, body: dict) -> dict:
    return {"stopped": sim.stop_audience(_plan_id(request))}


def routes(sim: Simulator) -> list[Route]:
    return [
        Route("/_xmock/audience", _endpoint(sim, add, 201), methods=["POST"]),
        Route("/_xmock/audience", _endpoint(sim, list_plans), methods=["GET"]),
        Route("/_xmock/audience", _endpoint(sim, stop_all), methods=["DELETE"]),
        Route("/_xmock/audience/{plan_id}", _endpoint(sim, get_plan), methods=["GET"]),
        Route("/_xmock/audience/{plan_id}", _endpoint(sim, stop_one), methods=["DELETE"]),
    ]
