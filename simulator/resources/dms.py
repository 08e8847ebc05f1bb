"""Direct messages on the X surface: send (one-to-one, to a conversation, a new group), look up events (all of
the user's, one conversation's, one event), delete, download attached media, and DM blocks.

The rules live in simulator/dm_rules.py; these handlers parse, act through them and render. OAuth 1.0a tokens
need the app permission "Read, write, and Direct Messages" (X's oauth1-permissions 403 otherwise); OAuth 2.0
tokens need the dm.* scopes, which the endpoint declarations carry.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import dm_rules, errors
from xmock.simulator.clock import iso_utc
from xmock.simulator.media import CATEGORIES
from xmock.simulator.media import render as render_media
from xmock.simulator.models import DmEvent, User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import DM_BLOCKS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.resources.lists import path_id
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.text import entities, shown
from xmock.simulator.xrequest import Reply

DM_ACCESS = "read-write-directmessages"
MAX_RESULTS_DEFAULT = 100
DM_EVENT_FIELDS = frozenset(
    ["attachments", "created_at", "dm_conversation_id", "entities", "event_type", "id", "participant_ids",
     "referenced_tweets", "sender_id", "text"]
)
# The spec's names and the live ones (docs: referenced_tweets.id), each to the one rendered.
DM_EXPANSIONS = {
    "attachments.media_keys": "attachments.media_keys",
    "participant_ids": "participant_ids",
    "referenced_posts": "referenced_tweets.id",
    "referenced_tweets.id": "referenced_tweets.id",
    "sender_id": "sender_id",
}
ALL_TYPES = dm_rules.EVENT_TYPES


def _me(call: Call) -> str:
    """The authenticated user, once their token may touch DMs."""
    level = call.auth.access_level
    if level is not None and level != DM_ACCESS:
        raise errors.oauth1_permissions(level)
    return call.user.id


def _refused(exc: dm_rules.Refused) -> errors.XError:
    if exc.status == 400:
        return errors.invalid_request(exc.detail)
    return errors.forbidden_because(exc.detail)


def _user(call: Call, parameter: str) -> User:
    user_id = path_id(call, parameter)
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", parameter, user_id)
    return user


def _conversation_id(call: Call, name: str) -> str:
    value = call.params[name]
    if not dm_rules.CONVERSATION_ID.match(value):
        raise errors.pattern_mismatch(name, value, "^([0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19})$")
    return value


def _created(event: DmEvent) -> Reply:
    body = {"data": {"dm_conversation_id": event.dm_conversation_id, "dm_event_id": event.id}}
    return Reply(201, body, note={"resource_ids": [event.id]})


# sending -------------------------------------------------------------------------------------------------
def send_to_participant(call: Call) -> Reply:
    """POST /2/dm_conversations/with/{participant_id}/messages"""
    me = _me(call)
    recipient = _user(call, "participant_id")
    body = checked_body(call, "CreateDirectMessagesByParticipantIdRequest")
    try:
        text, media_ids = dm_rules.message_parts(call.sim, me, body.get("text"), body.get("attachments"))
        event = dm_rules.send_to_user(call.sim, me, recipient.id, text, media_ids, call.auth.app.id)
    except dm_rules.Refused as exc:
        raise _refused(exc) from None
    return _created(event)


def send_to_conversation(call: Call) -> Reply:
    """POST /2/dm_conversations/{dm_conversation_id}/messages"""
    me = _me(call)
    conversation_id = _conversation_id(call, "dm_conversation_id")
    body = checked_body(call, "CreateDirectMessagesByConversationIdRequest")
    try:
        text, media_ids = dm_rules.message_parts(call.sim, me, body.get("text"), body.get("attachments"))
        event = dm_rules.send_to_conversation(call.sim, me, conversation_id, text, media_ids, call.auth.app.id)
    except dm_rules.Refused as exc:
        raise _refused(exc) from None
    return _created(event)


def create_conversation(call: Call) -> Reply:
    """POST /2/dm_conversations: a group, with its first message"""
    me = _me(call)
    body = checked_body(call, "CreateDirectMessagesConversationRequest")
    if body["conversation_type"] != "Group":  # case-sensitive, as on X
        raise errors.invalid_request('$.conversation_type: does not have a value in the enumeration ["Group"]')
    invited = body["participant_ids"]
    if not isinstance(invited, list) or not all(isinstance(i, str) and paging_id(i) for i in invited):
        raise errors.invalid_request("$.participant_ids: expected an array of user ids matching ^[0-9]{1,19}$")
    message = body["message"]
    if not isinstance(message, dict):
        raise errors.type_mismatch("message", message, "object")
    for key in message:
        if key not in ("text", "attachments"):
            raise errors.invalid_request(
                f"$.message.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    try:
        text, media_ids = dm_rules.message_parts(call.sim, me, message.get("text"), message.get("attachments"))
        _, event = dm_rules.create_group(call.sim, me, invited, text, media_ids, call.auth.app.id)
    except dm_rules.Refused as exc:
        raise _refused(exc) from None
    return _created(event)


def paging_id(value: str) -> bool:
    return len(value) <= 19 and value.isascii() and value.isdigit()


# reading -------------------------------------------------------------------------------------------------
def all_events(call: Call) -> Reply:
    """GET /2/dm_events: every conversation of the user"""
    me = _me(call)
    return _events_page(call, me, dm_rules.conversations_of(call.sim.store, me))


def conversation_events(call: Call) -> Reply:
    """GET /2/dm_conversations/{id}/dm_events"""
    me = _me(call)
    conversation_id = _conversation_id(call, "id")
    if not dm_rules.is_participant(call.sim.store, conversation_id, me):
        raise errors.forbidden_because("You are not a participant of this conversation.")
    return _events_page(call, me, [conversation_id])


def participant_events(call: Call) -> Reply:
    """GET /2/dm_conversations/with/{participant_id}/dm_events: the one-to-one conversation with that user"""
    me = _me(call)
    other = _user(call, "participant_id")
    return _events_page(call, me, [dm_rules.one_to_one_id(me, other.id)] if other.id != me else [])


def event_by_id(call: Call) -> Reply:
    """GET /2/dm_events/{event_id}"""
    me = _me(call)
    event_id = path_id(call, "event_id")
    event = call.sim.store.get_dm_event(event_id)
    if event is None or not dm_rules.readable(call.sim, event, me):
        raise missing(call, "dm_event", "event_id", event_id)
    found = [event]
    body = render.envelope(_render(call, found)[0], _includes(call, found))
    return Reply(200, body, note={"resource_ids": [event.id]})


def delete_event(call: Call) -> Reply:
    """DELETE /2/dm_events/{event_id}: the sender's own messages only"""
    me = _me(call)
    event_id = path_id(call, "event_id")
    event = call.sim.store.get_dm_event(event_id)
    if event is None or not dm_rules.readable(call.sim, event, me):
        raise missing(call, "dm_event", "event_id", event_id)
    try:
        dm_rules.delete(call.sim, me, event)
    except dm_rules.Refused as exc:
        raise _refused(exc) from None
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [event_id]})


