"""The control API's social graph: arrange follows, follow requests, blocks and mutes, and read a user's graph.

    POST   /_xmock/users/{user_id}/following            {"target_user_id", "pending"?}
    DELETE /_xmock/users/{user_id}/following/{target_user_id}
    POST   /_xmock/users/{user_id}/follow_requests/{requester_id}/accept   (and /deny)
    POST   /_xmock/users/{user_id}/blocking             {"target_user_id"}
    DELETE /_xmock/users/{user_id}/blocking/{target_user_id}
    POST   /_xmock/users/{user_id}/muting               {"target_user_id"}
    DELETE /_xmock/users/{user_id}/muting/{target_user_id}
    GET    /_xmock/users/{user_id}/graph
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import check_text
from xmock.simulator.control.plumbing import Handler
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator


def _target(body: dict[str, Any], optional: tuple[str, ...] = ()) -> str:
    fields = _fields(body, ("target_user_id",), optional)
    return check_text("target_user_id", fields["target_user_id"], max_length=19, empty=False)


def follow(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.follow(request.path_params["user_id"], _target(body, ("pending",)), pending=body.get("pending"))


def unfollow(sim: Simulator, request: Request, body: dict) -> dict:
    sim.unfollow(request.path_params["user_id"], request.path_params["target_user_id"])
    return {"following": False}


def accept(sim: Simulator, request: Request, body: dict) -> dict:
    sim.accept_follow_request(request.path_params["user_id"], request.path_params["requester_id"])
    return {"accepted": True}


def deny(sim: Simulator, request: Request, body: dict) -> dict:
    sim.deny_follow_request(request.path_params["user_id"], request.path_params["requester_id"])
    return {"accepted": False}


def block(sim: Simulator, request: Request, body: dict) -> dict:
    sim.block(request.path_params["user_id"], _target(body))
    return {"blocking": True}


def unblock(sim: Simulator, request: Request, body: dict) -> dict:
    sim.unblock(request.path_params["user_id"], request.path_params["target_user_id"])
    return {"blocking": False}


def mute(sim: Simulator, request: Request, body: dict) -> dict:
    sim.mute(request.path_params["user_id"], _target(body))
    return {"muting": True}


def unmute(sim: Simulator, request: Request, body: dict) -> dict:
    sim.unmute(request.path_params["user_id"], request.path_params["target_user_id"])
    return {"muting": False}


def graph(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.graph(request.path_params["user_id"])


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Handler, method: str) -> Route:
        return Route("/_xmock/users/{user_id}" + path, _endpoint(sim, handler), methods=[method])

    return [
        r("/following", follow, "POST"),
        r("/following/{target_user_id}", unfollow, "DELETE"),
        r("/follow_requests/{requester_id}/accept", accept, "POST"),
        r("/follow_requests/{requester_id}/deny", deny, "POST"),
        r("/blocking", block, "POST"),
        r("/blocking/{target_user_id}", unblock, "DELETE"),
        r("/muting", mute, "POST"),
        r("/muting/{target_user_id}", unmute, "DELETE"),
        r("/graph", graph, "GET"),
    ]
