"""The mentions index: an edge from each post to every user its text @mentions when it is posted.

A mention names a username as it stood then (X links it to that account's id); a later account with
that username is not mentioned by older posts. Deleted posts are left out when the index is read.
"""

from __future__ import annotations

from xmock.simulator.models import Post
from xmock.simulator.relations import MENTIONS
from xmock.simulator.resources.text import mentioned_usernames
from xmock.simulator.store import Store


def index(store: Store, post: Post) -> None:
    """Record the users `post` mentions (each once, however often it names them)."""
    seen: set[str] = set()
    for name in mentioned_usernames(post.text):
        user = store.user_by_username(name)
        if user is not None and user.id not in seen:
            seen.add(user.id)
            store.set_edge(MENTIONS, post.id, user.id, True, post.created_at)


def mentioned(store: Store, post: Post) -> list[str]:
    """The ids of the users `post` mentions, from the index; with the users its text names now as well, since a
    reader of the post's creation event (a webhook's deliverer) may run before the index is written, just after
    the post."""
    found = [user_id for user_id, _ in store.edges_from(MENTIONS, post.id)]
    if "@" in post.text:
        for name in mentioned_usernames(post.text):
            user = store.user_by_username(name)
            if user is not None and user.id not in found:
                found.append(user.id)
    return found


def mentioning(store: Store, user_id: str, depth: int) -> list[Post]:
    """The live posts that mention a user, newest first, at most `depth` of them."""
    found = []
    for post_id, _ in store.edges_to(MENTIONS, user_id):
        post = store.get_post(post_id)
        if post is not None:
            found.append(post)
    found.sort(key=lambda p: int(p.id), reverse=True)
    return found[:depth]
