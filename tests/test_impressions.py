"""Impressions: a post's appearances in other users' reads, counted once per read; private metrics for
the author's own posts only, X's field-authorization partial error otherwise."""

from __future__ import annotations

from oauth2_support import app_bearer, bearer_get
from openapi_shapes import assert_matches


def _impressions(world, post_id: str) -> int:
    s = world.session()
    return s.get(world.url(f"/2/tweets/{post_id}"), params={"tweet.fields": "public_metrics"}).json()["data"][
        "public_metrics"
    ]["impression_count"]


def _reader(world, sim, name: str = "reader"):
    user = sim.create_user(username=name)
    return world.session(sim.mint_oauth1_token(world.app.id, user.id))


def test_other_users_reads_count_the_authors_do_not(world, sim):
    posted = world.session().post(world.url("/2/tweets"), json={"text": "count my views"}).json()["data"]["id"]
    reader = _reader(world, sim)
    assert _impressions(world, posted) == 0  # the author's own read
    reader.get(world.url(f"/2/tweets/{posted}"))  # by id
    reader.get(world.url("/2/tweets"), params={"ids": f"{posted},{posted}"})  # a lookup: once per read
    reader.get(world.url(f"/2/users/{world.user.id}/tweets"))  # a timeline
    reader.get(world.url("/2/tweets/search/recent"), params={"query": "views"})  # search
    assert _impressions(world, posted) == 4
    world.session().get(world.url(f"/2/users/{world.user.id}/tweets"))  # the author's again: not counted
    token = app_bearer(world).json()["access_token"]
    assert bearer_get(world, token, f"/2/tweets/{posted}").status_code == 200  # an app-only read counts
    assert _impressions(world, posted) == 5


def test_expansions_and_misses_count_nothing(world, sim):
    quoted = world.session().post(world.url("/2/tweets"), json={"text": "quoted"}).json()["data"]["id"]
    reader = _reader(world, sim)
    quote = reader.post(world.url("/2/tweets"), json={"text": "look", "quote_tweet_id": quoted}).json()["data"]["id"]
    reader.get(world.url(f"/2/tweets/{quote}"), params={"expansions": "referenced_tweets.id"})
    assert _impressions(world, quoted) == 0  # shown only in includes
    reader.get(world.url("/2/tweets/search/recent"), params={"query": "nothing-matches"})
    assert _impressions(world, quoted) == 0


def test_private_metrics_for_the_author_only(world, sim):
    posted = world.session().post(world.url("/2/tweets"), json={"text": "private numbers"}).json()["data"]["id"]
    reader = _reader(world, sim)
    sim.like(sim.create_user(username="liker").id, posted)
    reader.get(world.url(f"/2/tweets/{posted}"))
    fields = {"tweet.fields": "non_public_metrics,organic_metrics"}
    own = world.session().get(world.url(f"/2/tweets/{posted}"), params=fields).json()
    assert_matches("/2/tweets/{id}", "get", 200, own)
    assert own["data"]["non_public_metrics"] == {"impression_count": 1, "url_link_clicks": 0, "user_profile_clicks": 0}
    assert own["data"]["organic_metrics"]["like_count"] == 1
    assert own["data"]["organic_metrics"]["impression_count"] == 1
    theirs = reader.get(world.url(f"/2/tweets/{posted}"), params={"tweet.fields": "non_public_metrics"}).json()
    assert "data" not in theirs  # X withholds the post
    assert [e["field"] for e in theirs["errors"]] == [
        "non_public_metrics.impression_count",
        "non_public_metrics.url_link_clicks",
        "non_public_metrics.user_profile_clicks",
    ]
    first = theirs["errors"][0]
    assert first == {
        "resource_type": "tweet",
        "field": "non_public_metrics.impression_count",
        "parameter": "id",
        "resource_id": posted,
        "title": "Field Authorization Error",
        "section": "data",
        "detail": f"Sorry, you are not authorized to access 'non_public_metrics.impression_count' on the Tweet "
        f"with id : [{posted}].",
        "value": posted,
        "type": "https://api.x.com/2/problems/not-authorized-for-field",
    }
    assert_matches("/2/tweets/{id}", "get", 200, theirs)
    assert _impressions(world, posted) == 1  # a withheld post was not seen


def test_a_lookup_withholds_only_the_posts_not_yours(world, sim):
    mine = world.session().post(world.url("/2/tweets"), json={"text": "mine"}).json()["data"]["id"]
    reader = _reader(world, sim)
    theirs = reader.post(world.url("/2/tweets"), json={"text": "theirs"}).json()["data"]["id"]
    body = world.session().get(
        world.url("/2/tweets"), params={"ids": f"{mine},{theirs}", "tweet.fields": "organic_metrics"}
    ).json()
    assert_matches("/2/tweets", "get", 200, body)
    assert [p["id"] for p in body["data"]] == [mine]
    assert {e["resource_id"] for e in body["errors"]} == {theirs}
    assert {e["parameter"] for e in body["errors"]} == {"ids"}
    assert len(body["errors"]) == 6  # one per organic sub-field
    token = app_bearer(world).json()["access_token"]
    app_only = bearer_get(world, token, f"/2/tweets/{mine}?tweet.fields=non_public_metrics").json()
    assert "data" not in app_only and app_only["errors"][0]["section"] == "data"


def test_included_posts_are_withheld_from_includes(world, sim):
    reader = _reader(world, sim)
    theirs = reader.post(world.url("/2/tweets"), json={"text": "theirs"}).json()["data"]["id"]
    mine = world.session().post(world.url("/2/tweets"), json={"text": "quoting", "quote_tweet_id": theirs}).json()
    params = {"tweet.fields": "organic_metrics", "expansions": "referenced_tweets.id"}
    body = world.session().get(world.url(f"/2/tweets/{mine['data']['id']}"), params=params).json()
    assert_matches("/2/tweets/{id}", "get", 200, body)
    assert body["data"]["organic_metrics"]["impression_count"] == 0
    assert "includes" not in body
    assert {(e["section"], e["parameter"], e["resource_id"]) for e in body["errors"]} == {
        ("includes", "referenced_tweets.id", theirs)
    }
