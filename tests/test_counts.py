"""Counts of posts matching a query, per minute, hour or day; recent (7 days) and full archive."""

import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches

from xmock.simulator.clock import parse_instant

DAY = 86400


def _spec_shape(body):
    """The live API's `tweet_count` names, as 2.167 spells them (post_count, total_post_count)."""
    rows = [{"start": r["start"], "end": r["end"], "post_count": r["tweet_count"]} for r in body.get("data", [])]
    meta = {("total_post_count" if k == "total_tweet_count" else k): v for k, v in body["meta"].items()}
    return {**({"data": rows} if rows else {}), "meta": meta}


def _get(world, bearer, path, **params):
    return requests.get(world.url(path), params=params, headers={"Authorization": f"Bearer {bearer}"})


def _arrange(world, sim):
    s = world.session()
    sim.clock.freeze(parse_instant("2026-03-10T00:00:00Z"))
    arranged = ((-40 * DAY, "cats old"), (-3 * DAY, "cats three"), (-3 * DAY + 60, "dogs"), (-3600, "cats"))
    for day_offset, text in arranged:
        sim.clock.set(parse_instant("2026-03-10T00:00:00Z") + day_offset)
        assert s.post(world.url("/2/tweets"), json={"text": text}).status_code == 201
    sim.clock.set(parse_instant("2026-03-10T00:00:00Z"))
    return app_bearer(world).json()["access_token"]


def test_recent_counts_by_day(world, sim):
    bearer = _arrange(world, sim)
    r = _get(world, bearer, "/2/tweets/counts/recent", query="cats", granularity="day")
    body = r.json()
    assert r.status_code == 200
    assert_matches("/2/tweets/counts/recent", "get", 200, _spec_shape(body))
    assert body["meta"] == {"total_tweet_count": 2}
    assert body["data"][0] == {"end": "2026-03-04T00:00:00.000Z", "start": "2026-03-03T00:00:00.000Z", "tweet_count": 0}
    by_start = {row["start"]: row["tweet_count"] for row in body["data"]}
    assert by_start["2026-03-07T00:00:00.000Z"] == 1 and by_start["2026-03-09T00:00:00.000Z"] == 1
    assert len(body["data"]) == 7 and body["data"][-1]["end"] == "2026-03-10T00:00:00.000Z"
    hourly = _get(world, bearer, "/2/tweets/counts/recent", query="cats OR dogs").json()
    assert hourly["meta"]["total_tweet_count"] == 3 and len(hourly["data"]) == 7 * 24


def test_recent_counts_refuse_bad_input(world, sim):
    bearer = _arrange(world, sim)
    path = "/2/tweets/counts/recent"
    assert _get(world, bearer, path, query="cats", granularity="week").status_code == 400
    assert _get(world, bearer, path, query="").status_code == 400
    assert _get(world, bearer, path, query="cats", start_time="2026-01-01T00:00:00Z").status_code == 400
    assert _get(world, bearer, path, query="(cats").status_code == 400
    assert _get(world, bearer, path, query="cats", start_time="2026-03-08T00:00:00Z", since_id="1").status_code == 400
    assert world.session().get(world.url(path), params={"query": "cats"}).status_code == 403  # no OAuth 1.0a


def test_all_counts_reach_the_archive_a_page_of_31_days_at_a_time(world, sim):
    bearer = _arrange(world, sim)
    path = "/2/tweets/counts/all"
    default = _get(world, bearer, path, query="cats", granularity="day").json()
    assert default["meta"] == {"total_tweet_count": 2} and len(default["data"]) == 30
    first = _get(world, bearer, path, query="cats", granularity="day", start_time="2026-01-20T00:00:00Z").json()
    assert_matches(path, "get", 200, _spec_shape(first))
    assert first["meta"]["total_tweet_count"] == 2 and len(first["data"]) == 31 and "next_token" in first["meta"]
    older = _get(
        world,
        bearer,
        path,
        query="cats",
        granularity="day",
        start_time="2026-01-20T00:00:00Z",
        next_token=first["meta"]["next_token"],
    ).json()
    assert older["meta"] == {"total_tweet_count": 1} and older["data"][0]["start"] == "2026-01-20T00:00:00.000Z"
    user_token = sim.mint_oauth2_token(world.app.id, world.user.id)[0].token
    assert _get(world, user_token, path, query="cats").status_code == 403  # bearer only


def test_counts_in_2167s_names_when_asked(world, sim):
    bearer = _arrange(world, sim)
    sim.configure(count_field_names="2.167")
    for path in ("/2/tweets/counts/recent", "/2/tweets/counts/all"):
        body = _get(world, bearer, path, query="cats", granularity="day").json()
        assert_matches(path, "get", 200, body)  # as is: no renaming needed
        assert body["meta"]["total_post_count"] == 2  # the 40-day-old post is outside both defaults
        assert "tweet_count" not in body["data"][0] and "total_tweet_count" not in body["meta"]
