"""The streams: raw HTTP streaming against the session's server, tweepy's StreamingClient and xdk's stream
client unmodified, connection slots, keep-alives on the simulator clock, backfill, operational and
slow-reader disconnects, per-tier refusals, the likes, compliance and activity streams."""

from __future__ import annotations

import json
import queue
import threading

import pytest
import requests
from oauth2_support import bearer_headers as h
from openapi_shapes import assert_matches
from stream_support import STREAM, WAIT, add_rules, reading, wait_closed, wait_open


# the filtered stream ---------------------------------------------------------------------------
def test_filtered_stream_delivers_matching_posts_with_rules_and_expansions(world, bearer, sim):
    added = add_rules(world, bearer, {"value": "cats", "tag": "felines"}, "from:acme").json()["data"]
    rule_ids = {d["value"]: d["id"] for d in added}
    other = sim.create_user(username="someone", name="Someone")
    with reading(world, bearer, params={"expansions": "author_id", "tweet.fields": "created_at"}) as s:
        assert s.status == 200
        sim.create_post(other.id, "dogs only")  # matches nothing
        sim.create_post(other.id, "I like cats")
        line = s.json()
        assert line["data"]["text"] == "I like cats"
        assert line["matching_rules"] == [{"id": rule_ids["cats"], "tag": "felines"}]
        assert line["includes"]["users"][0]["username"] == "someone"
        assert "created_at" in line["data"]
        assert_matches(STREAM, "get", 200, line)
        resp = world.session().post(world.url("/2/tweets"), json={"text": "cats from acme"})
        assert resp.status_code == 201
        line = s.json()
        assert line["data"]["id"] == resp.json()["data"]["id"]
        assert sorted(r["id"] for r in line["matching_rules"]) == sorted(rule_ids.values())


def test_one_connection_per_app_then_429_and_the_slot_frees_on_disconnect(world, bearer, sim):
    sim.settings = sim.settings.updated(access_tier="self-serve")
    add_rules(world, bearer, "cats")
    with reading(world, bearer):
        r = requests.get(world.url(STREAM), headers=h(bearer), timeout=WAIT)
        assert r.status_code == 429
        assert r.json()["connection_issue"] == "TooManyConnections"
        assert_matches(STREAM, "get", 429, r.json())
    wait_closed(sim, world.app.id)
    with reading(world, bearer) as again:
        assert again.status == 200
    history = requests.get(world.url("/2/connections"), params={"status": "inactive"}, headers=h(bearer)).json()
    assert_matches("/2/connections", "get", 200, history)
    assert history["data"][0]["endpoint_name"] == "filtered_stream"


def test_keepalives_follow_the_simulator_clock(world, bearer, sim):
    sim.clock.freeze()
    add_rules(world, bearer, "cats")
    with reading(world, bearer) as s:
        sim.clock.advance(45)  # two keep-alives due
        assert s.next(skip_keepalives=False) == ""
        assert s.next(skip_keepalives=False) == ""
        sim.create_post(world.user.id, "cats again")
        assert json.loads(s.next())["data"]["text"] == "cats again"


def test_backfill_minutes_replays_recent_matches(world, bearer, sim):
    sim.clock.freeze()
    add_rules(world, bearer, "cats")
    sim.create_post(world.user.id, "old cats")
    sim.clock.advance(600)
    sim.create_post(world.user.id, "recent cats")
    sim.clock.advance(60)
    with reading(world, bearer, params={"backfill_minutes": "5"}) as s:
        assert s.json()["data"]["text"] == "recent cats"
        sim.create_post(world.user.id, "live cats")
        assert s.json()["data"]["text"] == "live cats"
    r = requests.get(world.url(STREAM), params={"backfill_minutes": "6"}, headers=h(bearer), timeout=WAIT)
    assert r.status_code == 400


