"""What happens in the world, recorded once as an event with the simulator's time.

The store appends an event in the same call that changes the world (a post stored or deleted, an edge
made or removed), so every way of acting — the X surface, the control API, `Simulator` methods, the
audience — publishes exactly once. Streams, webhooks, the Account Activity and X Activity APIs are
readers of that log (see simulator.bus); nothing publishes the same fact twice.

An event is a small JSON object: `type` ("post.create", "follow.delete", ...), `at` (simulator time),
and the ids it concerns. Readers load the records they need from the store.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator.models import DmEvent, Post
from xmock.simulator.relations import (
    ACCOUNT_STATES,
    BLOCKS,
    BOOKMARKS,
    FOLLOW_REQUESTS,
    FOLLOWS,
    LIKES,
    MUTES,
    REPOSTS,
)

POST_CREATE = "post.create"
POST_DELETE = "post.delete"

# Edge kinds whose changes are events, and the event's name: "<name>.create" / "<name>.delete".
EDGE_EVENTS = {
    FOLLOWS: "follow",
    FOLLOW_REQUESTS: "follow_request",
    BLOCKS: "block",
    MUTES: "mute",
    LIKES: "like",
    REPOSTS: "repost",
    BOOKMARKS: "bookmark",
    ACCOUNT_STATES: "account_state",  # a user suspended or deactivated (target: the state), or restored
}


def post_created(post: Post) -> dict[str, Any]:
    return {
        "type": POST_CREATE,
        "at": post.created_at,
        "post_id": post.id,
        "author_id": post.author_id,
        "app_id": post.app_id,
    }


def post_deleted(post: Post, at: float) -> dict[str, Any]:
    return {"type": POST_DELETE, "at": at, "post_id": post.id, "author_id": post.author_id, "app_id": post.app_id}


def edge_changed(kind: str, src: str, dst: str, on: bool, at: float) -> dict[str, Any] | None:
    """The event an edge change is, or None for kinds that are bookkeeping (indexes, list pins, ...)."""
    name = EDGE_EVENTS.get(kind)
    if name is None:
        return None
    return {"type": f"{name}.{'create' if on else 'delete'}", "at": at, "actor_id": src, "target_id": dst}


# direct messages: a DM event stored or deleted, and the indicators (typing, read) that are not stored.
DM_CREATE = "dm.create"
DM_DELETE = "dm.delete"
DM_TYPING = "dm.typing"
DM_READ = "dm.read"


def dm_created(event: DmEvent, participants: list[str]) -> dict[str, Any]:
    """`participants`: everyone in the conversation when the event happened (whose inboxes it reaches)."""
    return {
        "type": DM_CREATE,
        "at": event.created_at,
        "dm_event_id": event.id,
        "event_type": event.event_type,
        "dm_conversation_id": event.dm_conversation_id,
        "sender_id": event.sender_id,
        "participant_ids": participants,
        "app_id": event.app_id,
    }


def dm_deleted(event: DmEvent, at: float) -> dict[str, Any]:
    return {
        "type": DM_DELETE,
        "at": at,
        "dm_event_id": event.id,
        "dm_conversation_id": event.dm_conversation_id,
        "sender_id": event.sender_id,
    }


def dm_typing(conversation_id: str, sender_id: str, participants: list[str], at: float) -> dict[str, Any]:
    return {
        "type": DM_TYPING,
        "at": at,
        "dm_conversation_id": conversation_id,
        "sender_id": sender_id,
        "participant_ids": participants,
    }


def dm_read(
    conversation_id: str, reader_id: str, last_read_event_id: str, participants: list[str], at: float
) -> dict[str, Any]:
    return {
        "type": DM_READ,
        "at": at,
        "dm_conversation_id": conversation_id,
        "sender_id": reader_id,
        "last_read_event_id": last_read_event_id,
        "participant_ids": participants,
    }
