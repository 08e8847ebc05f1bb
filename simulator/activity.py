"""The X Activity API's subscriptions: what an app asked to hear about, and which events match them.

A subscription names an event type and a filter (`user_id`, `keyword`, `direction`). `activity_matches`
tells, for one event of the log, which of an app's subscriptions it reaches: the webhook deliverer uses it,
and so does the activity stream (`GET /2/activity/stream`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator import events
from xmock.simulator.relations import ACTIVITY_FILTER_USERS, APP_ACTIVITY_SUBSCRIPTIONS, MENTIONS
from xmock.simulator.webhook_payloads import DM_CREATE, DM_READ, DM_TYPING

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

TABLE = "activity_subscriptions"
ANY_USER = "any"  # the filter index's node for subscriptions without a user_id

# Events that reveal a user's private activity: subscribing needs that user's own token (X: OAuth 2.0 user
# context with the matching scope); public ones may be subscribed with the app's bearer token.
PRIVATE_PREFIXES = ("like.", "chat.", "dm.", "post.mention.", "post.reply.", "post.quote.", "post.repost.",
                    "mute.", "block.", "broadcast.chat")
# The OAuth 2.0 scope each private family needs.
SCOPES = {"like.": "like.read", "dm.": "dm.read", "chat.": "dm.read", "mute.": "mute.read", "block.": "block.read"}


def is_private(event_type: str) -> bool:
    return event_type.startswith(PRIVATE_PREFIXES)


def scope_for(event_type: str) -> str:
    return next((scope for prefix, scope in SCOPES.items() if event_type.startswith(prefix)), "tweet.read")


def load(sim: Simulator, subscription_id: str) -> dict[str, Any] | None:
    return sim.store.get_record(TABLE, subscription_id)


def of_app(sim: Simulator, app_id: str) -> list[dict[str, Any]]:
    found = (load(sim, sid) for sid, _ in sim.store.edges_from(APP_ACTIVITY_SUBSCRIPTIONS, app_id))
    return sorted((s for s in found if s is not None), key=lambda s: int(s["subscription_id"]))


def public(sub: dict[str, Any]) -> dict[str, Any]:
    out = {k: sub[k] for k in ("subscription_id", "event_type", "filter", "created_at", "updated_at")}
    for key in ("tag", "webhook_id"):
        if sub.get(key) is not None:
            out[key] = sub[key]
    return out


def remove(sim: Simulator, sub: dict[str, Any]) -> None:
    now = sim.clock.now()
    sim.store.set_edge(APP_ACTIVITY_SUBSCRIPTIONS, sub["app_id"], sub["subscription_id"], False, now)
    sim.store.set_edge(ACTIVITY_FILTER_USERS, sub["subscription_id"], sub["filter"].get("user_id", ANY_USER), False,
                       now)
    sim.store.delete_record(TABLE, sub["subscription_id"])


def happenings(sim: Simulator, event: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    """(X Activity event type, the user it is about, direction, text for keyword filters) for one event."""
    kind = event.get("type", "")
    out: list[tuple[str, str, str | None, str]] = []
    if kind == events.POST_CREATE:
        post = sim.store.get_post(event["post_id"])
        if post is None:
            return []
        out.append(("post.create", post.author_id, "outbound", post.text))
        for user_id, _ in sim.store.edges_from(MENTIONS, post.id):
            out.append(("post.mention.create", user_id, "inbound", post.text))
        if post.in_reply_to_user_id:
            out.append(("post.reply.create", post.in_reply_to_user_id, "inbound", post.text))
        for source_id, name in ((post.quoted_post_id, "post.quote.create"), (post.reposted_post_id,
                                                                              "post.repost.create")):
            source = sim.store.get_post(source_id) if source_id else None
            if source is not None:
                out.append((name, source.author_id, "inbound", post.text))
    elif kind == events.POST_DELETE:
        out.append(("post.delete", event["author_id"], "outbound", ""))
    elif kind == "like.create":
        post = sim.store.get_post(event["target_id"])
        out.append(("like.create", event["actor_id"], "outbound", ""))
        if post is not None:
            out.append(("like.create", post.author_id, "inbound", ""))
    elif kind in ("follow.create", "follow.delete"):
        name = "follow.follow" if kind == "follow.create" else "follow.unfollow"
        out += [(name, event["actor_id"], "outbound", ""), (name, event["target_id"], "inbound", "")]
    elif kind.split(".")[0] in ("mute", "block") and kind.endswith((".create", ".delete")):
        family = kind.split(".")[0]
        out.append((f"{family}.{family if kind.endswith('.create') else 'un' + family}", event["actor_id"], None, ""))
    elif kind == DM_CREATE:
        sender = str(event.get("sender_id"))
        out.append(("dm.sent", sender, "outbound", ""))
        recipients = event.get("recipient_ids") or event.get("participant_ids") or [event.get("recipient_id")]
        out += [("dm.received", str(r), "inbound", "") for r in recipients if r and str(r) != sender]
    elif kind in (DM_TYPING, DM_READ):
        name = "dm.indicate_typing" if kind == DM_TYPING else "dm.read"
        out.append((name, str(event.get("sender_id")), "outbound", ""))
    return out


def _matches(sub: dict[str, Any], event_type: str, user_id: str, direction: str | None, text: str) -> bool:
    flt = sub["filter"]
    if sub["event_type"] != event_type:
        return False
    if flt.get("user_id") not in (None, user_id):
        return False
    if flt.get("direction") and direction and flt["direction"] != direction:
        return False
    return not flt.get("keyword") or flt["keyword"].lower() in text.lower()


def activity_matches(sim: Simulator, app_id: str | None, event: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The subscriptions (of `app_id`, or of every app with None) that one event reaches, each with the user
    it is about: [(subscription record, user_id)]."""
    found: list[tuple[dict[str, Any], str]] = []
    seen: set[str] = set()
    for event_type, user_id, direction, text in happenings(sim, event):
        candidates = [*sim.store.edges_to(ACTIVITY_FILTER_USERS, user_id),
                      *sim.store.edges_to(ACTIVITY_FILTER_USERS, ANY_USER)]
        for sid, _ in candidates:
            if sid in seen:
                continue
            sub = load(sim, sid)
            if sub is None or (app_id is not None and sub["app_id"] != app_id):
                continue
            if _matches(sub, event_type, user_id, direction, text):
                seen.add(sid)
                found.append((sub, user_id))
    return found


