"""Control API for lists and bookmarks: arrange lists, members, followers, pins, bookmarks and folders."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import InvalidInput, check_names, shown
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.control.plumbing import route
from xmock.simulator.core import Simulator
from xmock.simulator.models import XList


def _list_json(lst: XList) -> dict[str, Any]:
    return {
        "id": lst.id,
        "name": lst.name,
        "owner_id": lst.owner_id,
        "description": lst.description,
        "private": lst.private,
        "created_at": lst.created_at,
    }


def _fields(body: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return checked(body, required, optional)


def _id(body: dict[str, Any], name: str) -> str:
    return _id_value(name, body[name])


def _id_value(name: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"{name}: expected an id (a string of digits), got {shown(value)}")
    return str(value)


def create_list(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("owner_id", "name"), ("description", "private", "members"))
    members = body.get("members", [])
    if not isinstance(members, list):
        raise ValueError("members: expected a list of user ids")
    lst = sim.create_list(
        _id(body, "owner_id"),
        body["name"],
        description=body.get("description", ""),
        private=body.get("private", False),
        members=[_id_value("members", m) for m in members],
    )
    return _list_json(lst)


def add_member(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("user_id",))
    return {"is_member": True, "added": sim.add_list_member(request.path_params["list_id"], _id(body, "user_id"))}


def follow_list(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("user_id",))
    return {"following": True, "added": sim.follow_list(_id(body, "user_id"), request.path_params["list_id"])}


def pin_list(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("list_id",))
    return {"pinned": True, "added": sim.pin_list(request.path_params["user_id"], _id(body, "list_id"))}


def bookmark(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("tweet_id",), ("folder_id",))
    folder = _id(body, "folder_id") if body.get("folder_id") is not None else None
    added = sim.bookmark(request.path_params["user_id"], _id(body, "tweet_id"), folder)
    return {"bookmarked": True, "added": added}


def create_folder(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("name",))
    folder = sim.create_bookmark_folder(request.path_params["user_id"], body["name"])
    return {"id": folder.id, "name": folder.name, "owner_id": folder.owner_id}


def get_list(sim: Simulator, request: Request, body: dict) -> dict:
    check_names("query parameter", request.query_params, ())
    return _list_json(sim.get_list(request.path_params["list_id"]))


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Any, method: str, status: int = 200) -> Route:
        return route(sim, path, handler, method, status)

    return [
        r("/lists", create_list, "POST", 201),
        r("/lists/{list_id}", get_list, "GET"),
        r("/lists/{list_id}/members", add_member, "POST"),
        r("/lists/{list_id}/followers", follow_list, "POST"),
        r("/users/{user_id}/pinned_lists", pin_list, "POST"),
        r("/users/{user_id}/bookmarks", bookmark, "POST"),
        r("/users/{user_id}/bookmark_folders", create_folder, "POST", 201),
    ]
