"""Mentions, the home timeline and reposts of me, from the world's posts and edges."""

from __future__ import annotations

import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches

from xmock.simulator.clock import iso_utc
from xmock.simulator.models import Post
from xmock.simulator.relations import BLOCKS, FOLLOWS, MUTES, REPOSTS


def _member(sim, world, username):
    user = sim.create_user(username=username, name=username.title())
    return user, world.session(sim.mint_oauth1_token(world.app.id, user.id))


def _post(session, world, text, **extra):
    r = session.post(world.url("/2/tweets"), json={"text": text, **extra})
    assert r.status_code == 201, r.text
    return r.json()["data"]["id"]


def test_mentions_pages_newest_first_and_leaves_out_deleted_posts(sim, world):
    _, bob = _member(sim, world, "bob")
    ids = [_post(bob, world, f"hello @acme number {n}") for n in range(6)]
    _post(bob, world, "no mention of acme here")
    ids.append(_post(bob, world, "@ACME @acme twice in one post"))  # one mention, whatever the case
    assert bob.delete(world.url(f"/2/tweets/{ids[0]}")).status_code == 200
    s = world.session()
    url = world.url(f"/2/users/{world.user.id}/mentions")
    first = s.get(url, params={"max_results": "5", "tweet.fields": "author_id,entities", "expansions": "author_id"})
    body = first.json()
    assert_matches("/2/users/{id}/mentions", "get", 200, body)
    assert [p["id"] for p in body["data"]] == [ids[6], ids[5], ids[4], ids[3], ids[2]]
    assert body["meta"]["newest_id"] == ids[6] and body["meta"]["result_count"] == 5
    assert body["includes"]["users"][0]["username"] == "bob"
    rest = s.get(url, params={"max_results": "5", "pagination_token": body["meta"]["next_token"]}).json()
    assert [p["id"] for p in rest["data"]] == [ids[1]]  # ids[0] was deleted
    since = s.get(url, params={"since_id": ids[4]}).json()
    assert [p["id"] for p in since["data"]] == [ids[6], ids[5]]


def test_mentions_time_bounds_and_refusals(sim, world):
    _, bob = _member(sim, world, "bob")
    early = _post(bob, world, "@acme early")
    sim.clock.advance(3600)
    late = _post(bob, world, "@acme late")
    s = world.session()
    url = world.url(f"/2/users/{world.user.id}/mentions")
    cut = sim.store.get_post(late).created_at - 1800
    assert [p["id"] for p in s.get(url, params={"end_time": iso_utc(cut)}).json()["data"]] == [early]
    assert [p["id"] for p in s.get(url, params={"start_time": iso_utc(cut)}).json()["data"]] == [late]
    for bad in ({"max_results": "4"}, {"since_id": "x"}, {"start_time": "yesterday"}, {"pagination_token": "zz"}):
        r = s.get(url, params=bad)
        assert r.status_code == 400, bad
        assert_matches("/2/users/{id}/mentions", "get", 400, r.json())
    missing = s.get(world.url("/2/users/42/mentions"))
    assert missing.json()["errors"][0]["resource_type"] == "user"
    nobody = s.get(world.url(f"/2/users/{sim.create_user(username='quiet').id}/mentions")).json()
    assert nobody == {"meta": {"result_count": 0}}
    assert_matches("/2/users/{id}/mentions", "get", 200, nobody)