def _types(call: Call) -> tuple[str, ...]:
    raw = call.req.arg("event_types")
    return ALL_TYPES if raw is None else tuple(t for t in raw.split(",") if t in ALL_TYPES)


def _events_page(call: Call, me: str, conversation_ids: list[str]) -> Reply:
    limit = paging.max_results(call.req, MAX_RESULTS_DEFAULT)
    edges = dm_rules.events_of(call.sim, conversation_ids, _types(call))
    ids, meta = paging.edge_page(edges, call.req, limit)
    store = call.sim.store
    found = [e for e in (store.get_dm_event(i) for i in ids) if e is not None]
    data = _render(call, found) or None
    body = render.envelope(data, _includes(call, found) if found else None, meta=meta)
    return Reply(200, body, note={"resource_ids": [e.id for e in found]})


# rendering -----------------------------------------------------------------------------------------------
def _asked(call: Call) -> tuple[frozenset[str], frozenset[str]]:
    req = call.req
    if not req.query_string:
        return frozenset(), frozenset()
    fields = frozenset(render.listed(req, ("dm_event.fields",), DM_EVENT_FIELDS))
    expansions = frozenset(DM_EXPANSIONS[e] for e in render.listed(req, ("expansions",), DM_EXPANSIONS))
    return fields, expansions


def _render(call: Call, found: list[DmEvent]) -> list[dict[str, Any]]:
    fields, expansions = _asked(call)
    return [render_event(call, e, fields, expansions) for e in found]


