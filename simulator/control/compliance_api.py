"""The control API of batch compliance: take accounts down or restore them, and read a compliance job.

    PUT /_xmock/users/{user_id}/state        {"state": "suspended" | "deactivated" | "active"}
    GET /_xmock/users/{user_id}/state
    GET /_xmock/compliance/jobs/{job_id}     the job, its ids and (once complete) its result lines
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import check_text
from xmock.simulator.control.plumbing import fields, route
from xmock.simulator.core import Simulator


def set_state(sim: Simulator, request: Request, body: dict) -> dict:
    state = check_text("state", fields(body, ("state",), ())["state"], max_length=20, empty=False)
    return sim.set_account_state(request.path_params["user_id"], state)


def get_state(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.account_state(request.path_params["user_id"])


def job(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.compliance_job(request.path_params["job_id"])


def routes(sim: Simulator) -> list[Route]:
    return [
        route(sim, "/users/{user_id}/state", set_state, "PUT"),
        route(sim, "/users/{user_id}/state", get_state, "GET"),
        route(sim, "/compliance/jobs/{job_id}", job, "GET"),
    ]
