"""Control API for Spaces and broadcasts: create a Space, start or end it now, sell tickets, share posts in it;
arrange a broadcast. Answers show a Space's state at the clock's time now."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator import broadcasts, spaces
from xmock.simulator.control.errors import check_names
from xmock.simulator.control.lists_api import _id
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.control.plumbing import route
from xmock.simulator.core import Simulator

SPACE_FIELDS = (
    "title", "scheduled_start", "started_at", "ended_at", "is_ticketed", "lang", "host_ids", "speaker_ids",
    "invited_user_ids", "topics", "participant_count", "subscriber_count",
)  # fmt: skip
BROADCAST_FIELDS = ("title", "scheduled_start", "scheduled_end", "manual_publish", "source_id", "available_for_replay")


def space_json(sim: Simulator, space: dict[str, Any]) -> dict[str, Any]:
    return {**space, "state": spaces.state(space, sim.clock.now())}


def create_space(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("creator_id",), SPACE_FIELDS)
    creator = _id(body, "creator_id")
    return space_json(sim, sim.create_space(creator, **{k: v for k, v in body.items() if k != "creator_id"}))


def get_space(sim: Simulator, request: Request, body: dict) -> dict:
    check_names("query parameter", request.query_params, ())
    return space_json(sim, sim.get_space(request.path_params["space_id"]))


def start_space(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, (), ())
    return space_json(sim, sim.start_space(request.path_params["space_id"]))


def end_space(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, (), ())
    return space_json(sim, sim.end_space(request.path_params["space_id"]))


def buy_ticket(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("user_id",), ())
    return {"bought": True, "added": sim.buy_space_ticket(request.path_params["space_id"], _id(body, "user_id"))}


def share_post(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("tweet_id",), ())
    return {"shared": True, "added": sim.share_in_space(request.path_params["space_id"], _id(body, "tweet_id"))}


def broadcast_json(sim: Simulator, b: dict[str, Any]) -> dict[str, Any]:
    return {**b, "state": broadcasts.state(b, sim.clock.now())}


def create_broadcast(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("owner_id",), BROADCAST_FIELDS)
    owner = _id(body, "owner_id")
    return broadcast_json(sim, sim.create_broadcast(owner, **{k: v for k, v in body.items() if k != "owner_id"}))


def get_broadcast(sim: Simulator, request: Request, body: dict) -> dict:
    check_names("query parameter", request.query_params, ())
    return broadcast_json(sim, sim.get_broadcast(request.path_params["broadcast_id"]))


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Any, method: str, status: int = 200) -> Route:
        return route(sim, path, handler, method, status)

    return [
        r("/spaces", create_space, "POST", 201),
        r("/spaces/{space_id}", get_space, "GET"),
        r("/spaces/{space_id}/start", start_space, "POST"),
        r("/spaces/{space_id}/end", end_space, "POST"),
        r("/spaces/{space_id}/buyers", buy_ticket, "POST"),
        r("/spaces/{space_id}/tweets", share_post, "POST"),
        r("/broadcasts", create_broadcast, "POST", 201),
        r("/broadcasts/{broadcast_id}", get_broadcast, "GET"),
    ]