def render_event(call: Call, event: DmEvent, fields: frozenset[str], expansions: frozenset[str]) -> dict[str, Any]:
    """A DM event as X shows it: `id`, `event_type` and (messages) `text` by default; the rest when asked for,
    and the ids an expansion follows whenever it is asked for."""
    out: dict[str, Any] = {"id": event.id, "event_type": event.event_type}
    message = event.event_type == dm_rules.MESSAGE_CREATE
    if message:
        out["text"] = shown(event.text)
    if "created_at" in fields:
        out["created_at"] = iso_utc(event.created_at)
    if "dm_conversation_id" in fields:
        out["dm_conversation_id"] = event.dm_conversation_id
    if "sender_id" in fields or "sender_id" in expansions:
        out["sender_id"] = event.sender_id
    if event.participant_ids and ("participant_ids" in fields or "participant_ids" in expansions):
        out["participant_ids"] = list(event.participant_ids)
    if event.media_ids and ("attachments" in fields or "attachments.media_keys" in expansions):
        keys = [m.media_key for m in _media(call, event)]
        if keys:
            out["attachments"] = {"media_keys": keys}
    if event.referenced_post_ids and ("referenced_tweets" in fields or "referenced_tweets.id" in expansions):
        out["referenced_tweets"] = [{"id": post_id} for post_id in event.referenced_post_ids]
    if message and "entities" in fields:
        found = entities(event.text)
        if found:
            out["entities"] = found
    return dict(sorted(out.items()))


def _media(call: Call, event: DmEvent) -> list[Any]:
    found = (call.sim.store.get_media(media_id) for media_id in event.media_ids)
    return [m for m in found if m is not None]


def _includes(call: Call, found: list[DmEvent]) -> dict[str, list[dict]]:
    _, expansions = _asked(call)
    if not expansions:
        return {}
    store = call.sim.store
    sel = render.selection(call.req)
    out: dict[str, list[dict]] = {}
    user_ids: list[str] = []
    for event in found:
        if "sender_id" in expansions:
            user_ids.append(event.sender_id)
        if "participant_ids" in expansions:
            user_ids.extend(event.participant_ids)
    users = [u for u in (store.get_user(i) for i in dict.fromkeys(user_ids)) if u is not None]
    if users:
        out["users"] = [render.render_user(u, sel, store, viewer=call.user.id) for u in users]
    if "referenced_tweets.id" in expansions:
        post_ids = dict.fromkeys(p for e in found for p in e.referenced_post_ids)
        posts = [p for p in (store.get_post(i) for i in post_ids) if p is not None]
        if posts:
            out["tweets"] = [render.render_post(p, sel, store, "includes") for p in posts]
    if "attachments.media_keys" in expansions:
        items = [render_media(m, sel.media_fields) for e in found for m in _media(call, e)]
        if items:
            out["media"] = items
    return out


# media ---------------------------------------------------------------------------------------------------
def media_download(call: Call) -> Reply:
    """GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}: an attachment's bytes, for participants.

    xmock keeps no upload's bytes (only sizes and digests): the answer is a short placeholder of the media's type."""
    me = _me(call)
    dm_id = path_id(call, "dm_id")
    media_id = path_id(call, "media_id")
    resource_id = call.params["resource_id"]
    event = call.sim.store.get_dm_event(dm_id)
    if event is None or not dm_rules.readable(call.sim, event, me):
        raise missing(call, "dm_event", "dm_id", dm_id)
    found = call.sim.store.get_media(media_id) if media_id in event.media_ids else None
    if found is None:
        raise missing(call, "media", "media_id", media_id)
    kind = CATEGORIES[found.category].kind
    payload = f"xmock {kind} {found.media_key} {resource_id}\n".encode()
    return Reply(200, payload, content_type=found.media_type, note={"resource_ids": [found.media_key]})


# DM blocks -----------------------------------------------------------------------------------------------
def block(call: Call) -> Reply:
    """POST /2/users/{id}/dm/block: the user `id` may no longer DM the authenticated user"""
    return _dm_block(call, True)


def unblock(call: Call) -> Reply:
    """POST /2/users/{id}/dm/unblock"""
    return _dm_block(call, False)


def _dm_block(call: Call, on: bool) -> Reply:
    me = _me(call)
    target = _user(call, "id")
    if target.id == me:
        raise errors.forbidden_because("You cannot block direct messages from yourself.")
    call.sim.store.set_edge(DM_BLOCKS, me, target.id, on, call.sim.clock.now())
    return Reply(200, {"data": {"blocked": on}}, note={"resource_ids": [target.id]})
