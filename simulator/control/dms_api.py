"""The control API's direct messages: arrange DMs, groups, joins and leaves, typing and read indicators, DM blocks,
and read a conversation or a user's DM events.

    POST   /_xmock/dms                                  {"sender_id", "recipient_id" | "dm_conversation_id",
                                                         "text"?, "media_ids"?}
    POST   /_xmock/dm_conversations                     {"creator_id", "participant_ids", "text"?, "media_ids"?}
    GET    /_xmock/dm_conversations/{conversation_id}
    POST   /_xmock/dm_conversations/{conversation_id}/join     {"actor_id", "user_ids"}
    POST   /_xmock/dm_conversations/{conversation_id}/leave    {"user_id"}
    POST   /_xmock/dm_conversations/{conversation_id}/typing   {"user_id"}
    POST   /_xmock/dm_conversations/{conversation_id}/read     {"user_id", "dm_event_id"}
    DELETE /_xmock/dm_events/{dm_event_id}
    GET    /_xmock/users/{user_id}/dm_events
    POST   /_xmock/users/{user_id}/dm_blocks            {"target_user_id"}
    DELETE /_xmock/users/{user_id}/dm_blocks/{target_user_id}
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.control.plumbing import Handler
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator
from xmock.simulator.core_dms import dm_event_public

MESSAGE = ("text", "media_ids")


def _id(body: dict[str, Any], name: str) -> str:
    return check_text(name, body[name], max_length=19, empty=False)


def send(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("sender_id",), ("recipient_id", "dm_conversation_id", *MESSAGE))
    if ("recipient_id" in fields) == ("dm_conversation_id" in fields):
        raise ControlError(400, "give one of recipient_id, dm_conversation_id")
    sender = _id(fields, "sender_id")
    if "recipient_id" in fields:
        event = sim.send_dm(sender, _id(fields, "recipient_id"), fields.get("text"), media_ids=fields.get("media_ids"))
    else:
        conversation = check_text("dm_conversation_id", fields["dm_conversation_id"], max_length=39, empty=False)
        event = sim.send_dm_to_conversation(sender, conversation, fields.get("text"), media_ids=fields.get("media_ids"))
    return dm_event_public(event)


def create_group(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("creator_id", "participant_ids"), MESSAGE)
    event = sim.create_dm_group(
        _id(fields, "creator_id"), fields["participant_ids"], fields.get("text"), media_ids=fields.get("media_ids")
    )
    return dm_event_public(event)


def conversation(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.dm_conversation(request.path_params["conversation_id"])


def join(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("actor_id", "user_ids"), ())
    event = sim.dm_join(_id(fields, "actor_id"), request.path_params["conversation_id"], fields["user_ids"])
    return dm_event_public(event)


def leave(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("user_id",), ())
    return dm_event_public(sim.dm_leave(_id(fields, "user_id"), request.path_params["conversation_id"]))


def typing(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("user_id",), ())
    sim.dm_typing(_id(fields, "user_id"), request.path_params["conversation_id"])
    return {"typing": True}


def mark_read(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("user_id", "dm_event_id"), ())
    sim.dm_mark_read(_id(fields, "user_id"), request.path_params["conversation_id"], _id(fields, "dm_event_id"))
    return {"read": True}


def delete(sim: Simulator, request: Request, body: dict) -> dict:
    sim.delete_dm(request.path_params["dm_event_id"])
    return {"deleted": True}


def user_events(sim: Simulator, request: Request, body: dict) -> dict:
    return {"events": sim.dm_events(request.path_params["user_id"])}


def block(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("target_user_id",), ())
    sim.dm_block(request.path_params["user_id"], _id(fields, "target_user_id"))
    return {"blocked": True}


def unblock(sim: Simulator, request: Request, body: dict) -> dict:
    sim.dm_block(request.path_params["user_id"], request.path_params["target_user_id"], False)
    return {"blocked": False}


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Handler, method: str) -> Route:
        return Route("/_xmock" + path, _endpoint(sim, handler), methods=[method])

    conv = "/dm_conversations/{conversation_id}"
    return [
        r("/dms", send, "POST"),
        r("/dm_conversations", create_group, "POST"),
        r(conv, conversation, "GET"),
        r(conv + "/join", join, "POST"),
        r(conv + "/leave", leave, "POST"),
        r(conv + "/typing", typing, "POST"),
        r(conv + "/read", mark_read, "POST"),
        r("/dm_events/{dm_event_id}", delete, "DELETE"),
        r("/users/{user_id}/dm_events", user_events, "GET"),
        r("/users/{user_id}/dm_blocks", block, "POST"),
        r("/users/{user_id}/dm_blocks/{target_user_id}", unblock, "DELETE"),
    ]
