"""The graph's rules as other families meet them: a blocked user cannot like, repost, reply to or quote the blocker."""

from __future__ import annotations

import pytest

from xmock.simulator.resources import graph_rules

FORBIDDEN = {
    "detail": "You are not permitted to perform this action.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}


@pytest.fixture
def blocker_post(world, sim):
    """A post by a user who blocks the world's user."""
    blocker = sim.create_user(username="blocker")
    token = sim.mint_oauth1_token(world.app.id, blocker.id)
    post_id = world.session(token).post(world.url("/2/tweets"), json={"text": "not for you"}).json()["data"]["id"]
    sim.block(blocker.id, world.user.id)
    return blocker, post_id


@pytest.mark.parametrize(
    "path,body",
    [
        ("/2/users/{me}/likes", lambda p: {"tweet_id": p}),
        ("/2/users/{me}/retweets", lambda p: {"tweet_id": p}),
        ("/2/tweets", lambda p: {"text": "a reply", "reply": {"in_reply_to_tweet_id": p}}),
        ("/2/tweets", lambda p: {"text": "a quote", "quote_tweet_id": p}),
    ],
    ids=["like", "repost", "reply", "quote"],
)
def test_a_blocked_user_cannot_act_on_the_blockers_posts(world, sim, blocker_post, path, body):
    blocker, post_id = blocker_post
    r = world.session().post(world.url(path.format(me=world.user.id)), json=body(post_id))
    assert r.status_code == 403 and r.json() == FORBIDDEN
    assert sim.store.post_metrics(post_id)["like_count"] == 0
    assert [p.id for p in sim.store.posts_by_author(world.user.id)] == []
    sim.unblock(blocker.id, world.user.id)
    assert world.session().post(world.url(path.format(me=world.user.id)), json=body(post_id)).status_code < 300


def test_the_blocker_may_still_act_on_the_blocked_users_posts(world, sim):
    blocker = sim.create_user(username="blocker")
    post_id = world.session().post(world.url("/2/tweets"), json={"text": "mine"}).json()["data"]["id"]
    sim.block(blocker.id, world.user.id)
    s = world.session(sim.mint_oauth1_token(world.app.id, blocker.id))
    assert s.post(world.url(f"/2/users/{blocker.id}/likes"), json={"tweet_id": post_id}).status_code == 200


def test_blocked_looks_one_way(sim):
    a, b = sim.create_user(username="a"), sim.create_user(username="b")
    sim.block(a.id, b.id)
    assert graph_rules.blocked(sim.store, b.id, a.id)
    assert not graph_rules.blocked(sim.store, a.id, b.id)
    assert not graph_rules.blocked(sim.store, a.id, a.id)
    with pytest.raises(graph_rules.GraphRefusal):
        graph_rules.block(sim.store, a.id, a.id, sim.clock.now())
