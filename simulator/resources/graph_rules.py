"""The social graph's rules, in one place: follows (with requests to protected accounts), blocks, mutes.

Every family that lets one user act on another's content asks here: `check_not_blocked` before a like,
a reply, a quote or a DM; the follow, block and mute handlers and the Simulator's arranging methods
change the graph only through these functions, so X's rules hold whichever way a change arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator import errors
from xmock.simulator.relations import BLOCKS, FOLLOW_REQUESTS, FOLLOWS, MUTES

if TYPE_CHECKING:
    from xmock.simulator.models import User
    from xmock.simulator.store import Store


class GraphRefusal(Exception):
    """A change X refuses (following yourself, following across a block): a 403 on the X surface,
    a 409 on the control plane."""


def blocked(store: Store, actor: str, target: str) -> bool:
    """True if `target` blocks `actor`: the actor may not follow, like, reply to, quote or DM them."""
    return actor != target and store.edge_at(BLOCKS, target, actor) is not None


def check_not_blocked(store: Store, actor: str, target: str, action: str) -> None:
    """Raise X's refusal when `target` blocks `actor` (`action` names what was refused, for the journal)."""
    if blocked(store, actor, target):
        raise errors.forbidden(f"{action}: user {target} blocks user {actor}")


def check_post_not_blocked(store: Store, actor: str, post_id: str, action: str) -> None:
    """The same refusal for acting on a post (like, repost, quote) whose author blocks `actor`."""
    post = store.get_post(post_id)
    if post is not None:
        check_not_blocked(store, actor, post.author_id, action)


def _refuse_across_blocks(store: Store, src: str, dst: str) -> None:
    if blocked(store, src, dst):
        raise GraphRefusal(f"user {dst} blocks user {src}")
    if blocked(store, dst, src):
        raise GraphRefusal(f"user {src} blocks user {dst}: unblock first")


def follow(store: Store, src: str, dst: User, at: float, pending: bool | None = None) -> tuple[bool, bool]:
    """Follow, or ask to follow a protected account; (following, pending_follow) as X answers.

    `pending` None lets the account decide (protected: a request); False follows outright, True
    only asks (the control plane arranges either)."""
    if src == dst.id:
        raise GraphRefusal("a user cannot follow themself")
    _refuse_across_blocks(store, src, dst.id)
    if store.edge_at(FOLLOWS, src, dst.id) is not None:
        return True, False
    if pending is None:
        pending = dst.protected
    if pending:
        store.set_edge(FOLLOW_REQUESTS, src, dst.id, True, at)
        return False, True
    store.set_edge(FOLLOWS, src, dst.id, True, at)
    store.set_edge(FOLLOW_REQUESTS, src, dst.id, False, at)
    return True, False


def unfollow(store: Store, src: str, dst: str, at: float) -> None:
    """Stop following, or withdraw a pending request."""
    store.set_edge(FOLLOWS, src, dst, False, at)
    store.set_edge(FOLLOW_REQUESTS, src, dst, False, at)


def answer_request(store: Store, user: str, requester: str, accept: bool, at: float) -> bool:
    """Accept or deny a pending follow request to `user`; False if there was none."""
    if not store.set_edge(FOLLOW_REQUESTS, requester, user, False, at):
        return False
    if accept and not blocked(store, requester, user) and not blocked(store, user, requester):
        store.set_edge(FOLLOWS, requester, user, True, at)
    return True


def block(store: Store, src: str, dst: str, at: float) -> None:
    """Block: follows and follow requests between the two go, both ways (as X does)."""
    if src == dst:
        raise GraphRefusal("a user cannot block themself")
    store.set_edge(BLOCKS, src, dst, True, at)
    for a, b in ((src, dst), (dst, src)):
        store.set_edge(FOLLOWS, a, b, False, at)
        store.set_edge(FOLLOW_REQUESTS, a, b, False, at)


def unblock(store: Store, src: str, dst: str, at: float) -> None:
    store.set_edge(BLOCKS, src, dst, False, at)


def mute(store: Store, src: str, dst: str, at: float) -> None:
    if src == dst:
        raise GraphRefusal("a user cannot mute themself")
    store.set_edge(MUTES, src, dst, True, at)


def unmute(store: Store, src: str, dst: str, at: float) -> None:
    store.set_edge(MUTES, src, dst, False, at)


def connection_status(store: Store, viewer: str, other: str) -> list[str]:
    """The user field `connection_status`: `other` as the authenticated `viewer` stands to them."""
    if viewer == other:
        return []
    found = []
    if store.edge_at(BLOCKS, viewer, other) is not None:
        found.append("blocking")
    if store.edge_at(FOLLOW_REQUESTS, other, viewer) is not None:
        found.append("follow_request_received")
    if store.edge_at(FOLLOW_REQUESTS, viewer, other) is not None:
        found.append("follow_request_sent")
    if store.edge_at(FOLLOWS, other, viewer) is not None:
        found.append("followed_by")
    if store.edge_at(FOLLOWS, viewer, other) is not None:
        found.append("following")
    if store.edge_at(MUTES, viewer, other) is not None:
        found.append("muting")
    return found
