"""Liking users, liked posts, reposted-by, reposts and quote posts: newest first, paged, as X's spec says."""

import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches


def _post(s, world, text, **extra):
    return s.post(world.url("/2/tweets"), json={"text": text, **extra}).json()["data"]["id"]


def _fans(sim, n):
    return [sim.create_user(username=f"fan{i}") for i in range(n)]


def test_liking_users_newest_first_and_paged(world, sim):
    s = world.session()
    post_id = _post(s, world, "likeable")
    sim.clock.freeze()
    fans = _fans(sim, 3)
    for fan in fans:
        sim.like(fan.id, post_id)
        sim.clock.advance(1)
    url = world.url(f"/2/tweets/{post_id}/liking_users")
    first = s.get(url, params={"max_results": 2, "user.fields": "created_at"}).json()
    assert_matches("/2/tweets/{id}/liking_users", "get", 200, first)
    assert [u["username"] for u in first["data"]] == ["fan2", "fan1"]
    assert first["meta"]["result_count"] == 2 and "previous_token" not in first["meta"]
    second = s.get(url, params={"max_results": 2, "pagination_token": first["meta"]["next_token"]}).json()
    assert_matches("/2/tweets/{id}/liking_users", "get", 200, second)
    assert [u["username"] for u in second["data"]] == ["fan0"] and "next_token" not in second["meta"]
    back = s.get(url, params={"max_results": 2, "pagination_token": second["meta"]["previous_token"]}).json()
    assert [u["username"] for u in back["data"]] == ["fan2", "fan1"]
    sim.like(fans[1].id, post_id, liked=False)
    assert [u["username"] for u in s.get(url).json()["data"]] == ["fan2", "fan0"]
    assert s.get(url, params={"max_results": 0}).status_code == 400
    assert s.get(url, params={"pagination_token": "nonsense"}).status_code == 400


def test_liking_users_needs_user_context_and_a_live_post(world, sim):
    s = world.session()
    post_id = _post(s, world, "p")
    bearer = app_bearer(world).json()["access_token"]
    r = requests.get(world.url(f"/2/tweets/{post_id}/liking_users"), headers={"Authorization": f"Bearer {bearer}"})
    assert r.status_code == 403
    missing = s.get(world.url("/2/tweets/1234/liking_users"))
    assert missing.status_code == 200 and missing.json()["errors"][0]["resource_id"] == "1234"
    assert_matches("/2/tweets/{id}/liking_users", "get", 200, missing.json())
    assert s.get(world.url("/2/tweets/abc/liking_users")).status_code == 400


def test_liked_tweets_of_a_user_newest_first(world, sim):
    s = world.session()
    sim.clock.freeze()
    ids = []
    for text in ("one", "two", "three"):
        ids.append(_post(s, world, text))
        sim.clock.advance(1)
    for post_id in (ids[2], ids[0], ids[1]):  # liked in this order
        assert s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"tweet_id": post_id}).status_code == 200
        sim.clock.advance(1)
    url = world.url(f"/2/users/{world.user.id}/liked_tweets")
    body = s.get(url, params={"expansions": "author_id", "tweet.fields": "created_at"}).json()
    assert_matches("/2/users/{id}/liked_tweets", "get", 200, body)
    assert [p["id"] for p in body["data"]] == [ids[1], ids[0], ids[2]]
    assert body["includes"]["users"][0]["id"] == world.user.id
    metrics = s.get(url, params={"tweet.fields": "public_metrics"}).json()["data"][0]["public_metrics"]
    assert metrics["like_count"] == 1
    assert s.get(url, params={"max_results": 4}).status_code == 400  # liked_tweets takes 5 to 100
    empty = s.get(world.url(f"/2/users/{sim.create_user(username='nobody').id}/liked_tweets")).json()
    assert empty == {"meta": {"result_count": 0}}
    assert_matches("/2/users/{id}/liked_tweets", "get", 200, empty)


def test_retweeted_by_and_retweets(world, sim):
    s = world.session()
    post_id = _post(s, world, "share me")
    sim.clock.freeze()
    fans = _fans(sim, 2)
    reposts = []
    for fan in fans:
        reposts.append(sim.repost(fan.id, post_id).id)
        sim.clock.advance(1)
    by = s.get(world.url(f"/2/tweets/{post_id}/retweeted_by")).json()
    assert_matches("/2/tweets/{id}/retweeted_by", "get", 200, by)
    assert [u["id"] for u in by["data"]] == [fans[1].id, fans[0].id]
    posts = s.get(
        world.url(f"/2/tweets/{post_id}/retweets"),
        params={"tweet.fields": "referenced_tweets,author_id", "expansions": "referenced_tweets.id"},
    ).json()
    assert_matches("/2/tweets/{id}/retweets", "get", 200, posts)
    assert [p["id"] for p in posts["data"]] == list(reversed(reposts))
    assert posts["data"][0]["text"] == "RT @acme: share me"
    assert posts["data"][0]["referenced_tweets"] == [{"type": "retweeted", "id": post_id}]
    bearer = app_bearer(world).json()["access_token"]
    r = requests.get(world.url(f"/2/tweets/{post_id}/retweeted_by"), headers={"Authorization": f"Bearer {bearer}"})
    assert r.status_code == 200 and len(r.json()["data"]) == 2


def test_quote_tweets_meta_is_result_count_and_next_token(world, sim):
    s = world.session()
    post_id = _post(s, world, "quote me")
    quotes = [_post(s, world, f"quoting {i}", quote_tweet_id=post_id) for i in range(12)]
    _post(s, world, "reply quote", quote_tweet_id=post_id, reply={"in_reply_to_tweet_id": post_id})
    url = world.url(f"/2/tweets/{post_id}/quote_tweets")
    first = s.get(url, params={"exclude": "replies"}).json()
    assert_matches("/2/tweets/{id}/quote_tweets", "get", 200, first)
    assert set(first["meta"]) == {"result_count", "next_token"} and first["meta"]["result_count"] == 10
    assert [p["id"] for p in first["data"]] == list(reversed(quotes))[:10]
    rest = s.get(url, params={"exclude": "replies", "pagination_token": first["meta"]["next_token"]}).json()
    assert [p["id"] for p in rest["data"]] == list(reversed(quotes))[10:] and rest["meta"] == {"result_count": 2}
    assert s.get(url, params={"exclude": "likes"}).status_code == 400
    assert s.get(url, params={"max_results": 9}).status_code == 400