def test_fault_rule_sends_an_operational_disconnect(world, bearer, sim):
    add_rules(world, bearer, "cats")
    with reading(world, bearer) as s:
        sim.add_fault(path=STREAM, action="disconnect", disconnect_type="UpstreamOperationalDisconnect")
        line = s.json()
        assert line["errors"][0]["disconnect_type"] == "UpstreamOperationalDisconnect"
        assert_matches(STREAM, "get", 200, line)
        assert s.next() is None  # then the stream ends
    conns = sim.store.stream_connections(world.app.id)
    assert conns[0]["disconnect_reason"] == "UpstreamOperationalDisconnect"


def test_a_reader_too_slow_is_disconnected(world, bearer, sim):
    sim.settings = sim.settings.updated(stream_buffer=1)
    add_rules(world, bearer, "cats")
    with reading(world, bearer) as s:
        for n in range(300):
            sim.create_post(world.user.id, f"cats {n}")
        lines = []
        while (line := s.next()) is not None:
            lines.append(json.loads(line))
        assert lines[-1]["errors"][0]["disconnect_type"] == "SlowReader"
        assert len(lines) < 301
    assert sim.store.stream_connections(world.app.id)[0]["disconnect_reason"] == "SlowReader"


# other streams -------------------------------------------------------------------------------
def test_sample_stream_is_enterprise_only(world, bearer, sim):
    with reading(world, bearer, "/2/tweets/sample/stream") as s:
        sim.create_post(world.user.id, "anything at all")
        line = s.json()
        assert line["data"]["text"] == "anything at all"
        assert_matches("/2/tweets/sample/stream", "get", 200, line)
    sim.settings = sim.settings.updated(access_tier="self-serve")
    r = requests.get(world.url("/2/tweets/sample/stream"), headers=h(bearer), timeout=WAIT)
    assert r.status_code == 403 and r.json()["reason"] == "client-not-enrolled"
    assert_matches("/2/tweets/sample/stream", "get", 403, r.json())


def test_firehose_partitions_share_the_posts(world, bearer, sim):
    assert requests.get(world.url("/2/tweets/firehose/stream"), headers=h(bearer), timeout=WAIT).status_code == 400
    posts = [sim.create_post(world.user.id, f"post {n}") for n in range(4)]
    sim.clock.freeze()
    wanted = int(posts[0].id) % 20 + 1
    with reading(world, bearer, "/2/tweets/firehose/stream", {"partition": wanted, "backfill_minutes": 1}) as s:
        got = s.json()["data"]["id"]
        assert int(got) % 20 + 1 == wanted


def test_likes_and_compliance_streams(world, bearer, sim):
    other = sim.create_user(username="fan", name="Fan")
    post = sim.create_post(world.user.id, "likeable")
    with reading(world, bearer, "/2/likes/firehose/stream", {"partition": 1}) as likes_1, reading(
        world, bearer, "/2/likes/firehose/stream", {"partition": 2}
    ), reading(world, bearer, "/2/tweets/compliance/stream", {"partition": int(post.id) % 4 + 1}) as comp:
        sim.like(other.id, post.id)
        sim.store.delete_post(post.id, sim.clock.now())
        deleted = comp.json()
        assert deleted["data"]["delete"]["tweet"] == {"id": post.id, "author_id": world.user.id}
        assert_matches("/2/tweets/compliance/stream", "get", 200, deleted)
        if int(stream_match_like_id(other.id, post.id), 16) % 20 == 0:
            like = likes_1.json()
            assert like["data"]["liked_tweet_id"] == post.id
            assert_matches("/2/likes/firehose/stream", "get", 200, like)


def test_users_compliance_stream_tells_of_accounts_taken_down_and_restored(world, bearer, sim):
    other = sim.create_user(username="gone", name="Gone")
    path = "/2/users/compliance/stream"
    wanted = int(other.id) % 4 + 1
    with reading(world, bearer, path, {"partition": wanted % 4 + 1}) as elsewhere, reading(
        world, bearer, path, {"partition": wanted}
    ) as s:
        sim.set_account_state(other.id, "suspended")
        sim.set_account_state(other.id, "deactivated")  # lifts the suspension
        sim.set_account_state(other.id, "active")
        got = [s.json()["data"] for _ in range(4)]
        assert [next(iter(d)) for d in got] == ["user_suspend", "user_unsuspend", "user_delete", "user_undelete"]
        assert {d[name]["user"]["id"] for d in got for name in d} == {other.id}
        assert_matches(path, "get", 200, {"data": got[0]})
        sim.create_post(world.user.id, "a post is no user compliance event")
        sim.add_fault(path=path, action="disconnect", disconnect_type="OperationalDisconnect")
        assert "errors" in s.json()  # nothing else came first
        assert "errors" in elsewhere.json()  # the other partition saw none of it


