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


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08\x02"


def _posted_photo(world, s) -> tuple[str, str]:
    """A photo uploaded and posted by the session's user: (media key, post id)."""
    files = {"media": ("photo.png", PNG + b"\x00" * 200, "image/png")}
    upload = s.post(world.url("/2/media/upload"), data={"media_category": "tweet_image"}, files=files).json()["data"]
    post = s.post(world.url("/2/tweets"), json={"text": "look", "media": {"media_ids": [upload["id"]]}})
    return upload["media_key"], post.json()["data"]["id"]


def test_media_analytics_counts_views_of_the_posts_carrying_the_media(world, sim):
    s = world.session()
    sim.clock.freeze(parse_instant(T0))
    key, post_id = _posted_photo(world, s)
    reader = world.session(sim.mint_oauth1_token(world.app.id, sim.create_user(username="viewer").id))
    for _ in range(3):
        reader.get(world.url(f"/2/tweets/{post_id}"))
    other = sim.create_user(username="stranger")
    theirs, _ = _posted_photo(world, world.session(sim.mint_oauth1_token(world.app.id, other.id)))
    params = {"media_keys": f"{key},{theirs},3_42", "start_time": T0, "end_time": "2026-03-10T02:00:00Z",
              "granularity": "total"}
    url = world.url("/2/media/analytics")
    body = s.get(url, params=params).json()
    assert_matches("/2/media/analytics", "get", 200, body)
    row = body["data"][0]
    assert row["media_key"] == key and row["video_views"] == 3 and row["playback_complete"] == 0
    assert row["timestamped_metrics"][0]["metrics"]["video_views"] == 3
    assert [e["title"] for e in body["errors"]] == ["Authorization Error", "Not Found Error"]
    hourly = s.get(url, params={**params, "media_keys": key, "granularity": "hourly",
                                "media_analytics.fields": "video_views,timestamped_metrics"}).json()
    assert_matches("/2/media/analytics", "get", 200, hourly)
    assert [b["metrics"] for b in hourly["data"][0]["timestamped_metrics"]] == [{"video_views": None}] * 2
    assert set(hourly["data"][0]) == {"media_key", "video_views", "timestamped_metrics"}


def test_media_analytics_refusals(world, sim):
    s = world.session()
    url = world.url("/2/media/analytics")
    good = {"media_keys": "3_1", "start_time": T0, "end_time": "2026-03-11T00:00:00Z"}
    for bad in ({"granularity": "weekly"}, {"media_keys": "x"}, {"media_analytics.fields": "mood"}, {"end_time": T0}):
        r = s.get(url, params={**good, **bad})
        assert r.status_code == 400
        assert_matches("/2/media/analytics", "get", 400, r.json())
    assert s.get(url, params={k: v for k, v in good.items() if k != "start_time"}).status_code == 400
    sim.configure(access_tier="self-serve")
    assert s.get(url, params=good).status_code == 403