def envelope(sim: Simulator, sub: dict[str, Any], event: dict[str, Any], user_id: str) -> dict[str, Any]:
    """X's activity event: {"data": {event_uuid, filter, event_type, tag?, payload}}."""
    data: dict[str, Any] = {"event_uuid": sim.ids.next_id(), "filter": sub["filter"] or {"user_id": user_id},
                            "event_type": sub["event_type"], "payload": _payload(sim, sub["event_type"], event)}
    if sub.get("tag"):
        data["tag"] = sub["tag"]
    return {"data": data}


def _user_v2(sim: Simulator, user_id: str) -> dict[str, Any]:
    user = sim.store.get_user(user_id)
    return {"data": {"id": user_id} if user is None else {"id": user.id, "name": user.name,
                                                           "username": user.username}}


def _payload(sim: Simulator, event_type: str, event: dict[str, Any]) -> dict[str, Any]:
    from xmock.simulator.clock import iso_utc

    if event_type.startswith("post.") and event_type != "post.delete":
        post = sim.store.get_post(event["post_id"])
        if post is None:
            return {"id": event["post_id"]}
        return {"id": post.id, "text": post.text, "author_id": post.author_id, "created_at": iso_utc(post.created_at),
                "edit_history_tweet_ids": [post.id]}
    if event_type == "post.delete":
        return {"id": event["post_id"], "author_id": event["author_id"]}
    if event_type == "like.create":
        post = sim.store.get_post(event["target_id"])
        return {"id": f"{int(event['at'] * 1000):x}{event['actor_id']}", "created_at": iso_utc(event["at"]),
                "timestamp_ms": str(int(event["at"] * 1000)), "liked_tweet_id": event["target_id"],
                "liked_tweet_author_id": post.author_id if post is not None else None}
    if event_type.startswith(("follow.", "mute.", "block.")):
        return {"source": _user_v2(sim, event["actor_id"]), "target": _user_v2(sim, event["target_id"])}
    if event_type.startswith("dm."):
        from xmock.simulator.webhook_payloads import concerned

        bodies = concerned(sim, event)
        return bodies[0][1] if bodies else {}
    return {}


# Billing: X charges each delivered X Activity event, once per resource per UTC day (x-api-facts.md §5,
# x-api-surface.md §23). Every post.* event bills as a Post read; sent, read and typing events are free.
_PRICE_CLASSES = (("post.", "Post"), ("follow.", "Following"), ("like.", "Like"), ("mute.", "Mute"),
                  ("block.", "Block"), ("dm.received", "DmEvent"))


def charge(sim: Simulator, sub: dict[str, Any], event: dict[str, Any]) -> None:
    """Take the price of one delivered event from the subscribing app's credits."""
    from xmock.simulator.billing import utc_day
    from xmock.simulator.pricing import price_table

    event_type = sub["event_type"]
    price_class = next((name for prefix, name in _PRICE_CLASSES if event_type.startswith(prefix)), None)
    if price_class is None or not sim.settings.billing:
        return
    resource = event.get("post_id") or event.get("dm_event_id") or f"{event.get('actor_id')}>{event.get('target_id')}"
    price = price_table(sim.settings.prices)[price_class][0]
    now = sim.clock.now()
    entry = {"time": now, "kind": "charge", "endpoint": "activity:" + event_type, "price_class": price_class}
    sim.store.charge_resources(sub["app_id"], utc_day(now), [(f"{price_class}:{resource}", price)], entry)
