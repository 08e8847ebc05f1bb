"""A broadcast's chat: read it, send to it while the broadcast runs, delete a message, mute and unmute a viewer.

A message's id is its server timestamp in nanoseconds (the send answer's `timestamp`); chat reads go newest first,
a page's `next_token` being the last id shown. The broadcast's owner moderates: deletes any message, mutes and
unmutes; an author deletes their own. A muted viewer cannot send until the mute's `end_at_ms` (if any) passes.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import broadcasts, digits, errors
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BROADCAST_CHAT
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.broadcasts import find, path_broadcast_id
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

MESSAGE_FIELDS = frozenset(
    ["author_name", "author_username", "broadcast_id", "created_at_ms", "id", "reply_to", "text"]
)
DEFAULT_FIELDS = frozenset(["id", "text"])


def _message(call: Call, b: dict[str, Any]) -> dict[str, Any]:
    message_id = call.params["message_id"]
    if not digits.is_digits(message_id, 19):
        raise errors.pattern_mismatch("message_id", message_id)
    message = call.sim.store.get_record(broadcasts.CHAT, message_id)
    if message is None or message["broadcast_id"] != b["id"]:
        raise missing(call, "message", "message_id", message_id)
    return message


def _moderated(call: Call, verb: str) -> dict[str, Any]:
    b = find(call, path_broadcast_id(call))
    if b["owner_id"] != call.user.id:
        raise errors.forbidden_because(f"Only the broadcaster can {verb} in this chat.", f"{b['id']} is not yours")
    return b


def read(call: Call) -> Reply:
    """GET /2/broadcasts/{id}/chat"""
    req = call.req
    fields = DEFAULT_FIELDS
    users = render.selection(req, primary="user")
    expand = False
    if req.query_string:
        fields = frozenset(render.listed(req, ("broadcast_chat_message.fields",), MESSAGE_FIELDS)) or DEFAULT_FIELDS
        expand = "author_id" in render.listed(req, ("expansions",), frozenset(["author_id"]))
        users = render.Selection(frozenset(), frozenset(render.listed(req, ("user.fields",), render.USER_FIELDS)),
                                 frozenset())  # fmt: skip
    b = find(call, path_broadcast_id(call))
    limit = paging.max_results(req, 100)
    token = req.arg("pagination_token")
    before = None
    if token is not None:
        before = digits.parse(token)
        if before is None:
            raise errors.invalid_param(
                "pagination_token", token, f"The `pagination_token` query parameter value [{token}] is not valid"
            )
    store = call.sim.store
    ids = sorted((int(i) for i, _ in store.edges_from(BROADCAST_CHAT, b["id"])), reverse=True)
    if before is not None:
        ids = [i for i in ids if i < before]
    page = [m for m in (store.get_record(broadcasts.CHAT, str(i)) for i in ids[:limit]) if m is not None]
    data = []
    for m in page:
        item = {k: m[k] for k in sorted(fields | {"id"}) if m.get(k) is not None}
        if expand:
            item["author_id"] = m["author_id"]
        data.append(dict(sorted(item.items())))
    includes: dict[str, list[dict]] = {}
    if expand:
        authors: dict[str, dict] = {}
        for m in page:
            user = store.get_user(m["author_id"])
            if user is not None and user.id not in authors:
                authors[user.id] = render.render_user(user, users, store)
        if authors:
            includes["users"] = list(authors.values())
    meta: dict[str, Any] = {"result_count": len(page)}
    if len(ids) > limit and page:
        meta["next_token"] = page[-1]["id"]
    body = render.envelope(data or None, includes, meta=meta)
    return Reply(200, body, note={"resource_ids": [m["id"] for m in page]})


def send(call: Call) -> Reply:
    """POST /2/broadcasts/{id}/chat"""
    b = find(call, path_broadcast_id(call))
    body = call.req.json_object()
    store, now, me = call.sim.store, call.sim.clock.now(), call.user
    if broadcasts.state(b, now) != broadcasts.RUNNING:
        raise errors.forbidden_because("This broadcast is not live; its chat is closed.", f"{b['id']} is not running")
    if broadcasts.muted(store, b["id"], me.id, now):
        raise errors.forbidden_because("You are muted in this broadcast's chat.", f"{me.id} is muted in {b['id']}")
    reply_to = body.get("reply_to")
    if reply_to is not None:
        parent = store.get_record(broadcasts.CHAT, reply_to)
        if parent is None or parent["broadcast_id"] != b["id"]:
            raise errors.invalid_request(f"$.reply_to: no message {reply_to} in this broadcast's chat")
    message_id = broadcasts.new_message_id(store, now)
    message = {
        "id": message_id,
        "broadcast_id": b["id"],
        "author_id": me.id,
        "author_name": me.name,
        "author_username": me.username,
        "created_at_ms": str(round(now * 1000)),
        "reply_to": reply_to,
        "text": body["text"],
    }
    store.put_record(broadcasts.CHAT, message_id, message)
    store.set_edge(BROADCAST_CHAT, b["id"], message_id, True, now)
    return Reply(200, {"data": {"success": True, "timestamp": message_id}}, note={"resource_ids": [message_id]})


def _remove(call: Call, b: dict[str, Any], message_id: str) -> None:
    call.sim.store.set_edge(BROADCAST_CHAT, b["id"], message_id, False, 0.0)
    call.sim.store.delete_record(broadcasts.CHAT, message_id)


def delete(call: Call) -> Reply:
    """DELETE /2/broadcasts/{id}/chat/{message_id}: the broadcaster's or the author's."""
    b = find(call, path_broadcast_id(call))
    message = _message(call, b)
    if call.user.id not in (b["owner_id"], message["author_id"]):
        raise errors.forbidden_because("You are not allowed to delete this chat message.", "not yours to delete")
    _remove(call, b, message["id"])
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [message["id"]]})


def mute(call: Call) -> Reply:
    """POST /2/broadcasts/{id}/chat/mutes"""
    b = _moderated(call, "mute viewers")
    body = call.req.json_object()
    store, now = call.sim.store, call.sim.clock.now()
    user = store.get_user(body["user_id"])
    if user is None:
        raise missing(call, "user", "user_id", body["user_id"])
    if user.id == b["owner_id"]:
        raise errors.invalid_request("$.user_id: the broadcaster cannot be muted in their own chat")
    end_at = int(body["end_at_ms"]) / 1000 if "end_at_ms" in body else None
    if end_at is not None and end_at <= now:
        raise errors.invalid_request("$.end_at_ms: must be in the future")
    if "message_id" in body:
        message = store.get_record(broadcasts.CHAT, body["message_id"])
        if message is not None and message["broadcast_id"] == b["id"] and message["author_id"] == user.id:
            _remove(call, b, message["id"])
    store.put_record(broadcasts.MUTES, broadcasts.mute_key(b["id"], user.id), {"end_at": end_at, "at": now})
    return Reply(200, {"data": {"muted": True}}, note={"resource_ids": [b["id"]]})


def unmute(call: Call) -> Reply:
    """DELETE /2/broadcasts/{id}/chat/mutes/{user_id}"""
    b = _moderated(call, "unmute viewers")
    user_id = call.params["user_id"]
    if not digits.is_digits(user_id, 19) or user_id.startswith("0"):
        raise errors.pattern_mismatch("user_id", user_id, "^[1-9][0-9]{0,18}$")
    call.sim.store.delete_record(broadcasts.MUTES, broadcasts.mute_key(b["id"], user_id))
    return Reply(200, {"data": {"muted": False}}, note={"resource_ids": [b["id"]]})
