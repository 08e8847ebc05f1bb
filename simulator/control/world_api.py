"""Control API for arranging a world in one call: a post for a user, a thread, a user's followers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import InvalidInput, check_text, shown
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator
from xmock.simulator.models import Post


def _id(name: str, value: Any) -> str:
    text = check_text(name, value, max_length=19, empty=False) if isinstance(value, str) else value
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise InvalidInput(f"{name}: expected an id of 1 to 19 digits, got {shown(value)}")
    return text


def _post_json(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "text": post.text,
        "author_id": post.author_id,
        "conversation_id": post.conversation_id,
        "in_reply_to_post_id": post.in_reply_to_post_id,
        "quoted_post_id": post.quoted_post_id,
        "created_at": post.created_at,
    }


def create_post(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("user_id",), ("text", "reply_to", "quote_of"))
    optional = {name: _id(name, body[name]) for name in ("reply_to", "quote_of") if body.get(name) is not None}
    return _post_json(sim.create_post(_id("user_id", body["user_id"]), body.get("text"), **optional))


def create_thread(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, ("user_id", "texts"), ())
    return {"posts": [_post_json(p) for p in sim.create_thread(_id("user_id", body["user_id"]), body["texts"])]}


def add_followers(sim: Simulator, request: Request, body: dict) -> dict:
    body = _fields(body, (), ("count",))
    user_id = _id("user_id", request.path_params["user_id"])
    fans = sim.add_followers(user_id, body.get("count", 1))
    return {"followers": [{"id": u.id, "username": u.username} for u in fans]}


def routes(sim: Simulator) -> list[Route]:
    return [
        Route("/_xmock/posts", _endpoint(sim, create_post, 201), methods=["POST"]),
        Route("/_xmock/threads", _endpoint(sim, create_thread, 201), methods=["POST"]),
        Route("/_xmock/users/{user_id}/followers", _endpoint(sim, add_followers, 201), methods=["POST"]),
    ]
