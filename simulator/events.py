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

from xmock.simulator.models import Post
from xmock.simulator.relations import BLOCKS, BOOKMARKS, FOLLOW_REQUESTS, FOLLOWS, LIKES, MUTES, REPOSTS

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
