"""The user fields kept true by the state: counts, the pinned post, profile entities, who may DM whom."""

from __future__ import annotations

import hashlib
from typing import Any

from xmock.simulator import dm_rules
from xmock.simulator.models import Post, User
from xmock.simulator.relations import FOLLOWS, LIKES, LIST_MEMBERS
from xmock.simulator.resources.text import entities
from xmock.simulator.store import Store


def public_metrics(user: User, store: Store) -> dict[str, int]:
    """X's live names (`tweet_count`; 2.167 says `post_count`). Posts count live posts, reposts included."""
    posts = store.posts_by_author(user.id)
    return {
        "followers_count": store.count_edges(FOLLOWS, user.id, incoming=True),
        "following_count": store.count_edges(FOLLOWS, user.id),
        "tweet_count": len(posts),
        "listed_count": store.count_edges(LIST_MEMBERS, user.id, incoming=True),
        "like_count": store.count_edges(LIKES, user.id),
        "media_count": sum(1 for p in posts if p.media_ids),
    }


def pinned_post(user: User, store: Store) -> Post | None:
    """The user's pinned post while it lives (a deleted post unpins itself)."""
    if user.pinned_tweet_id is None:
        return None
    post = store.get_post(user.pinned_tweet_id)
    return post if post is not None and post.author_id == user.id else None


def tco(url: str) -> str:
    """The t.co link X wraps a URL in; the same URL always gets the same link here."""
    return "https://t.co/" + hashlib.sha256(url.encode()).hexdigest()[:10]


def _url_entity(url: str, start: int, end: int) -> dict[str, Any]:
    expanded = url if "://" in url else "http://" + url
    shown = expanded.split("://", 1)[1]
    return {
        "start": start,
        "end": end,
        "url": tco(expanded),
        "expanded_url": expanded,
        "display_url": shown if len(shown) <= 26 else shown[:25] + "…",
    }


def profile_entities(user: User) -> dict[str, Any]:
    """`entities.url` (the profile website, t.co-wrapped) and `entities.description` (its urls, mentions,
    hashtags and cashtags); indices of the website are into the t.co link X shows as `url`."""
    out: dict[str, Any] = {}
    if user.url:
        link = tco(user.url)
        out["url"] = {"urls": [_url_entity(user.url, 0, len(link))]}
    found = entities(user.description)
    if "urls" in found:
        found["urls"] = [_url_entity(u["expanded_url"], u["start"], u["end"]) for u in found["urls"]]
    if found:
        out["description"] = found
    return out


def shown_url(user: User) -> str:
    """The `url` field: the website as its t.co link, as X shows it (empty when none)."""
    return tco(user.url) if user.url else ""


def receives_your_dm(store: Store, user: User, viewer: str) -> bool:
    """Whether `viewer` may send `user` a direct message, by the rule sending applies (simulator.dm_rules):
    never across a block, a DM block or to oneself; otherwise anyone when the user's DM setting is `everyone`,
    only accounts the user follows when it is `following`."""
    try:
        dm_rules.check_can_message(store, viewer, user.id)
    except dm_rules.Refused:
        return False
    return True
