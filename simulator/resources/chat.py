"""XChat on the X surface: conversations (list, get, group initialize and create, members), events, conversation
keys, messages (send, delete), read receipts and typing indicators.

The rules live in simulator/chat_rules.py; these handlers parse, act through them and render. The pipeline has
checked each JSON body against the spec (body_rules). OAuth 1.0a tokens need the app permission "Read, write, and
Direct Messages", as DMs do; OAuth 2.0 tokens need the dm.* scopes the endpoint declarations carry.
Messages, typing, reads and new members go to the event log (types chat.*), where the journal's readers see them.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from xmock.simulator import chat_rules, errors
from xmock.simulator.chat_rules import NotFound
from xmock.simulator.clock import iso_utc
from xmock.simulator.dm_rules import Refused
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import FOLLOWS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.dms import DM_ACCESS
from xmock.simulator.xrequest import Reply

MAX_RESULTS_DEFAULT = 10  # conversations and events: 1-100 (10), the spec
CONVERSATION_DEFAULT = ("id", "type")
EVENT_DEFAULT = ("id", "encoded_event")
EXPANSIONS = ("admin_ids", "member_ids", "participant_ids")


def me_of(call: Call) -> str:
    """The authenticated user, once their token may touch DMs."""
    level = call.auth.access_level
    if level is not None and level != DM_ACCESS:
        raise errors.oauth1_permissions(level)
    return call.user.id


def refused(call: Call, exc: Exception) -> errors.XError:
    """X's answer to a refusal of the rules: 400, 403, or a lookup's not-found."""
    if isinstance(exc, NotFound):
        error = errors.not_found_error(exc.resource_type, exc.parameter, exc.value)
        return errors.missing_resource(call.sim.settings.missing_resource_status, error)
    assert isinstance(exc, Refused)
    if exc.status == 400:
        return errors.invalid_request(exc.detail)
    return errors.forbidden_because(exc.detail)


def conversation_param(call: Call, name: str = "id") -> str:
    value = call.params[name]
    if not chat_rules.CONVERSATION_ID.match(value):
        raise errors.pattern_mismatch(name, value, "^([0-9]{1,19}|[0-9]{1,19}-[0-9]{1,19}|g[0-9]{1,19})$")
    return value


def resolved(call: Call, me: str, name: str = "id") -> str:
    try:
        return chat_rules.resolve(call.sim, me, conversation_param(call, name), name)
    except (Refused, NotFound) as exc:
        raise refused(call, exc) from None


def _log(call: Call, kind: str, conversation_id: str, me: str, **extra: Any) -> None:
    event = {"type": kind, "at": call.sim.clock.now(), "conversation_id": conversation_id, "sender_id": me,
             "member_ids": chat_rules.members(call.sim.store, conversation_id), **extra}
    call.sim.store.append_event(event)


# conversations ---------------------------------------------------------------------------------------------
def render_conversation(call: Call, record: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    store = call.sim.store
    everyone = chat_rules.members(store, record["id"])
    values: dict[str, Any] = {
        "id": record["id"],
        "type": record["type"],
        "created_at": iso_utc(record["created_at"]),
        "updated_at": iso_utc(record["updated_at"]),
        "group_name": record.get("group_name"),
        "group_avatar_url": record.get("group_avatar_url"),
        "is_muted": False,  # the spec has no way to mute a conversation
        "message_ttl_ms": record.get("ttl_ms"),
        "screen_capture_blocking_enabled": False,
        "screen_capture_detection_enabled": False,
        "admin_ids": list(record.get("admin_ids") or []),
        "member_ids": everyone,
        "participant_ids": everyone,
    }
    return {k: v for k, v in sorted(values.items()) if k in fields and v is not None}


def _asked(call: Call, name: str, default: tuple[str, ...]) -> frozenset[str]:
    asked = paging.listed(call.req, name) if call.req.arg(name) else []
    return frozenset((*default, *asked))


def _conversations_body(call: Call, records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    expansions = frozenset(paging.listed(call.req, "expansions")) if call.req.arg("expansions") else frozenset()
    fields = _asked(call, "chat_conversation.fields", CONVERSATION_DEFAULT) | expansions
    data = [render_conversation(call, r, fields) for r in records]
    asked = [name for name in EXPANSIONS if name in expansions]
    user_ids = dict.fromkeys(u for item in data for name in asked for u in item.get(name, ()))
    store = call.sim.store
    users = [u for u in (store.get_user(i) for i in user_ids) if u is not None]
    includes = {}
    if users:
        sel = render.selection(call.req)
        includes["users"] = [render.render_user(u, sel, store, viewer=call.user.id) for u in users]
    return data, includes


def list_conversations(call: Call) -> Reply:
    """GET /2/chat/conversations: the user's conversations, most recently active first"""
    me = me_of(call)
    store = call.sim.store
    records = [r for r in (chat_rules.conversation(store, c) for c in chat_rules.conversations_of(store, me)) if r]
    records.sort(key=lambda r: (r["updated_at"], r["id"]), reverse=True)
    by_id = {r["id"]: r for r in records}
    page_ids, meta = paging.edge_page([(r["id"], r["updated_at"]) for r in records], call.req,
                                      paging.max_results(call.req, MAX_RESULTS_DEFAULT))
    meta.pop("previous_token", None)  # the spec's meta has none
    meta["has_more"] = "next_token" in meta
    meta["has_message_requests"] = any(_is_request(call, me, r) for r in records)
    data, includes = _conversations_body(call, [by_id[i] for i in page_ids])
    body = render.envelope(data, includes, meta={k: meta[k] for k in sorted(meta)})
    return Reply(200, body, note={"resource_ids": page_ids})


