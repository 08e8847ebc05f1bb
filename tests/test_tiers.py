"""Self-serve access: the 2026 restrictions, on when access_tier is "self-serve", off by default."""

from __future__ import annotations

import pytest


@pytest.fixture
def self_serve(world, sim):
    sim.configure(access_tier="self-serve")
    return world


def _session_for(world, sim, username):
    user = sim.create_user(username=username, account_id=world.account.id)
    return user, world.session(sim.mint_oauth1_token(world.app.id, user.id))


def test_replies_need_a_summons(self_serve, sim):
    world = self_serve
    _bob, bob_s = _session_for(world, sim, "bob")
    plain = world.session().post(world.url("/2/tweets"), json={"text": "our news"}).json()["data"]["id"]
    summons = world.session().post(world.url("/2/tweets"), json={"text": "what do you think @bob?"}).json()
    r = bob_s.post(world.url("/2/tweets"), json={"text": "reply", "reply": {"in_reply_to_tweet_id": plain}})
    assert r.status_code == 403 and r.json()["detail"].startswith("Reply to this conversation is not allowed")
    r = bob_s.post(
        world.url("/2/tweets"), json={"text": "summoned", "reply": {"in_reply_to_tweet_id": summons["data"]["id"]}}
    )
    assert r.status_code == 201
    own = world.session().post(
        world.url("/2/tweets"), json={"text": "thread 2/2", "reply": {"in_reply_to_tweet_id": plain}}
    )
    assert own.status_code == 201
    charged = [e["price_class"] for e in sim.ledger(world.app.id) if e["kind"] == "charge"]
    assert charged[-2:] == ["ContentCreateSummonedReply", "ContentCreateSummonedReply"]


def test_no_likes_quotes_or_v1_posting(self_serve, sim):
    world = self_serve
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "like me"}).json()["data"]["id"]
    assert s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"tweet_id": post_id}).status_code == 403
    assert s.post(world.url("/2/tweets"), json={"quote_tweet_id": post_id}).status_code == 403
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "v1"})
    assert (r.status_code, r.json()["errors"][0]["code"]) == (403, 453)
    assert s.post(world.url("/2/tweets"), json={"text": "$AAPL and $MSFT"}).status_code == 400
    assert s.post(world.url("/2/tweets"), json={"text": "just $AAPL"}).status_code == 201


def test_enterprise_has_none_of_it(world, sim):
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "x"}).json()["data"]["id"]
    assert s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"tweet_id": post_id}).status_code == 200
    assert s.post(world.url("/1.1/statuses/update.json"), data={"status": "v1 works"}).status_code == 200
