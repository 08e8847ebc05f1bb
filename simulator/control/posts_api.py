"""Control API for the post family's state: likes, reposts, hidden replies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_bool, check_text
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator


def _ids(body: dict[str, Any], *names: str) -> list[str]:
    fields = _fields(body, names, ())
    out = []
    for name in names:
        value = check_text(name, fields[name], max_length=19, empty=False)
        if not value.isascii() or not value.isdigit():
            raise ControlError(400, f"{name}: expected an id of 1 to 19 digits, got {value!r}")
        out.append(value)
    return out


def like(sim: Simulator, request: Request, body: dict) -> dict:
    liked = check_bool("liked", body.pop("liked", True))
    user_id, post_id = _ids(body, "user_id", "post_id")
    return {"changed": sim.like(user_id, post_id, liked), "liked": liked}


def repost(sim: Simulator, request: Request, body: dict) -> dict:
    user_id, post_id = _ids(body, "user_id", "post_id")
    made = sim.repost(user_id, post_id)
    return {"id": made.id, "text": made.text, "author_id": made.author_id, "reposted_post_id": made.reposted_post_id}


def unrepost(sim: Simulator, request: Request, body: dict) -> dict:
    user_id, post_id = _ids(body, "user_id", "post_id")
    return {"changed": sim.unrepost(user_id, post_id)}


def hide_reply(sim: Simulator, request: Request, body: dict) -> dict:
    hidden = check_bool("hidden", body.pop("hidden", True))
    (post_id,) = _ids(body, "post_id")
    return {"changed": sim.hide_reply(post_id, hidden), "hidden": hidden}


def routes(sim: Simulator) -> list[Route]:
    return [
        Route("/_xmock/likes", _endpoint(sim, like), methods=["POST"]),
        Route("/_xmock/reposts", _endpoint(sim, repost, 201), methods=["POST"]),
        Route("/_xmock/reposts/undo", _endpoint(sim, unrepost), methods=["POST"]),
        Route("/_xmock/hidden_replies", _endpoint(sim, hide_reply), methods=["POST"]),
    ]