def _is_request(call: Call, me: str, record: dict[str, Any]) -> bool:
    """A message request: a one-to-one conversation someone `me` does not follow started, `me` never wrote in."""
    creator = record["creator_id"]
    if record["type"] != chat_rules.ONE_TO_ONE or creator == me:
        return False
    if call.sim.store.edge_at(FOLLOWS, me, creator) is not None:
        return False
    mine = (call.sim.store.get_record(chat_rules.EVENTS, e) for e, _ in
            chat_rules.visible(call.sim, me, record["id"], (chat_rules.MESSAGE,)))
    return not any(e is not None and e["sender_id"] == me for e in mine)


def get_conversation(call: Call) -> Reply:
    """GET /2/chat/conversations/{id}"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    record = chat_rules.conversation(call.sim.store, conversation_id)
    if record is None:  # a one-to-one pair nobody has written to yet
        raise refused(call, NotFound("conversation", "id", call.params["id"]))
    data, includes = _conversations_body(call, [record])
    return Reply(200, render.envelope(data[0], includes), note={"resource_ids": [conversation_id]})


def initialize_group(call: Call) -> Reply:
    """POST /2/chat/conversations/group/initialize: reserve a group id for the create that follows"""
    me = me_of(call)
    group_id = chat_rules.initialize_group(call.sim, me)
    return Reply(200, {"data": {"conversation_id": group_id}}, note={"resource_ids": [group_id]})


def create_group(call: Call) -> Reply:
    """POST /2/chat/conversations/group"""
    me = me_of(call)
    body = call.req.json_object()
    try:
        record, sequence_id = chat_rules.create_group(call.sim, me, body)
    except Refused as exc:
        raise refused(call, exc) from None
    _log(call, "chat.conversation.join", record["id"], me, added=chat_rules.members(call.sim.store, record["id"]))
    data = {"conversation_id": record["id"], "conversation_key_change_sequence_id": sequence_id}
    return Reply(201, {"data": data}, note={"resource_ids": [record["id"]]})


def add_members(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/members (2.167 declares a Post as the answer; see README)"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    body = call.req.json_object()
    try:
        sequence_id = chat_rules.add_members(call.sim, me, conversation_id, body)
    except Refused as exc:
        raise refused(call, exc) from None
    _log(call, "chat.conversation.member_added", conversation_id, me, added=list(dict.fromkeys(body["user_ids"])))
    data = {"conversation_id": conversation_id, "sequence_id": sequence_id}
    return Reply(200, {"data": data}, note={"resource_ids": [conversation_id]})


def add_keys(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/keys: a new conversation key, encrypted for each member"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    try:
        sequence_id = chat_rules.add_keys(call.sim, me, conversation_id, call.req.json_object())
    except Refused as exc:
        raise refused(call, exc) from None
    data = {"conversation_id": conversation_id, "sequence_id": sequence_id}
    return Reply(200, {"data": data}, note={"resource_ids": [conversation_id]})


# events ----------------------------------------------------------------------------------------------------
def render_event(call: Call, event: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": event["id"],
        "conversation_id": event["conversation_id"],
        "sender_id": event["sender_id"],
        "created_at": iso_utc(event["created_at"]),
        "encoded_event": event.get("encoded_event"),
        "conversation_token": event.get("conversation_token"),
        "previous_id": event.get("previous_id"),
        # trusted: signed by a sender who has registered an XChat public key
        "is_trusted": bool(chat_rules.public_key_versions(call.sim.store, event["sender_id"])),
    }
    if event.get("signature") is not None:
        values["message_event_signature"] = {"encoded_message_event_signature": event["signature"]}
    return {k: v for k, v in sorted(values.items()) if k in fields and v is not None}


def conversation_events(call: Call) -> Reply:
    """GET /2/chat/conversations/{id}/events: messages, newest first; key changes' sequence ids in `meta`"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    sim = call.sim
    edges = chat_rules.visible(sim, me, conversation_id, (chat_rules.MESSAGE,))
    page_ids, meta = paging.edge_page(edges, call.req, paging.max_results(call.req, MAX_RESULTS_DEFAULT))
    meta.pop("previous_token", None)
    meta["has_more"] = "next_token" in meta
    keys = chat_rules.visible(sim, me, conversation_id, (chat_rules.KEY_CHANGE,))
    meta["conversation_key_events"] = [event_id for event_id, _ in keys]
    fields = _asked(call, "chat_message_event.fields", EVENT_DEFAULT)
    found = [e for e in (sim.store.get_record(chat_rules.EVENTS, i) for i in page_ids) if e is not None]
    data = [render_event(call, e, fields) for e in found]
    return Reply(200, render.envelope(data, meta={k: meta[k] for k in sorted(meta)}), note={"resource_ids": page_ids})


