"""XChat's rules, in one place: conversation ids, who is in a conversation, what a message, a key change and an
upload may be, and the records the simulator keeps of them. The X surface (resources/chat*.py) and the Simulator's
arranging methods (core_chat.py) both act through these functions.

XChat is end-to-end encrypted: the simulator never reads a message, a key or an upload. It stores what clients
send as opaque strings and bytes, and enforces membership, sizes and X's refusals around them.

- Conversation ids: a one-to-one conversation is `<smaller id>-<larger id>` (as DMs); a client may name it by the
  other user's id alone. A group is `g<snowflake>`, reserved by `initialize` and made by `create`.
- Whom you may chat with: the DM rules (blocks both ways, DM blocks, a "following" DM setting; dm_rules).
- Groups: 2-49 members besides the creator (the DM group figures); admins (the creator unless named) add members.
- Every write that carries keys must give one encrypted conversation key per member.
- Records live in the store's record tables, membership and event order in edges (simulator.relations).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any

from xmock.simulator import dm_rules
from xmock.simulator.dm_rules import Refused
from xmock.simulator.relations import CHAT_EVENTS, CHAT_HIDDEN, CHAT_MEMBERS, CHAT_PUBLIC_KEYS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.store import Store

CONVERSATIONS = "chat_conversations"  # id -> conversation record
DRAFTS = "chat_group_drafts"  # group id reserved by initialize -> {"creator_id", "created_at"}
EVENTS = "chat_events"  # sequence id -> event record
MESSAGE_IDS = "chat_message_ids"  # "<conversation>:<client message id>" -> {"event_id"} (a resend is the same)
READS = "chat_reads"  # "<conversation>:<user>" -> {"seen_until", "at"}
PUBLIC_KEYS = "chat_public_keys"  # "<user>:<version>" -> public key record

CONVERSATION_ID = re.compile(r"^(?:[0-9]{1,19}|[0-9]{1,19}-[0-9]{1,19}|g[0-9]{1,19})\Z")
BASE64 = re.compile(r"^[A-Za-z0-9+/=_-]+\Z")
NUMERIC = re.compile(r"^[0-9]{1,19}\Z")
MESSAGE, KEY_CHANGE, ACTION = "message", "key_change", "action"
ONE_TO_ONE, GROUP = "one_to_one", "group"
NOT_MEMBER = "You are not a member of this conversation."
GROUP_MAX = dm_rules.GROUP_MAX + 1  # members, the creator included


class NotFound(Exception):
    """A conversation, event or key that does not exist (or that the caller may not know of)."""

    def __init__(self, resource_type: str, parameter: str, value: str) -> None:
        super().__init__(f"{resource_type} {value}")
        self.resource_type, self.parameter, self.value = resource_type, parameter, value


# conversations -------------------------------------------------------------------------------------------------
def resolve(sim: Simulator, me: str, raw: str, parameter: str = "id") -> str:
    """The canonical id of conversation `raw` as `me` names it; NotFound for a group that does not exist,
    Refused for one `me` may not use. A one-to-one id needs no record: the pair is the conversation."""
    if raw.startswith("g"):
        if conversation(sim.store, raw) is None:
            raise NotFound("conversation", parameter, raw)
        if not is_member(sim.store, raw, me):
            raise Refused(NOT_MEMBER)
        return raw
    pair = dm_rules.pair_of(raw)
    if pair is None:  # the other user's id alone
        other = raw
    elif me not in pair:
        raise Refused(NOT_MEMBER)
    else:
        other = pair[1] if pair[0] == me else pair[0]
    if other == me or sim.store.get_user(other) is None:
        raise NotFound("user", parameter, other)
    return dm_rules.one_to_one_id(me, other)


def conversation(store: Store, conversation_id: str) -> dict[str, Any] | None:
    return store.get_record(CONVERSATIONS, conversation_id)


def members(store: Store, conversation_id: str) -> list[str]:
    pair = dm_rules.pair_of(conversation_id)
    if pair is not None:
        return list(pair)
    return sorted((user_id for user_id, _ in store.edges_from(CHAT_MEMBERS, conversation_id)), key=int)


def is_member(store: Store, conversation_id: str, user_id: str) -> bool:
    pair = dm_rules.pair_of(conversation_id)
    if pair is not None:
        return user_id in pair
    return store.edge_at(CHAT_MEMBERS, conversation_id, user_id) is not None


def conversations_of(store: Store, user_id: str) -> list[str]:
    return [conversation_id for conversation_id, _ in store.edges_to(CHAT_MEMBERS, user_id)]


def check_may_write(sim: Simulator, me: str, conversation_id: str) -> None:
    """A one-to-one conversation takes new content only where the other user takes DMs from `me`."""
    pair = dm_rules.pair_of(conversation_id)
    if pair is not None:
        other = pair[1] if pair[0] == me else pair[0]
        dm_rules.check_can_message(sim.store, me, other)


def ensure(sim: Simulator, me: str, conversation_id: str) -> dict[str, Any]:
    """The conversation's record; a one-to-one conversation gets one with its first write."""
    found = conversation(sim.store, conversation_id)
    if found is not None:
        return found
    now = sim.clock.now()
    record = {"id": conversation_id, "type": ONE_TO_ONE, "creator_id": me, "created_at": now, "updated_at": now,
              "admin_ids": [], "key_version": None, "ttl_ms": None}
    sim.store.put_record(CONVERSATIONS, conversation_id, record)
    for user_id in members(sim.store, conversation_id):
        sim.store.set_edge(CHAT_MEMBERS, conversation_id, user_id, True, now)
    return record


