"""What one read showed: the posts that make impressions, and the private metrics only their author may see.

A post's `impression_count` counts its appearances in `data` of other users' reads (by id, lookups,
timelines, search); the author's own reads do not count. Rendering only notes the posts it shows;
the pipeline then counts them with one store operation per request (`Store.count_impressions`) and
withholds the posts whose private metrics the caller asked for but may not see, as X does, with one
"Field Authorization Error" per sub-field.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from xmock.simulator import errors
from xmock.simulator.models import Post
from xmock.simulator.store import Store

PRIVATE = {
    "non_public_metrics": ("impression_count", "url_link_clicks", "user_profile_clicks"),
    "organic_metrics": (
        "impression_count",
        "like_count",
        "reply_count",
        "retweet_count",
        "url_link_clicks",
        "user_profile_clicks",
    ),
}


class Watch:
    """What one read showed (a plain slotted class: one is made for every read)."""

    __slots__ = ("denied", "shown", "viewer")

    def __init__(self, viewer: str | None) -> None:
        self.viewer = viewer  # the authenticated user; None for app-only reads, which see no private metrics
        self.shown: dict[str, None] = {}  # ids of other users' posts shown in `data`, in order
        self.denied: dict[tuple[str, str], list[str]] = {}  # (section, post id) -> fields


_current: ContextVar[Watch | None] = ContextVar("xmock_read_watch", default=None)


def watch(viewer: str | None) -> tuple[Watch, Token]:
    w = Watch(viewer)
    return w, _current.set(w)


def unwatch(token: Token) -> None:
    _current.reset(token)


def private_metrics(post: Post, fields: frozenset[str], section: str, store: Store) -> dict[str, Any]:
    """The private metrics asked for, if the caller is the post's author; otherwise none, and the post
    is marked to be withheld. Also notes a `data` post's appearance for the impression count."""
    w = _current.get()
    asked = [name for name in PRIVATE if name in fields]
    if not asked:
        return {}
    if w is None or w.viewer != post.author_id:
        if w is not None:
            w.denied[(section, post.id)] = [f"{name}.{sub}" for name in asked for sub in PRIVATE[name]]
        return {}
    public = store.post_metrics(post.id)
    out: dict[str, Any] = {}
    for name in asked:
        out[name] = {sub: public.get(sub, 0) for sub in PRIVATE[name]}
    return out


def shown(post: Post) -> None:
    """A post rendered in a read's `data`."""
    w = _current.get()
    if w is not None and post.author_id != w.viewer:
        w.shown[post.id] = None


def finish(store: Store, w: Watch, method: str, body: Any, parameter: Callable[[], str]) -> None:
    """After a successful read: withhold what the caller may not see, count the impressions."""
    withhold(w, body, parameter)
    count(store, w, method)


def withhold(w: Watch, body: Any, parameter: Callable[[], str]) -> None:
    """Take out of a successful read what the caller may not see. `parameter` names the request's id
    parameter, worked out only when a post is withheld."""
    if w.denied and isinstance(body, dict):
        _withhold(body, w, parameter())


def count(store: Store, w: Watch, method: str) -> None:
    """Count the impressions of a read once it is admitted (withheld posts were not seen)."""
    if not w.shown:
        return  # the read showed no post (most reads of users, for one)
    counted = [post_id for post_id in w.shown if ("data", post_id) not in w.denied]
    if method == "GET" and counted:
        store.count_impressions(counted)


def _withhold(body: dict[str, Any], w: Watch, parameter: str) -> None:
    denied_data = {post_id for section, post_id in w.denied if section == "data"}
    denied_included = {post_id for section, post_id in w.denied if section == "includes"}
    data = body.get("data")
    if isinstance(data, dict) and data.get("id") in denied_data:
        del body["data"]
    elif isinstance(data, list):
        kept = [item for item in data if not (isinstance(item, dict) and item.get("id") in denied_data)]
        if kept:
            body["data"] = kept
        else:
            del body["data"]
    includes = body.get("includes")
    if isinstance(includes, dict) and isinstance(includes.get("tweets"), list):
        kept = [t for t in includes["tweets"] if t.get("id") not in denied_included]
        if kept:
            includes["tweets"] = kept
        else:
            del includes["tweets"]
            if not includes:
                del body["includes"]
    problems = [
        errors.not_authorized_for_field(
            "tweet", name, parameter if section == "data" else "referenced_tweets.id", post_id, section
        )
        for (section, post_id), names in w.denied.items()
        for name in names
    ]
    rest = {k: v for k, v in body.items() if k != "meta"}
    rest.setdefault("errors", [])
    rest["errors"] = [*rest["errors"], *problems]
    meta = body.get("meta")
    body.clear()
    body.update(rest)
    if meta is not None:
        body["meta"] = meta
