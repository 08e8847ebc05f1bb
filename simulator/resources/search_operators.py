"""Recent search operators that read the state beyond a post's text: its media, its author, the post it
reposts, a list's members, its URLs. Each compiles once per query into a test on one post.

X's rule kept here too: `is:` and `has:` operators are conjunction-required, so a query needs at least one
standalone (not negated) term besides them.
"""

from __future__ import annotations

from collections.abc import Callable

from xmock.simulator import digits
from xmock.simulator.models import Post
from xmock.simulator.relations import LIST_MEMBERS
from xmock.simulator.resources.text import entities
from xmock.simulator.store import Store

Predicate = Callable[[Post], bool]
# names of operators that may stand alone (besides keywords, phrases, #, @ and $)
STANDALONE = frozenset({"from", "to", "url", "retweets_of", "list", "conversation_id", "place"})
NON_NEGATION = "Rules must contain a non-negation term"
CONJUNCTION = "Rules must contain at least one standalone operator besides is: and has: operators"


def _media_types(post: Post, store: Store) -> list[str]:
    found = (store.get_media(media_id) for media_id in post.media_ids)
    return [m.media_type for m in found if m is not None]


def _has_images(store: Store) -> Predicate:
    return lambda p: any(t.startswith("image/") and t != "image/gif" for t in _media_types(p, store))


def _has_videos(store: Store) -> Predicate:
    return lambda p: any(t.startswith("video/") for t in _media_types(p, store))


def _is_verified(store: Store) -> Predicate:
    def test(post: Post) -> bool:
        author = store.get_user(post.author_id)
        return author is not None and author.verified

    return test


FLAGS: dict[str, Callable[[Store], Predicate]] = {
    "has:images": _has_images,
    "has:videos": _has_videos,
    "has:cashtags": lambda store: lambda p: "cashtags" in entities(p.text),
    "is:verified": _is_verified,
}


def _url(value: str) -> Predicate:
    wanted = value.lower().removeprefix("https://").removeprefix("http://")

    def test(post: Post) -> bool:
        urls = entities(post.text).get("urls", [])
        return any(wanted in u["expanded_url"].lower() for u in urls)

    return test


def _retweets_of(value: str, store: Store) -> Predicate:
    user = store.get_user(value) if digits.is_id(value) else store.user_by_username(value.lstrip("@"))
    if user is None:
        return lambda p: False

    def test(post: Post) -> bool:
        if post.reposted_post_id is None:
            return False
        source = store.get_post(post.reposted_post_id)
        return source is not None and source.author_id == user.id

    return test


def _list(value: str, store: Store) -> Predicate:
    members = {user_id for user_id, _ in store.edges_from(LIST_MEMBERS, value)} if digits.is_id(value) else set()
    return lambda p: p.author_id in members


def operator(name: str, value: str, store: Store) -> Predicate | None:
    """The test for `name:value`, or None if this module does not know the operator."""
    flag = FLAGS.get(f"{name}:{value}")
    if flag is not None:
        return flag(store)
    if name == "url" and value:
        return _url(value.strip('"'))
    if name == "retweets_of" and value:
        return _retweets_of(value, store)
    if name == "list" and value:
        return _list(value, store)
    return None