def touch(sim: Simulator, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    record = {**record, **changes, "updated_at": sim.clock.now()}
    sim.store.put_record(CONVERSATIONS, record["id"], record)
    return record


# groups ----------------------------------------------------------------------------------------------------
def initialize_group(sim: Simulator, me: str) -> str:
    group_id = "g" + sim.ids.next_id()
    sim.store.put_record(DRAFTS, group_id, {"creator_id": me, "created_at": sim.clock.now()})
    return group_id


def create_group(sim: Simulator, me: str, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Make the group `body["conversation_id"]` reserved by `me`: (its record, the key change's sequence id)."""
    group_id = body["conversation_id"]
    draft = sim.store.get_record(DRAFTS, group_id) if group_id.startswith("g") else None
    if draft is None or draft["creator_id"] != me:
        raise Refused("$.conversation_id: not a group conversation id initialized by you", 400)
    if conversation(sim.store, group_id) is not None:
        raise Refused("$.conversation_id: this conversation already exists", 400)
    others = [u for u in dict.fromkeys(body["group_members"]) if u != me]
    if not dm_rules.GROUP_MIN <= len(others) <= dm_rules.GROUP_MAX:
        raise Refused(
            f"$.group_members: a group has {dm_rules.GROUP_MIN} to {dm_rules.GROUP_MAX} members besides you", 400
        )
    _check_joiners(sim, me, others, [])
    everyone = [me, *others]
    admins = list(dict.fromkeys(body.get("group_admins") or [me]))
    if not set(admins) <= set(everyone):
        raise Refused("$.group_admins: every admin must be a member of the group", 400)
    ttl = _number(body.get("ttl_msec"), "ttl_msec")
    keys = participant_keys(sim, body["conversation_participant_keys"], everyone)
    now = sim.clock.now()
    record = {"id": group_id, "type": GROUP, "creator_id": me, "created_at": now, "updated_at": now,
              "admin_ids": admins, "key_version": body["conversation_key_version"], "ttl_ms": ttl}
    for name in ("group_name", "group_avatar_url", "group_description"):
        if name in body:
            record[name] = body[name]
    sim.store.put_record(CONVERSATIONS, group_id, record)
    for user_id in everyone:
        sim.store.set_edge(CHAT_MEMBERS, group_id, user_id, True, now)
    sim.store.delete_record(DRAFTS, group_id)
    sequence_id = key_change(sim, me, group_id, body["conversation_key_version"], keys, body)
    return record, sequence_id


def add_members(sim: Simulator, me: str, conversation_id: str, body: dict[str, Any]) -> str:
    """Admin `me` adds `body["user_ids"]` to a group: the sequence id of the change."""
    record = conversation(sim.store, conversation_id)
    if record is None or record["type"] != GROUP:
        raise Refused("Members can only be added to a group conversation.", 400)
    if me not in record["admin_ids"]:
        raise Refused("Only the group's admins can add members.")
    current = members(sim.store, conversation_id)
    joining = list(dict.fromkeys(body["user_ids"]))
    if not joining:
        raise Refused("$.user_ids: there must be a minimum of 1 items in the array", 400)
    _check_joiners(sim, me, joining, current)
    if len(current) + len(joining) > GROUP_MAX:
        raise Refused(f"A group has at most {GROUP_MAX} members.")
    everyone = current + joining
    version = body.get("conversation_key_version")
    given = body.get("conversation_participant_keys") or []
    keys = participant_keys(sim, given, everyone, complete=version is not None)
    now = sim.clock.now()
    for user_id in joining:
        sim.store.set_edge(CHAT_MEMBERS, conversation_id, user_id, True, now)
    changes: dict[str, Any] = {"key_version": version} if version is not None else {}
    touch(sim, record, **changes)
    if version is not None:
        return key_change(sim, me, conversation_id, version, keys, body, added=joining)
    return record_event(sim, me, conversation_id, ACTION, added=joining, actions=_actions(body))["id"]


def _check_joiners(sim: Simulator, me: str, joining: list[str], current: list[str]) -> None:
    for user_id in joining:
        if not NUMERIC.match(user_id) or sim.store.get_user(user_id) is None:
            raise Refused(f"user {user_id} does not exist", 400)
        if user_id in current:
            raise Refused(f"user {user_id} is already a member of this conversation", 400)
        dm_rules.check_can_message(sim.store, me, user_id)


# keys ------------------------------------------------------------------------------------------------------
def participant_keys(
    sim: Simulator, given: list[dict[str, Any]], everyone: list[str], complete: bool = True
) -> dict[str, dict[str, Any]]:
    """The encrypted conversation keys by member: one per member (`complete`), for members only, and naming a
    public key version the member registered, where they registered any."""
    keys: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(given):
        user_id = item.get("user_id")
        if user_id not in everyone:
            raise Refused(f"$.conversation_participant_keys[{i}].user_id: not a member of the conversation", 400)
        if user_id in keys:
            raise Refused(f"$.conversation_participant_keys[{i}].user_id: a second key for user {user_id}", 400)
        if not item.get("encrypted_conversation_key"):
            raise Refused(
                f"$.conversation_participant_keys[{i}]: required property 'encrypted_conversation_key' not found", 400
            )
        version = item.get("public_key_version")
        registered = public_key_versions(sim.store, user_id)
        if version is not None and registered and version not in registered:
            raise Refused(
                f"$.conversation_participant_keys[{i}].public_key_version: user {user_id} has no public key "
                f"version {version}",
                400,
            )
        keys[user_id] = dict(item)
    missing = [u for u in everyone if u not in keys]
    if complete and missing:
        raise Refused(f"$.conversation_participant_keys: no key for member {missing[0]}", 400)
    return keys


def add_keys(sim: Simulator, me: str, conversation_id: str, body: dict[str, Any]) -> str:
    """A new conversation key for every member: the key change's sequence id."""
    check_may_write(sim, me, conversation_id)
    record = ensure(sim, me, conversation_id)
    everyone = members(sim.store, conversation_id)
    keys = participant_keys(sim, body["conversation_participant_keys"], everyone)
    touch(sim, record, key_version=body["conversation_key_version"])
    return key_change(sim, me, conversation_id, body["conversation_key_version"], keys, body)


def key_change(
    sim: Simulator,
    me: str,
    conversation_id: str,
    version: str,
    keys: dict[str, dict[str, Any]],
    body: dict[str, Any],
    added: list[str] | None = None,
) -> str:
    extra: dict[str, Any] = {"key_version": version, "participant_keys": keys, "actions": _actions(body)}
    if body.get("base64_encoded_key_rotation") is not None:
        extra["key_rotation"] = body["base64_encoded_key_rotation"]
    if added:
        extra["added"] = added
    return record_event(sim, me, conversation_id, KEY_CHANGE, **extra)["id"]


def _actions(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body.get("action_signatures") or [])


# events ----------------------------------------------------------------------------------------------------
def record_event(sim: Simulator, sender: str, conversation_id: str, kind: str, **fields: Any) -> dict[str, Any]:
    """Store an event of a conversation with the next sequence id, after the conversation's latest one."""
    latest = sim.store.edges_from(CHAT_EVENTS, conversation_id)
    event = {"id": sim.ids.next_id(), "conversation_id": conversation_id, "sender_id": sender, "kind": kind,
             "created_at": sim.clock.now(), **fields}
    if latest:
        event["previous_id"] = latest[0][0]
    sim.store.put_record(EVENTS, event["id"], event)
    sim.store.set_edge(CHAT_EVENTS, conversation_id, event["id"], True, event["created_at"])
    return event


def send_message(sim: Simulator, me: str, conversation_id: str, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Store a message `me` sends: (its event, True if new). A resend of a client message id is the same event."""
    check_may_write(sim, me, conversation_id)
    message_id = body["message_id"]
    if not message_id:
        raise Refused("$.message_id: must be at least 1 characters long", 400)
    key = f"{conversation_id}:{message_id}"
    earlier = sim.store.get_record(MESSAGE_IDS, key)
    if earlier is not None:
        found = sim.store.get_record(EVENTS, earlier["event_id"])
        if found is not None:
            return found, False
    encoded = body["encoded_message_create_event"]
    size = decoded_size(encoded, "encoded_message_create_event")
    if size > sim.settings.chat_message_max_bytes:
        raise Refused(
            f"$.encoded_message_create_event: the message event is {size} bytes, over the "
            f"{sim.settings.chat_message_max_bytes} a message may have",
            400,
        )
    signature = body.get("encoded_message_event_signature")
    if signature is not None:
        decoded_size(signature, "encoded_message_event_signature")
    record = ensure(sim, me, conversation_id)
    fields: dict[str, Any] = {"message_id": message_id, "encoded_event": encoded}
    if signature is not None:
        fields["signature"] = signature
    if body.get("conversation_token") is not None:
        fields["conversation_token"] = body["conversation_token"]
    event = record_event(sim, me, conversation_id, MESSAGE, **fields)
    sim.store.put_record(MESSAGE_IDS, key, {"event_id": event["id"]})
    touch(sim, record)
    return event, True


def decoded_size(value: str, name: str) -> int:
    """The byte length of a base64 (standard or URL-safe) value; Refused 400 if it is not base64."""
    if not BASE64.match(value):
        raise Refused(f"$.{name}: does not match the regex pattern ^[A-Za-z0-9+/=_-]+$", 400)
    try:
        text = value.replace("-", "+").replace("_", "/")
        return len(base64.b64decode(text + "=" * (-len(text) % 4), validate=True))
    except (binascii.Error, ValueError):
        raise Refused(f"$.{name}: not valid base64", 400) from None


def visible(sim: Simulator, me: str, conversation_id: str, kinds: tuple[str, ...]) -> list[tuple[str, float]]:
    """(sequence id, time) of a conversation's events `me` sees, newest first: not deleted for them, and messages
    not past the conversation's message time-to-live (key changes stay)."""
    record = conversation(sim.store, conversation_id)
    ttl = (record or {}).get("ttl_ms")
    since = sim.clock.now() - ttl / 1000 if ttl else None
    out = []
    for event_id, at in sim.store.edges_from(CHAT_EVENTS, conversation_id):
        if sim.store.edge_at(CHAT_HIDDEN, me, event_id) is not None:
            continue
        event = sim.store.get_record(EVENTS, event_id)
        if event is not None and event["kind"] in kinds and (since is None or event["kind"] != MESSAGE or at >= since):
            out.append((event_id, at))
    return out


def delete_messages(sim: Simulator, me: str, conversation_id: str, body: dict[str, Any]) -> list[str]:
    """Delete messages for everyone (the sender's own only) or for `me` alone: the media hash keys to drop."""
    for_all = body["delete_message_action"] == "delete_for_all"
    hash_keys = list(body.get("media_hash_keys") or [])
    if hash_keys and not for_all:
        raise Refused("$.media_hash_keys: media can only be deleted with delete_for_all", 400)
    now = sim.clock.now()
    found = []
    for sequence_id in dict.fromkeys(body["sequence_ids"]):
        event = sim.store.get_record(EVENTS, sequence_id) if NUMERIC.match(sequence_id) else None
        hidden = event is not None and sim.store.edge_at(CHAT_HIDDEN, me, sequence_id) is not None
        if event is None or event["conversation_id"] != conversation_id or event["kind"] != MESSAGE or hidden:
            raise NotFound("message", "sequence_ids", sequence_id)
        if for_all and event["sender_id"] != me:
            raise Refused("You can only delete messages you sent for everyone.")
        found.append(event)
    for event in found:
        if for_all:
            sim.store.set_edge(CHAT_EVENTS, conversation_id, event["id"], False, now)
            sim.store.delete_record(EVENTS, event["id"])
        else:
            sim.store.set_edge(CHAT_HIDDEN, me, event["id"], True, now)
    return hash_keys


def mark_read(sim: Simulator, me: str, conversation_id: str, sequence_id: str) -> None:
    event = sim.store.get_record(EVENTS, sequence_id) if NUMERIC.match(sequence_id) else None
    if event is None or event["conversation_id"] != conversation_id:
        raise NotFound("message", "seen_until_sequence_id", sequence_id)
    key = f"{conversation_id}:{me}"
    earlier = sim.store.get_record(READS, key)
    if earlier is None or int(earlier["seen_until"]) < int(sequence_id):  # a read position never moves back
        sim.store.put_record(READS, key, {"seen_until": sequence_id, "at": sim.clock.now()})


def seen_until(store: Store, conversation_id: str, user_id: str) -> str | None:
    found = store.get_record(READS, f"{conversation_id}:{user_id}")
    return None if found is None else found["seen_until"]


# public keys -----------------------------------------------------------------------------------------------
def public_key_versions(store: Store, user_id: str) -> list[str]:
    """The versions of a user's registered public keys, newest first."""
    return [key.split(":", 1)[1] for key, _ in store.edges_from(CHAT_PUBLIC_KEYS, user_id)]


def public_keys(store: Store, user_id: str) -> list[dict[str, Any]]:
    found = (store.get_record(PUBLIC_KEYS, f"{user_id}:{v}") for v in public_key_versions(store, user_id))
    return [k for k in found if k is not None]


def add_public_key(sim: Simulator, user_id: str, key: dict[str, Any], version: str, generate: bool) -> dict[str, Any]:
    """Register a user's public key under `version` (or a new version the server picks: the clock's ms)."""
    registered = public_key_versions(sim.store, user_id)
    if generate:
        version = str(max([int(sim.clock.now() * 1000), *(int(v) + 1 for v in registered if v.isdigit())]))
    elif not NUMERIC.match(version):
        raise Refused("$.version: does not match the regex pattern ^[0-9]{1,19}$", 400)
    if version in registered:
        raise Refused(f"$.version: user {user_id} already has a public key version {version}", 400)
    if not key.get("public_key"):
        raise Refused("$.public_key.public_key: required property 'public_key' not found", 400)
    for name in ("public_key", "signing_public_key"):
        if key.get(name) is not None:
            decoded_size(key[name], f"public_key.{name}")
    record = {**key, "user_id": user_id, "public_key_version": version, "juicebox_config": juicebox_config(user_id)}
    sim.store.put_record(PUBLIC_KEYS, f"{user_id}:{version}", record)
    sim.store.set_edge(CHAT_PUBLIC_KEYS, user_id, f"{user_id}:{version}", True, sim.clock.now())
    return record


def juicebox_config(user_id: str) -> dict[str, Any]:
    """The recovery service's configuration X gives a key (Juicebox: realms and thresholds); a fixed local one."""
    return {
        "realms": [{"id": f"{n:032x}", "address": f"https://juicebox-{n}.xmock.invalid/"} for n in (1, 2, 3)],
        "register_threshold": 3,
        "recover_threshold": 2,
        "pin_hashing_mode": "Standard2019",
    }


def _number(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if not NUMERIC.match(value):
        raise Refused(f"$.{name}: expected a number of milliseconds as a numeric string", 400)
    return int(value)
