"""A repost is a post: `RT @author: text`, referenced as `retweeted`, in timelines and search."""

from openapi_shapes import assert_matches

from xmock.simulator.reposts import repost_text


def _post(s, world, text, **extra):
    return s.post(world.url("/2/tweets"), json={"text": text, **extra}).json()["data"]["id"]


def test_repost_creates_a_post_that_timelines_and_search_show(world, sim):
    s = world.session()
    author = sim.create_user(username="writer")
    sim.clock.freeze()
    source = sim.store.get_post(_post(world.session(sim.mint_oauth1_token(world.app.id, author.id)), world, "a & b"))
    sim.clock.advance(5)
    me = world.user.id
    r = s.post(world.url(f"/2/users/{me}/retweets"), json={"tweet_id": source.id})
    rest_id = r.json()["data"]["rest_id"]
    assert_matches("/2/users/{id}/retweets", "post", 200, r.json())
    got = s.get(
        world.url(f"/2/tweets/{rest_id}"),
        params={"tweet.fields": "referenced_tweets,author_id", "expansions": "referenced_tweets.id"},
    ).json()
    assert_matches("/2/tweets/{id}", "get", 200, got)
    assert got["data"]["text"] == "RT @writer: a &amp; b"
    assert got["data"]["author_id"] == me
    assert got["data"]["referenced_tweets"] == [{"type": "retweeted", "id": source.id}]
    assert got["includes"]["tweets"][0]["id"] == source.id
    # the same answer when asked again: one repost, one post
    again = s.post(world.url(f"/2/users/{me}/retweets"), json={"tweet_id": source.id}).json()
    assert again["data"]["rest_id"] == rest_id
    timeline = s.get(world.url(f"/2/users/{me}/tweets")).json()
    assert [p["id"] for p in timeline["data"]] == [rest_id]
    assert "data" not in s.get(world.url(f"/2/users/{me}/tweets"), params={"exclude": "retweets"}).json()
    found = s.get(world.url("/2/tweets/search/recent"), params={"query": f"is:retweet from:{me}"}).json()
    assert [p["id"] for p in found["data"]] == [rest_id]
    metrics = s.get(world.url(f"/2/tweets/{source.id}"), params={"tweet.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["retweet_count"] == 1


def test_reposting_a_repost_reposts_its_source(world, sim):
    s = world.session()
    other = sim.create_user(username="other")
    source_id = _post(s, world, "original")
    repost = sim.repost(other.id, source_id)
    r = s.post(world.url(f"/2/users/{world.user.id}/retweets"), json={"tweet_id": repost.id}).json()
    made = sim.store.get_post(r["data"]["rest_id"])
    assert made.reposted_post_id == source_id and made.text == "RT @acme: original"


def test_unrepost_and_deleting_the_source_remove_the_repost_post(world, sim):
    s = world.session()
    me = world.user.id
    source_id = _post(s, world, "going away")
    rest_id = s.post(world.url(f"/2/users/{me}/retweets"), json={"tweet_id": source_id}).json()["data"]["rest_id"]
    assert s.delete(world.url(f"/2/users/{me}/retweets/{source_id}")).json() == {"data": {"retweeted": False}}
    assert sim.store.get_post(rest_id) is None
    assert sim.store.edges_to("reposts", source_id) == []
    other = sim.create_user(username="fan")
    repost = sim.repost(other.id, source_id)
    sim.like(other.id, source_id)
    assert s.delete(world.url(f"/2/tweets/{source_id}")).json() == {"data": {"deleted": True}}
    assert sim.store.get_post(repost.id) is None
    assert sim.store.edges_from("reposts", other.id) == []
    assert sim.store.edges_from("likes", other.id) == []


def test_deleting_the_repost_post_undoes_the_repost(world, sim):
    s = world.session()
    source_id = _post(s, world, "keep me")
    other = sim.create_user(username="fan2")
    token = sim.mint_oauth1_token(world.app.id, other.id)
    repost = sim.repost(other.id, source_id)
    assert world.session(token).delete(world.url(f"/2/tweets/{repost.id}")).status_code == 200
    assert sim.store.get_post(source_id) is not None
    assert sim.store.post_metrics(source_id)["retweet_count"] == 0


def test_repost_text_is_cut_at_140_characters():
    assert repost_text("a", "short") == "RT @a: short"
    long = repost_text("a", "x" * 300)
    assert len(long) == 140 and long.endswith("\u2026") and long.startswith("RT @a: xxx")
    assert repost_text("a", "x" * 133) == "RT @a: " + "x" * 133  # exactly 140: kept whole
