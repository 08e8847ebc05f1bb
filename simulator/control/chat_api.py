"""The control API's XChat: register a user's public key, send an encrypted message as a member, read a
conversation whole (record, members, events, read positions).

    POST /_xmock/users/{user_id}/chat_public_keys      {"public_key", "version"?, "signing_public_key"?}
    POST /_xmock/chat_messages                         {"sender_id", "conversation_id", "encoded_event",
                                                        "message_id"?}
    GET  /_xmock/chat_conversations/{conversation_id}
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import check_text
from xmock.simulator.control.plumbing import Handler
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.core import Simulator


def add_key(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("public_key",), ("version", "signing_public_key"))
    record = sim.add_chat_public_key(
        request.path_params["user_id"],
        fields["public_key"],
        version=fields.get("version"),
        signing_public_key=fields.get("signing_public_key"),
    )
    return {k: v for k, v in record.items() if k != "juicebox_config"}


def send(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("sender_id", "conversation_id", "encoded_event"), ("message_id",))
    return sim.send_chat_message(
        check_text("sender_id", fields["sender_id"], max_length=19, empty=False),
        fields["conversation_id"],
        fields["encoded_event"],
        message_id=fields.get("message_id"),
    )


def conversation(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.chat_conversation(request.path_params["conversation_id"])


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Handler, method: str, status: int = 200) -> Route:
        return Route("/_xmock" + path, _endpoint(sim, handler, status), methods=[method])

    return [
        r("/users/{user_id}/chat_public_keys", add_key, "POST", 201),
        r("/chat_messages", send, "POST", 201),
        r("/chat_conversations/{conversation_id}", conversation, "GET"),
    ]
