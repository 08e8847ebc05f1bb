"""Control API for users' standing in the world: affiliations with organisations."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import check_bool, check_names, check_text
from xmock.simulator.control.plumbing import route
from xmock.simulator.core import Simulator


def affiliate(sim: Simulator, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """POST /_xmock/users/{user_id}/affiliation {"organization_id": "...", "affiliated": true}"""
    check_names("field", body, ("organization_id", "affiliated"))
    org = check_text("organization_id", body.get("organization_id"), max_length=19, empty=False)
    affiliated = check_bool("affiliated", body.get("affiliated", True))
    user_id = request.path_params["user_id"]
    changed = sim.affiliate(user_id, org, affiliated)
    return {"user_id": user_id, "organization_id": org, "affiliated": affiliated, "changed": changed}


def routes(sim: Simulator) -> list[Route]:
    return [route(sim, "/users/{user_id}/affiliation", affiliate, "POST")]