def stream_match_like_id(user_id: str, post_id: str) -> str:
    from xmock.simulator.resources.streams import _like_id

    return _like_id(user_id, post_id)


def test_activity_stream_reads_the_apps_subscriptions(world, bearer, sim):
    other = sim.create_user(username="follower", name="Follower")
    body = {"event_type": "follow.follow", "filter": {"user_id": world.user.id}}
    made = requests.post(world.url("/2/activity/subscriptions"), json=body, headers=h(bearer))
    assert made.status_code == 200, made.text
    with reading(world, bearer, "/2/activity/stream") as s:
        sim.follow(other.id, world.user.id)
        line = s.json()
        assert line["data"]["event_type"] == "follow.follow"
        assert line["data"]["payload"]["source"]["data"]["username"] == "follower"
        assert_matches("/2/activity/stream", "get", 200, line)


# real clients ----------------------------------------------------------------------------------
def test_tweepy_streaming_client(world, bearer, sim, base):
    import tweepy

    from xmock.simulator.transport import mount

    got: queue.Queue = queue.Queue()

    class Collect(tweepy.StreamingClient):
        def on_response(self, response):
            got.put(response)

    client = Collect(bearer, max_retries=1)
    mount(client.session, base)
    added = client.add_rules([tweepy.StreamRule("cats", tag="felines"), tweepy.StreamRule("dogs")])
    assert [r.value for r in added.data] == ["cats", "dogs"]
    assert {r.value for r in client.get_rules().data} == {"cats", "dogs"}
    client.delete_rules([added.data[1].id])
    assert [r.value for r in client.get_rules().data] == ["cats"]
    thread = client.filter(threaded=True, expansions=["author_id"])
    try:
        wait_open(sim, world.app.id)
        sim.create_post(world.user.id, "cats via tweepy")
        response = got.get(timeout=WAIT)
        assert response.data.text == "cats via tweepy"
        assert response.matching_rules[0].tag == "felines"
        assert response.includes["users"][0].username == "acme"
    finally:
        client.disconnect()
        sim.create_post(world.user.id, "cats to wake the reader")
        thread.join(WAIT)
    got = queue.Queue()
    sample = Collect(bearer, max_retries=1)
    mount(sample.session, base)
    thread = sample.sample(threaded=True)
    try:
        wait_open(sim, world.app.id, "sample_stream")  # the filter stream's connection may still be closing
        sim.create_post(world.user.id, "sampled")
        assert got.get(timeout=WAIT).data.text == "sampled"
    finally:
        sample.disconnect()
        sim.create_post(world.user.id, "wake")
        thread.join(WAIT)


def test_xdk_stream_client(world, bearer, sim, base):
    xdk = pytest.importorskip("xdk")
    client = xdk.Client(base_url=base, bearer_token=bearer)
    client.stream.update_rules(body={"add": [{"value": "cats", "tag": "t"}]})
    rules = next(iter(client.stream.get_rules()))
    assert [r.value for r in rules.data] == ["cats"]
    lines: queue.Queue = queue.Queue()

    def run() -> None:
        for item in client.stream.posts():
            lines.put(item)
            return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_open(sim, world.app.id)
    sim.create_post(world.user.id, "cats via xdk")
    item = lines.get(timeout=WAIT)
    data = item.data if hasattr(item, "data") else item["data"]
    text = data.text if hasattr(data, "text") else data["text"]
    assert text == "cats via xdk"
    thread.join(WAIT)