# messages, reads, typing -----------------------------------------------------------------------------------
def send_message(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/messages: an encrypted message, stored as sent"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    try:
        event, new = chat_rules.send_message(call.sim, me, conversation_id, call.req.json_object())
    except Refused as exc:
        raise refused(call, exc) from None
    if new:
        _log(call, "chat.message", conversation_id, me, sequence_id=event["id"])
    return Reply(201, {"data": {"encoded_message_event": encoded(event)}}, note={"resource_ids": [event["id"]]})


def encoded(event: dict[str, Any]) -> str:
    """The stored message event as the answer carries it: base64 of a JSON envelope (X sends Thrift; the client
    treats it as opaque)."""
    envelope = {
        "sequence_id": event["id"],
        "previous_sequence_id": event.get("previous_id"),
        "conversation_id": event["conversation_id"],
        "sender_id": event["sender_id"],
        "created_at_msec": str(int(event["created_at"] * 1000)),
        "message_id": event.get("message_id"),
        "encoded_message_create_event": event.get("encoded_event"),
    }
    raw = json.dumps({k: v for k, v in envelope.items() if v is not None}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def delete_messages(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/messages/delete"""
    from xmock.simulator import chat_media

    me = me_of(call)
    conversation_id = resolved(call, me)
    body = call.req.json_object()
    try:
        hash_keys = chat_rules.delete_messages(call.sim, me, conversation_id, body)
        chat_media.delete(call.sim, me, conversation_id, hash_keys)
    except (Refused, NotFound) as exc:
        raise refused(call, exc) from None
    _log(call, "chat.delete", conversation_id, me, sequence_ids=list(body["sequence_ids"]),
         action=body["delete_message_action"])
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": list(body["sequence_ids"])})


def mark_read(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/read"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    sequence_id = call.req.json_object()["seen_until_sequence_id"]
    try:
        chat_rules.mark_read(call.sim, me, conversation_id, sequence_id)
    except NotFound as exc:
        raise refused(call, exc) from None
    _log(call, "chat.read", conversation_id, me, seen_until_sequence_id=sequence_id)
    return Reply(200, {"data": {"success": True}}, note={"resource_ids": [conversation_id]})


def typing(call: Call) -> Reply:
    """POST /2/chat/conversations/{id}/typing: an event for the other members; nothing is stored"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    _log(call, "chat.typing", conversation_id, me)
    return Reply(200, {"data": {"success": True}}, note={"resource_ids": [conversation_id]})
