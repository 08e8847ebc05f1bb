"""GET /2/tweets/analytics: the owner's posts only, counted from the state over time."""

from openapi_shapes import assert_matches

from xmock.simulator.clock import parse_instant

T0 = "2026-03-10T00:00:00Z"


def test_analytics_counts_engagement_per_bucket(world, sim):
    s = world.session()
    sim.clock.freeze(parse_instant(T0))
    post_id = s.post(world.url("/2/tweets"), json={"text": "measure me"}).json()["data"]["id"]
    fans = [sim.create_user(username=f"fan{i}") for i in range(3)]
    sim.clock.advance(600)
    sim.like(fans[0].id, post_id)
    sim.repost(fans[1].id, post_id)
    sim.clock.advance(3600)
    sim.like(fans[2].id, post_id)
    other = sim.create_user(username="stranger")
    theirs = world.session(sim.mint_oauth1_token(world.app.id, other.id)).post(
        world.url("/2/tweets"), json={"text": "not yours"}
    )
    params = {
        "ids": f"{post_id},{theirs.json()['data']['id']},42",
        "start_time": T0,
        "end_time": "2026-03-10T03:00:00Z",
        "granularity": "hourly",
        "analytics.fields": "likes,retweets,engagements",
    }
    body = s.get(world.url("/2/tweets/analytics"), params=params).json()
    assert_matches("/2/tweets/analytics", "get", 200, body)
    row = body["data"][0]
    assert row["id"] == post_id and (row["likes"], row["retweets"], row["engagements"]) == (2, 1, 3)
    assert [b["metrics"]["likes"] for b in row["timestamped_metrics"]] == [1, 1, 0]
    assert row["timestamped_metrics"][1]["timestamp"] == "2026-03-10T01:00:00.000Z"
    assert [e["title"] for e in body["errors"]] == ["Authorization Error", "Not Found Error"]
    total = s.get(world.url("/2/tweets/analytics"), params={**params, "granularity": "total", "ids": post_id}).json()
    assert len(total["data"][0]["timestamped_metrics"]) == 1 and total["data"][0]["likes"] == 2


def test_analytics_refusals(world, sim):
    s = world.session()
    url = world.url("/2/tweets/analytics")
    good = {"ids": "1", "start_time": T0, "end_time": "2026-03-11T00:00:00Z"}
    assert s.get(url, params={**good, "granularity": "monthly"}).status_code == 400
    assert s.get(url, params={k: v for k, v in good.items() if k != "end_time"}).status_code == 400
    assert s.get(url, params={**good, "analytics.fields": "mood"}).status_code == 400
    assert s.get(url, params={**good, "ids": "x"}).status_code == 400
    assert s.get(url, params={**good, "end_time": T0}).status_code == 400
    sim.configure(access_tier="self-serve")
    assert s.get(url, params=good).status_code == 403
