"""GET /2/tweets/search/all: the full archive, bearer only, 30 days unless asked further back."""

import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches

from xmock.simulator.clock import parse_instant

NOW = "2026-03-10T00:00:00Z"


def _search(world, bearer, **params):
    return requests.get(
        world.url("/2/tweets/search/all"), params=params, headers={"Authorization": f"Bearer {bearer}"}
    )


def test_full_archive_reaches_past_seven_days(world, sim):
    s = world.session()
    sim.clock.freeze(parse_instant(NOW))
    ids = {}
    for days, text in ((400, "archive cats"), (20, "older cats"), (1, "fresh cats")):
        sim.clock.set(parse_instant(NOW) - days * 86400)
        ids[days] = s.post(world.url("/2/tweets"), json={"text": text}).json()["data"]["id"]
    sim.clock.set(parse_instant(NOW))
    bearer = app_bearer(world).json()["access_token"]
    recent = s.get(world.url("/2/tweets/search/recent"), params={"query": "cats"}).json()
    assert [p["id"] for p in recent["data"]] == [ids[1]]
    body = _search(world, bearer, query="cats", expansions="author_id").json()
    assert_matches("/2/tweets/search/all", "get", 200, body)
    assert [p["id"] for p in body["data"]] == [ids[1], ids[20]]  # the default 30 days
    sim.clock.advance(1)  # X allows one full-archive request per second
    everything = _search(world, bearer, query="cats", start_time="2024-01-01T00:00:00Z", max_results=10).json()
    assert [p["id"] for p in everything["data"]] == [ids[1], ids[20], ids[400]]
    assert "previous_token" not in everything["meta"]


def test_full_archive_refusals(world, sim):
    sim.clock.freeze()
    bearer = app_bearer(world).json()["access_token"]
    assert _search(world, bearer, query="cats").status_code == 200
    assert _search(world, bearer, query="cats").status_code == 429  # a second request in the same second
    checks = [
        {"query": "cats", "max_results": 501},
        {"query": "cats", "max_results": 9},
        {"query": "cats", "sort_order": "oldest"},
        {"query": "x" * 4097},
        {"query": "cats", "end_time": "2026-01-01T00:00:00Z", "until_id": "5"},
    ]
    for params in checks:
        sim.clock.advance(1)
        r = _search(world, bearer, **params)
        assert r.status_code == 400, params
    sim.configure(access_tier="self-serve")
    sim.clock.advance(1)
    assert _search(world, bearer, query="x" * 1025).status_code == 400
    sim.clock.advance(1)
    assert _search(world, bearer, query="x" * 1024).status_code == 200
    assert world.session().get(world.url("/2/tweets/search/all"), params={"query": "x"}).status_code == 403
