"""The X Activity API's events for an app: which of its subscriptions an event of the world matches, and the
line `GET /2/activity/stream` sends for it (x-api-surface.md §23).

The subscriptions themselves (`/2/activity/subscriptions` CRUD) are kept by the webhooks family; this module
reads them through `subscriptions(sim, app_id)`, the one place to point at their store operation. Each is a
dict {"subscription_id", "event_type", "filter": {"user_id"?, "keyword"?, "direction"?}, "tag"?}.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from xmock.simulator.clock import iso_utc
from xmock.simulator.resources import render
from xmock.simulator.resources.text import mentioned_usernames

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post

_DEFAULT = render.Selection(frozenset(), frozenset(), frozenset(), frozenset())
# the world's event type -> the X Activity event types it may be (edge events)
_EDGE_TYPES = {
    "follow.create": "follow.follow",
    "follow.delete": "follow.unfollow",
    "mute.create": "mute.mute",
    "mute.delete": "mute.unmute",
    "block.create": "block.block",
    "block.delete": "block.unblock",
}


def subscriptions(sim: Simulator, app_id: str) -> list[dict[str, Any]]:
    """The app's X Activity subscriptions, from the store operation the webhooks family provides."""
    read: Callable[[str], list[dict[str, Any]]] | None = getattr(sim.store, "activity_subscriptions", None)
    return list(read(app_id)) if read is not None else []


def activity_matches(sim: Simulator, app_id: str, event: dict[str, Any]) -> list[dict[str, Any]]:
    """The activity-stream lines one event of the world gives the app: one per matching subscription."""
    subs = subscriptions(sim, app_id)
    if not subs:
        return []
    kinds = _kinds(sim, event)
    out = []
    for sub in subs:
        found = kinds.get(sub.get("event_type", ""))
        if found is None:
            continue
        users, payload = found
        flt = sub.get("filter") or {}
        user_id = flt.get("user_id")
        direction = flt.get("direction")
        if user_id is not None:
            ends = [u for u, way in users if u == user_id and (direction is None or way in (direction, "any"))]
            if not ends:
                continue
        keyword = flt.get("keyword")
        if keyword and keyword.lower() not in str(payload.get("text", "")).lower():
            continue
        data: dict[str, Any] = {
            "event_uuid": sim.ids.next_id(),
            "filter": {k: v for k, v in flt.items() if v is not None},
            "event_type": sub["event_type"],
            "payload": payload,
        }
        if sub.get("tag"):
            data["tag"] = sub["tag"]
        out.append({"data": data})
    return out


def _kinds(sim: Simulator, event: dict[str, Any]) -> dict[str, tuple[list[tuple[str, str]], dict[str, Any]]]:
    """event type -> (the users it concerns with their direction, the payload), for one world event."""
    store = sim.store
    kind = event.get("type", "")
    if kind == "post.create":
        post = store.get_post(event["post_id"])
        if post is None:
            return {}
        return _post_kinds(sim, post)
    if kind == "post.delete":
        payload = {"id": event["post_id"], "author_id": event["author_id"]}
        return {"post.delete": ([(event["author_id"], "any")], payload)}
    if kind == "like.create":
        post = store.get_post(event["target_id"])
        author = post.author_id if post is not None else ""
        payload = {
            "id": f"{event['actor_id']}-{event['target_id']}",
            "created_at": iso_utc(event["at"]),
            "timestamp_ms": str(int(event["at"] * 1000)),
            "liked_tweet_id": event["target_id"],
            "liked_tweet_author_id": author,
        }
        return {"like.create": ([(event["actor_id"], "outbound"), (author, "inbound")], payload)}
    name = _EDGE_TYPES.get(kind)
    if name is None:
        return {}
    source, target = store.get_user(event["actor_id"]), store.get_user(event["target_id"])
    if source is None or target is None:
        return {}
    payload = {
        "source": {"data": render.render_user(source, _DEFAULT, store)},
        "target": {"data": render.render_user(target, _DEFAULT, store)},
    }
    return {name: ([(source.id, "outbound"), (target.id, "inbound")], payload)}


def _post_kinds(sim: Simulator, post: Post) -> dict[str, tuple[list[tuple[str, str]], dict[str, Any]]]:
    store = sim.store
    payload = render.render_post(post, _DEFAULT, store)
    found = {"post.create": ([(post.author_id, "any")], payload)}
    for name in mentioned_usernames(post.text):
        user = store.user_by_username(name)
        if user is not None:
            found.setdefault("post.mention.create", ([], payload))[0].append((user.id, "inbound"))
    for key, ref in (
        ("post.reply.create", post.in_reply_to_post_id),
        ("post.quote.create", post.quoted_post_id),
        ("post.repost.create", post.reposted_post_id),
    ):
        parent = store.get_post(ref) if ref else None
        if parent is not None:
            found[key] = ([(parent.author_id, "inbound"), (post.author_id, "outbound")], payload)
    return found
