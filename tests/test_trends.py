"""Trends by WOEID and personalized trends, counted from the world's posts in the trends window."""

from __future__ import annotations

import requests
from openapi_shapes import assert_matches

from xmock.simulator import trends
from xmock.simulator.models import Place, Post


def _get(world, bearer, path, **params):
    return requests.get(world.url(path), params=params, headers={"Authorization": f"Bearer {bearer}"})


def test_worldwide_trends_come_from_posts_in_the_window(world, sim, bearer):
    assert _get(world, bearer, "/2/trends/by/woeid/1").json() == {}  # an empty world has no trends
    a, b, c = (sim.create_user() for _ in range(3))
    sim.create_post(a.id, "Old news about #Eclipse")
    sim.clock.advance(2 * 24 * 3600)
    sim.create_post(a.id, "Watching the #WorldCup final tonight")
    sim.create_post(b.id, "#worldcup penalties again")
    sim.create_post(c.id, "What a final! #WorldCup")
    sim.create_post(b.id, "Penalties decide the final")
    got = _get(world, bearer, "/2/trends/by/woeid/1").json()
    assert_matches("/2/trends/by/woeid/{woeid}", "get", 200, got)
    top = [{"trend_name": "#WorldCup", "tweet_count": 3}, {"trend_name": "final", "tweet_count": 3}]
    assert got["data"][:2] == top
    names = [t["trend_name"] for t in got["data"]]
    assert "penalties" not in names  # twice, but by one author: plain terms need two
    assert "#Eclipse" not in names  # outside the window
    got = _get(world, bearer, "/2/trends/by/woeid/1", max_trends="1", **{"trend.fields": "trend_name"}).json()
    assert got == {"data": [{"trend_name": "#WorldCup"}]}

    sim.configure(trends_window=3 * 24 * 3600)
    names = [t["trend_name"] for t in _get(world, bearer, "/2/trends/by/woeid/1", max_trends="50").json()["data"]]
    assert "#Eclipse" in names


def _placed(sim, user, text, place_id):
    post = Post(id=sim.ids.next_id(), text=text, author_id=user.id, created_at=sim.clock.now(), place_id=place_id)
    sim.store.create_post(post, None)


def test_country_trends_read_places_and_profile_locations(world, sim, bearer):
    sim.store.put_place(Place("p1", "Austin, TX", "Austin", "United States", "US"))
    sim.store.put_place(Place("p2", "Leeds, England", "Leeds", "United Kingdom", "GB"))
    texan, brit, nowhere = sim.create_user(), sim.create_user(), sim.create_user()
    _placed(sim, brit, "Visiting: #BBQ", "p1")  # the place decides, not where the author lives
    _placed(sim, texan, "#Tea time", "p2")
    sim.create_post(nowhere.id, "#Nowhere at all")
    us = _get(world, bearer, "/2/trends/by/woeid/23424977").json()
    assert_matches("/2/trends/by/woeid/{woeid}", "get", 200, us)
    assert us["data"] == [{"trend_name": "#BBQ", "tweet_count": 1}]
    gb = _get(world, bearer, "/2/trends/by/woeid/23424975").json()
    assert gb["data"] == [{"trend_name": "#Tea", "tweet_count": 1}]
    sim.update_user(nowhere.id, location="Leeds, United Kingdom")
    gb = _get(world, bearer, "/2/trends/by/woeid/23424975").json()
    assert [t["trend_name"] for t in gb["data"]] == ["#Nowhere", "#Tea"]


def test_unknown_or_malformed_woeid(world, bearer):
    gone = _get(world, bearer, "/2/trends/by/woeid/999")
    assert gone.json()["errors"][0]["parameter"] == "woeid"
    assert_matches("/2/trends/by/woeid/{woeid}", "get", 200, gone.json())
    for bad in ("abc", "99999999999"):
        r = _get(world, bearer, f"/2/trends/by/woeid/{bad}")
        assert r.status_code == 400
        assert_matches("/2/trends/by/woeid/{woeid}", "get", 400, r.json())
    assert _get(world, bearer, "/2/trends/by/woeid/1", max_trends="51").status_code == 400


def test_woeid_trends_take_no_oauth1(world):
    assert world.session().get(world.url("/2/trends/by/woeid/1")).status_code == 403


def test_personalized_trends_put_the_network_first(world, sim):
    friend, stranger, stranger2 = sim.create_user(), sim.create_user(), sim.create_user()
    sim.follow(world.user.id, friend.id)
    sim.create_post(stranger.id, "#Crypto to the moon")
    sim.create_post(stranger2.id, "#Crypto again")
    sim.create_post(friend.id, "Loving #Gardening")
    got = world.session().get(world.url("/2/users/personalized_trends")).json()
    assert_matches("/2/users/personalized_trends", "get", 200, got)
    first, second = got["data"]
    assert (first["trend_name"], first["post_count"], first["category"]) == ("#Gardening", "1 post", "Trending")
    assert (second["trend_name"], second["post_count"]) == ("#Crypto", "2 posts")
    assert first["trending_since"].endswith("Z")
    params = {"personalized_trend.fields": "post_count"}
    got = world.session().get(world.url("/2/users/personalized_trends"), params=params)
    assert got.json()["data"][0] == {"trend_name": "#Gardening", "post_count": "1 post"}


def test_protected_accounts_do_not_trend(world, sim, bearer):
    hidden = sim.create_user(protected=True)
    sim.create_post(hidden.id, "#Secret plans")
    assert _get(world, bearer, "/2/trends/by/woeid/1").json() == {}


def test_post_count_text():
    assert [trends.post_count_text(n) for n in (1, 999, 1000, 12_345, 2_500_000)] == [
        "1 post",
        "999 posts",
        "1K posts",
        "12.3K posts",
        "2.5M posts",
    ]
