"""Simulator's one-line arrangements: a post for a user, a thread, a user with followers."""

import pytest

from xmock.simulator.control.errors import ControlError
from xmock.simulator.relations import FOLLOWS


def test_a_post_reads_back_as_one_posted_through_x(world, sim):
    friend = sim.create_user(username="friend")
    post = sim.create_post(friend.id, "hello @acme & co")
    s = world.session()
    got = s.get(world.url(f"/2/tweets/{post.id}"), params={"tweet.fields": "author_id,conversation_id"}).json()
    assert got["data"] == {
        "id": post.id,
        "text": "hello @acme &amp; co",
        "author_id": friend.id,
        "conversation_id": post.id,
        "edit_history_tweet_ids": [post.id],
    }
    mentions = s.get(world.url(f"/2/users/{world.user.id}/mentions")).json()
    assert [p["id"] for p in mentions["data"]] == [post.id]
    assert sim.create_post(friend.id, "hello @acme & co").id != post.id  # no duplicate check when arranging
    assert sim.create_post(friend.id).text  # made-up text when none is given


def test_replies_and_quotes(world, sim):
    root = sim.create_post(world.user.id, "root")
    reply = sim.create_post(world.user.id, "a reply", reply_to=root.id)
    quote = sim.create_post(world.user.id, "", quote_of=root.id)
    assert (reply.conversation_id, reply.in_reply_to_post_id, reply.in_reply_to_user_id) == (
        root.id,
        root.id,
        world.user.id,
    )
    assert quote.quoted_post_id == root.id and quote.conversation_id == quote.id
    quoted = world.session().get(world.url(f"/2/tweets/{root.id}/quote_tweets")).json()
    assert [p["id"] for p in quoted["data"]] == [quote.id]


def test_a_thread_is_one_conversation(world, sim):
    posts = sim.create_thread(world.user.id, ["one", "two", "three"])
    assert [p.text for p in posts] == ["one", "two", "three"]
    assert {p.conversation_id for p in posts} == {posts[0].id}
    assert [p.in_reply_to_post_id for p in posts] == [None, posts[0].id, posts[1].id]


def test_followers_follow_even_a_protected_account(world, sim):
    locked = sim.create_user(username="locked", protected=True)
    fans = sim.add_followers(locked.id, 3)
    assert sorted(node for node, _ in sim.store.edges_to(FOLLOWS, locked.id)) == sorted(f.id for f in fans)
    metrics = world.session().get(world.url(f"/2/users/{locked.id}"), params={"user.fields": "public_metrics"})
    assert metrics.json()["data"]["public_metrics"]["followers_count"] == 3


@pytest.mark.parametrize(
    "call",
    [
        lambda sim, u: sim.create_post(u, 5),
        lambda sim, u: sim.create_post(u, "x" * 25_001),
        lambda sim, u: sim.create_post(u, "r", reply_to="99"),
        lambda sim, u: sim.create_post("99", "nobody"),
        lambda sim, u: sim.create_thread(u, []),
        lambda sim, u: sim.create_thread(u, "one"),
        lambda sim, u: sim.create_thread(u, ["one", " "]),
        lambda sim, u: sim.add_followers(u, 0),
        lambda sim, u: sim.add_followers(u, True),
        lambda sim, u: sim.add_followers(u, 1001),
    ],
)
def test_refusals(world, sim, call):
    with pytest.raises(ControlError) as refused:
        call(sim, world.user.id)
    assert refused.value.status in (400, 404)
    assert sim.store.posts_by_author(world.user.id) == []
