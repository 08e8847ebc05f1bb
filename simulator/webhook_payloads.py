"""The Account Activity API's event JSON, as X delivers it to webhooks (v1.1 objects), built from the event log.

`concerned(sim, event)` names the users an event concerns and the body each gets (`for_user_id` set per
user). Event kinds other parts of the simulator append (direct messages, typing and read indicators, token
revokes) are handled by name; their fields are read leniently.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from xmock.simulator import events
from xmock.simulator.clock import legacy_utc
from xmock.simulator.models import Post, User
from xmock.simulator.resources import mentions
from xmock.simulator.resources.legacy import status_object

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

# Event kinds appended by the direct-message and credential parts of the simulator (simulator/events.py).
DM_CREATE = "dm.create"
DM_TYPING = "dm.typing"
DM_READ = "dm.read"
REVOKES = ("token.revoke", "oauth.revoke", "app.revoke")

Body = dict[str, Any]


def user_v1(user: User) -> dict[str, Any]:
    return {
        "id": int(user.id),
        "id_str": user.id,
        "name": user.name,
        "screen_name": user.username,
        "location": user.location or None,
        "description": user.description or None,
        "url": user.url or None,
        "protected": user.protected,
        "verified": user.verified,
        "created_at": legacy_utc(user.created_at),
        "profile_image_url_https": user.profile_image_url or None,
    }


def _dm_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "created_timestamp": str(int(user.created_at * 1000)),
        "name": user.name,
        "screen_name": user.username,
        "location": user.location or None,
        "description": user.description or None,
        "url": user.url or None,
        "protected": user.protected,
        "verified": user.verified,
        "profile_image_url_https": user.profile_image_url or None,
    }


def _ms(at: float) -> int:
    return int(at * 1000)


def _tweet(sim: Simulator, post: Post) -> dict[str, Any] | None:
    author = sim.store.get_user(post.author_id)
    return None if author is None else status_object(post, author)


def concerned(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    """(for_user_id, body) for each user the event concerns; for_user_id None for app-wide events (revokes)."""
    kind = event.get("type", "")
    try:
        if kind == events.POST_CREATE:
            return _post_created(sim, event)
        if kind == events.POST_DELETE:
            body = {
                "tweet_delete_events": [
                    {
                        "status": {"id": event["post_id"], "user_id": event["author_id"]},
                        "timestamp_ms": str(_ms(event["at"])),
                    }
                ]
            }
            return [(event["author_id"], body)]
        if kind in ("like.create",):
            return _favorite(sim, event)
        if kind.startswith(("follow.", "block.", "mute.")) and kind.split(".")[0] in ("follow", "block", "mute"):
            return _graph(sim, event)
        if kind == DM_CREATE:
            return _dm(sim, event)
        if kind in (DM_TYPING, DM_READ):
            return _indicator(sim, event)
        if kind in REVOKES:
            return _revoke(event)
    except (KeyError, TypeError, ValueError):  # an event of a shape this module does not know: not delivered
        return []
    return []


def _post_created(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    post = sim.store.get_post(event["post_id"])
    if post is None:
        return []
    tweet = _tweet(sim, post)
    if tweet is None:
        return []
    out: list[tuple[str | None, Body]] = [(post.author_id, {"tweet_create_events": [tweet]})]
    others = mentions.mentioned(sim.store, post)
    if post.in_reply_to_user_id:
        others.append(post.in_reply_to_user_id)
    for source_id in (post.quoted_post_id, post.reposted_post_id):
        source = sim.store.get_post(source_id) if source_id else None
        if source is not None:
            others.append(source.author_id)
    for user_id in dict.fromkeys(others):
        if user_id != post.author_id:
            out.append((user_id, {"tweet_create_events": [{**tweet, "user_has_blocked": "false"}]}))
    return out


def _favorite(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    post = sim.store.get_post(event["target_id"])
    user = sim.store.get_user(event["actor_id"])
    tweet = _tweet(sim, post) if post is not None else None
    if post is None or user is None or tweet is None:
        return []
    seed = f"{event['actor_id']}:{post.id}:{event['at']}".encode()
    body = {
        "favorite_events": [
            {
                "id": hashlib.md5(seed, usedforsecurity=False).hexdigest(),
                "created_at": legacy_utc(event["at"]),
                "timestamp_ms": _ms(event["at"]),
                "favorited_status": tweet,
                "user": user_v1(user),
            }
        ]
    }
    return [(uid, body) for uid in dict.fromkeys((user.id, post.author_id))]


def _graph(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    family, action = event["type"].split(".", 1)
    source, target = sim.store.get_user(event["actor_id"]), sim.store.get_user(event["target_id"])
    if source is None or target is None:
        return []
    name = {"create": family, "delete": "un" + family}[action]
    body = {
        f"{family}_events": [
            {
                "type": name,
                "created_timestamp": str(_ms(event["at"])),
                "source": user_v1(source),
                "target": user_v1(target),
            }
        ]
    }
    # A follow reaches both sides; an unfollow, a block or a mute only the one who did it.
    if family == "follow" and action == "create":
        return [(source.id, body), (target.id, body)]
    return [(source.id, body)]


def _dm_users(sim: Simulator, ids: list[str]) -> dict[str, Any]:
    found = (sim.store.get_user(i) for i in ids)
    return {u.id: _dm_user(u) for u in found if u is not None}


def _recipients(event: dict[str, Any]) -> list[str]:
    found = event.get("recipient_ids") or event.get("participant_ids") or []
    if event.get("recipient_id"):
        found = [event["recipient_id"], *found]
    return [str(i) for i in dict.fromkeys(found) if str(i) != str(event["sender_id"])]


def _dm(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    sender = str(event["sender_id"])
    recipients = _recipients(event)
    message = {
        "type": "message_create",
        "id": str(event.get("dm_event_id") or event.get("event_id") or event.get("id")),
        "created_timestamp": str(_ms(event["at"])),
        "message_create": {
            "target": {"recipient_id": recipients[0] if recipients else ""},
            "sender_id": sender,
            "source_app_id": event.get("app_id"),
            "message_data": {
                "text": event.get("text", ""),
                "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
            },
        },
    }
    body: Body = {"direct_message_events": [message], "users": _dm_users(sim, [sender, *recipients])}
    app = sim.store.get_app(event["app_id"]) if event.get("app_id") else None
    if app is not None:
        body["apps"] = {app.id: {"id": app.id, "name": app.name, "url": app.website}}
    return [(uid, body) for uid in (sender, *recipients)]


def _indicator(sim: Simulator, event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    sender = str(event["sender_id"])
    recipients = _recipients(event)
    item: dict[str, Any] = {
        "created_timestamp": str(_ms(event["at"])),
        "sender_id": sender,
        "target": {"recipient_id": recipients[0] if recipients else ""},
    }
    key = "direct_message_indicate_typing_events"
    if event["type"] == DM_READ:
        key = "direct_message_mark_read_events"
        item["last_read_event_id"] = str(event.get("last_read_event_id") or event.get("dm_event_id") or "")
    body = {key: [item], "users": _dm_users(sim, [sender, *recipients])}
    return [(uid, body) for uid in recipients]


def _revoke(event: dict[str, Any]) -> list[tuple[str | None, Body]]:
    when = datetime.fromtimestamp(event["at"], tz=UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    body = {
        "user_event": {
            "revoke": {
                "date_time": when,
                "target": {"app_id": str(event["app_id"])},
                "source": {"user_id": str(event["user_id"])},
            }
        }
    }
    return [(None, body)]
