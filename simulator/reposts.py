"""A repost is a post: `RT @author: <text>` by the reposter, referencing the source as `retweeted`.

The REPOSTS edge (user -> source post) is the index of who reposted what and the count in
`public_metrics.retweet_count`; the REPOSTED_AS edge (source post -> repost post) finds the repost
posts of a source. Unreposting, or deleting the source or the repost post, removes both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator.models import Post
from xmock.simulator.relations import HIDDEN_REPLIES, LIKES, REPOSTED_AS, REPOSTS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

# X still cuts a repost's own `text` at the classic 140 characters, ending it with an ellipsis; the
# full text is the source's (clients read it through the `referenced_tweets.id` expansion).
RT_TEXT_LIMIT = 140
ELLIPSIS = "\u2026"


def repost_text(username: str, source_text: str) -> str:
    text = f"RT @{username}: {source_text}"
    if len(text) > RT_TEXT_LIMIT:
        text = text[: RT_TEXT_LIMIT - 1] + ELLIPSIS
    return text


def original(sim: Simulator, post: Post) -> Post:
    """Reposting a repost reposts its source."""
    if post.reposted_post_id is None:
        return post
    return sim.store.get_post(post.reposted_post_id) or post


def repost(
    sim: Simulator,
    user_id: str,
    source: Post,
    app_id: str | None = None,
    app_name: str = "",
    at: float | None = None,
) -> tuple[Post | None, bool]:
    """Make `user_id` repost `source`: the edge, then the repost post. Returns the repost post (the one
    already there if the user had reposted it) and whether this call made it. `at`: when (the audience
    acts at its scheduled times); now by default."""
    now = sim.clock.now() if at is None else at
    if not sim.store.set_edge(REPOSTS, user_id, source.id, True, now):
        return find(sim, user_id, source.id), False
    author = sim.store.get_user(source.author_id)
    post_id = sim.ids.next_id()
    post = Post(
        id=post_id,
        text=repost_text(author.username if author else source.author_id, source.text),
        author_id=user_id,
        created_at=now,
        app_id=app_id,
        conversation_id=post_id,
        reposted_post_id=source.id,
        source=app_name,
    )
    sim.store.create_post(post, None)  # reposts are never refused as duplicates
    sim.store.set_edge(REPOSTED_AS, source.id, post.id, True, now)
    return post, True


def find(sim: Simulator, user_id: str, source_id: str) -> Post | None:
    """The repost post of `source_id` by `user_id`, if any."""
    for post_id, _ in sim.store.edges_from(REPOSTED_AS, source_id):
        post = sim.store.get_post(post_id)
        if post is not None and post.author_id == user_id:
            return post
    return None


def unrepost(sim: Simulator, user_id: str, source_id: str) -> bool:
    """Undo a repost: the edge and the repost post. True if there was one."""
    if not sim.store.set_edge(REPOSTS, user_id, source_id, False, sim.clock.now()):
        return False
    post = find(sim, user_id, source_id)
    if post is not None:
        now = sim.clock.now()
        sim.store.delete_post(post.id, now)
        sim.store.set_edge(REPOSTED_AS, source_id, post.id, False, now)
    return True


def post_deleted(sim: Simulator, post: Post) -> None:
    """Keep the engagement state true after `post` was deleted."""
    store, now = sim.store, sim.clock.now()
    if post.reposted_post_id is not None:  # a repost deleted as a post: the user no longer reposts the source
        store.set_edge(REPOSTS, post.author_id, post.reposted_post_id, False, now)
        store.set_edge(REPOSTED_AS, post.reposted_post_id, post.id, False, now)
        return
    for repost_id, _ in store.edges_from(REPOSTED_AS, post.id):
        store.delete_post(repost_id, now)
    for kind in (REPOSTED_AS, REPOSTS, LIKES, HIDDEN_REPLIES):
        store.drop_edges(kind, post.id)
