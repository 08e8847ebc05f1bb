"""Control API for users' profiles: change profile fields, pin or unpin a post (X has no v2 pin endpoint)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator
from xmock.simulator.profiles import FIELDS


def update_user(sim: Simulator, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """PATCH /_xmock/users/{user_id} {"verified_type": "business", "dm_setting": "following", ...}"""
    fields = _fields(body, (), FIELDS)
    return sim.update_user(request.path_params["user_id"], **fields).public()


def pin(sim: Simulator, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """POST /_xmock/users/{user_id}/pinned_tweet {"tweet_id": "..."}"""
    fields = _fields(body, ("tweet_id",), ())
    post_id = check_text("tweet_id", fields["tweet_id"], max_length=19, empty=False)
    if not post_id.isascii() or not post_id.isdigit():
        raise ControlError(400, f"tweet_id: expected an id of 1 to 19 digits, got {post_id!r}")
    user = sim.pin_post(request.path_params["user_id"], post_id)
    return {"user_id": user.id, "pinned_tweet_id": user.pinned_tweet_id}


def unpin(sim: Simulator, request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """DELETE /_xmock/users/{user_id}/pinned_tweet"""
    user = sim.pin_post(request.path_params["user_id"], None)
    return {"user_id": user.id, "pinned_tweet_id": None}


def routes(sim: Simulator) -> list[Route]:
    return [
        Route("/_xmock/users/{user_id}", _endpoint(sim, update_user), methods=["PATCH"]),
        Route("/_xmock/users/{user_id}/pinned_tweet", _endpoint(sim, pin), methods=["POST"]),
        Route("/_xmock/users/{user_id}/pinned_tweet", _endpoint(sim, unpin), methods=["DELETE"]),
    ]
