"""v1.1 statuses/update: still used by scheduled posting through older clients."""

from __future__ import annotations

from typing import Any

from xmock.simulator import errors, tiers
from xmock.simulator.clock import legacy_utc
from xmock.simulator.models import Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.resources.posts import NUMERIC, publish
from xmock.simulator.resources.text import has_url, shown, too_long
from xmock.simulator.xrequest import Reply


def update_status(call: Call) -> Reply:
    """POST /1.1/statuses/update.json — `status` in the query or a form body."""
    tiers.check_v1_write(call.sim)
    text = call.req.param("status")
    if text is None:
        raise errors.missing_parameter("status")
    if too_long(text):
        raise errors.status_too_long()
    store = call.sim.store
    parent = None
    reply_to = call.req.param("in_reply_to_status_id")
    if reply_to:
        if not NUMERIC.match(reply_to):
            raise errors.v1_error(400, 44, "in_reply_to_status_id parameter is invalid.")
        parent = store.get_post(reply_to)
        if parent is None:
            raise errors.v1_error(403, 385, "You attempted to reply to a Tweet that is deleted or not visible to you.")
    post = publish(call, text, parent=parent, duplicate=errors.duplicate_status())
    return Reply(200, status_object(post, call.user), note={"resource_ids": [post.id]})


def update_price(call: Call) -> str:
    text = call.req.param("status") or ""
    return "ContentCreateWithUrl" if has_url(text) else "ContentCreate"


def status_object(post: Post, author: User) -> dict[str, Any]:
    return {
        "created_at": legacy_utc(post.created_at),
        "id": int(post.id),
        "id_str": post.id,
        "text": shown(post.text),  # escaped as X escapes it
        "truncated": False,
        "source": post.source,
        "in_reply_to_status_id": int(post.in_reply_to_post_id) if post.in_reply_to_post_id else None,
        "in_reply_to_status_id_str": post.in_reply_to_post_id,
        "in_reply_to_user_id": int(post.in_reply_to_user_id) if post.in_reply_to_user_id else None,
        "in_reply_to_user_id_str": post.in_reply_to_user_id,
        "user": {
            "id": int(author.id),
            "id_str": author.id,
            "name": author.name,
            "screen_name": author.username,
            "created_at": legacy_utc(author.created_at),
        },
        "retweet_count": 0,
        "favorite_count": 0,
        "favorited": False,
        "retweeted": False,
        "lang": "und",
    }