def test_mentions_take_an_app_bearer_token(sim, world):
    _, bob = _member(sim, world, "bob")
    post_id = _post(bob, world, "@acme via bearer")
    token = app_bearer(world).json()["access_token"]
    r = requests.get(
        world.url(f"/2/users/{world.user.id}/mentions"), headers={"authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200 and r.json()["data"][0]["id"] == post_id


def test_home_timeline_follows_mutes_and_blocks(sim, world):
    bob, bob_s = _member(sim, world, "bob")
    carol, carol_s = _member(sim, world, "carol")
    dave, dave_s = _member(sim, world, "dave")
    _eve, eve_s = _member(sim, world, "eve")
    now = sim.clock.now()
    for other in (bob, carol, dave):
        sim.store.set_edge(FOLLOWS, world.user.id, other.id, True, now)
    sim.store.set_edge(MUTES, world.user.id, carol.id, True, now)
    sim.store.set_edge(BLOCKS, world.user.id, dave.id, True, now)
    mine = _post(world.session(), world, "my own post")
    from_bob = _post(bob_s, world, "bob speaks")
    _post(carol_s, world, "carol is muted")
    _post(dave_s, world, "dave is blocked")
    _post(eve_s, world, "eve is not followed")
    reply = _post(bob_s, world, "bob replies", reply={"in_reply_to_tweet_id": mine})
    s = world.session()
    url = world.url(f"/2/users/{world.user.id}/timelines/reverse_chronological")
    body = s.get(url, params={"tweet.fields": "author_id,referenced_tweets", "expansions": "author_id"}).json()
    assert [p["id"] for p in body["data"]] == [reply, from_bob, mine]
    assert {u["username"] for u in body["includes"]["users"]} == {"acme", "bob"}
    assert_matches("/2/users/{id}/timelines/reverse_chronological", "get", 200, body)
    no_replies = s.get(url, params={"exclude": "replies"}).json()
    assert [p["id"] for p in no_replies["data"]] == [from_bob, mine]
    paged = s.get(url, params={"max_results": "1"}).json()
    assert [p["id"] for p in paged["data"]] == [reply] and "next_token" in paged["meta"]
    sim.store.set_edge(MUTES, world.user.id, carol.id, False, now)
    assert len(s.get(url).json()["data"]) == 4  # carol is back once unmuted


def test_home_timeline_shows_reposts_made_by_followed_accounts(sim, world):
    bob, _ = _member(sim, world, "bob")
    _eve, eve_s = _member(sim, world, "eve")
    sim.store.set_edge(FOLLOWS, world.user.id, bob.id, True, sim.clock.now())
    source = _post(eve_s, world, "worth reposting")
    repost = _repost(sim, bob.id, source)
    s = world.session()
    url = world.url(f"/2/users/{world.user.id}/timelines/reverse_chronological")
    assert [p["id"] for p in s.get(url).json()["data"]] == [repost.id]
    assert "data" not in s.get(url, params={"exclude": "retweets"}).json()


def _repost(sim, user_id, source_id):
    """A repost as a post of its own (RT text, a retweeted reference) with its REPOSTS edge."""
    source = sim.store.get_post(source_id)
    author = sim.store.get_user(source.author_id)
    post = Post(
        id=sim.ids.next_id(),
        text=f"RT @{author.username}: {source.text}",
        author_id=user_id,
        created_at=sim.clock.now(),
        reposted_post_id=source_id,
    )
    assert sim.store.create_post(post, None)
    sim.store.set_edge(REPOSTS, user_id, source_id, True, post.created_at)
    return post


def test_home_timeline_refusals(sim, world):
    bob, _bob_s = _member(sim, world, "bob")
    s = world.session()
    other = s.get(world.url(f"/2/users/{bob.id}/timelines/reverse_chronological"))
    assert other.status_code == 400
    assert other.json()["errors"][0]["message"] == (
        f"The `id` query parameter value [{bob.id}] must be the same as the authenticating user [{world.user.id}]"
    )
    assert_matches("/2/users/{id}/timelines/reverse_chronological", "get", 400, other.json())
    url = world.url(f"/2/users/{world.user.id}/timelines/reverse_chronological")
    for bad in ({"max_results": "0"}, {"max_results": "101"}, {"exclude": "likes"}, {"until_id": "1a"}):
        assert s.get(url, params=bad).status_code == 400, bad
    assert s.get(world.url("/2/users/abc/timelines/reverse_chronological")).status_code == 400
    token = app_bearer(world).json()["access_token"]
    bearer = requests.get(url, headers={"authorization": f"Bearer {token}"})
    assert bearer.status_code == 403  # user context only
    assert s.get(url).json() == {"meta": {"result_count": 0}}


def test_reposts_of_me(sim, world):
    bob, _ = _member(sim, world, "bob")
    carol, _ = _member(sim, world, "carol")
    s = world.session()
    first = _post(s, world, "first of mine")
    second = _post(s, world, "second of mine")
    r1 = _repost(sim, bob.id, first)
    sim.clock.advance(1)
    r2 = _repost(sim, carol.id, second)
    sim.clock.advance(1)
    r3 = _repost(sim, carol.id, first)
    url = world.url("/2/users/reposts_of_me")
    fields = {"tweet.fields": "referenced_tweets,author_id", "expansions": "referenced_tweets.id"}
    body = s.get(url, params=fields).json()
    assert [p["id"] for p in body["data"]] == [r3.id, r2.id, r1.id]
    assert body["data"][0]["referenced_tweets"] == [{"type": "retweeted", "id": first}]
    assert set(body["meta"]) == {"result_count"}
    assert {p["id"] for p in body["includes"]["tweets"]} == {first, second}
    assert_matches("/2/users/reposts_of_me", "get", 200, body)
    page = s.get(url, params={"max_results": "2"}).json()
    assert [p["id"] for p in page["data"]] == [r3.id, r2.id] and set(page["meta"]) == {"result_count", "next_token"}
    rest = s.get(url, params={"max_results": "2", "pagination_token": page["meta"]["next_token"]}).json()
    assert [p["id"] for p in rest["data"]] == [r1.id]
    _, bob_s = _member(sim, world, "bobby")
    assert bob_s.get(url).json() == {"meta": {"result_count": 0}}  # nobody reposted bobby
    assert s.get(url, params={"max_results": "101"}).status_code == 400


def test_reposts_of_me_needs_timeline_read(sim, world):
    access, _ = sim.mint_oauth2_token(world.app.id, world.user.id, scopes=["tweet.read", "users.read"])
    r = requests.get(world.url("/2/users/reposts_of_me"), headers={"authorization": f"Bearer {access.token}"})
    assert r.status_code == 403
    access, _ = sim.mint_oauth2_token(world.app.id, world.user.id, scopes=["tweet.read", "timeline.read"])
    r = requests.get(world.url("/2/users/reposts_of_me"), headers={"authorization": f"Bearer {access.token}"})
    assert r.status_code == 200
