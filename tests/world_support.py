"""One world for the real-client coverage tests: every method a client has finds something to act on.

Arranged with Simulator's one-line helpers, so it also shows them in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xmock.simulator.models import App, DmEvent, Post, User, XList
from xmock.simulator.spec import operations

# Every OAuth 2.0 scope the families covered here ask for.
SCOPES = (
    "tweet.read tweet.write tweet.moderate.write users.read follows.read follows.write like.read like.write "
    "mute.read mute.write block.read timeline.read list.read list.write bookmark.read bookmark.write offline.access "
    "media.write dm.read dm.write space.read broadcast.read broadcast.write"
)


@dataclass
class World:
    app: App
    me: User  # the caller: follows `friend`, has two followers, owns `lst`, bookmarks and likes `post`
    friend: User  # a member of `lst`, the author of `post`, of `mention` (of me) and of `reply` to my post
    protected: User
    fans: list[User]  # follow me; the first likes and reposts `mine`
    muted: User
    blocked: User
    post: Post  # by friend, about cats
    mine: Post  # by me, about cats
    thread: list[Post]  # by me
    reply: Post  # friend's reply to `mine`
    quote: Post  # friend's quote of `mine`
    mention: Post
    repost: Post  # the first fan's repost of `mine`
    lst: XList
    dm: DmEvent  # friend's DM to me, the one event of our one-to-one conversation
    space: dict[str, Any]  # my live, ticketed Space about cats: the first fan bought a ticket, `post` is shared in it


def arrange(sim, app: App, me: User) -> World:
    friend = sim.create_user(username="friendly")
    protected = sim.create_user(username="locked", protected=True)
    fans = sim.add_followers(me.id, 2)
    muted, blocked = sim.create_user(username="noisy"), sim.create_user(username="rude")
    sim.follow(me.id, friend.id)
    sim.mute(me.id, muted.id)
    sim.block(me.id, blocked.id)
    post = sim.create_post(friend.id, "cats are the best")
    mine = sim.create_post(me.id, "my cats say hello")
    thread = sim.create_thread(me.id, ["a thread about cats", "the second part"])
    reply = sim.create_post(friend.id, "I agree", reply_to=mine.id)
    quote = sim.create_post(friend.id, "look at these cats", quote_of=mine.id)
    mention = sim.create_post(friend.id, f"hello @{me.username}")
    sim.like(me.id, post.id)
    sim.like(fans[0].id, mine.id)
    repost = sim.repost(fans[0].id, mine.id)
    sim.bookmark(me.id, post.id)
    lst = sim.create_list(me.id, "cat people", description="people with cats", members=[friend.id])
    dm = sim.send_dm(friend.id, me.id, "hello from friend")
    space = sim.create_space(me.id, "all about cats", is_ticketed=True, speaker_ids=[friend.id])
    sim.buy_space_ticket(space["id"], fans[0].id)
    sim.share_in_space(space["id"], post.id)
    return World(
        app, me, friend, protected, fans, muted, blocked, post, mine, thread, reply, quote, mention, repost, lst, dm,
        space,
    )


SPEC_OPERATIONS = frozenset(op.operation_id for op in operations())


def assert_answered(x_sim, before: int, method: str) -> None:
    """Every request a client method made since journal entry `before` reached an operation of X's spec that
    xmock simulates, and succeeded."""
    called = [e for e in x_sim.journal()[before:] if e["path"].startswith("/2/")]
    assert called, f"{method} reached no X endpoint"
    for entry in called:
        assert entry["endpoint"] in SPEC_OPERATIONS, (entry["method"], entry["path"], entry["endpoint"])
        assert entry["status"] < 300, entry
