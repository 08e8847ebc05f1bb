"""Filtered-stream rules and the streams: raw HTTP streaming against the session's server, tweepy's StreamingClient
and xdk's stream client unmodified, connection slots, kills, keep-alives on the simulator clock, backfill,
operational and slow-reader disconnects, per-tier refusals."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches

from xmock.simulator.resources import stream_rules

RULES = "/2/tweets/search/stream/rules"
STREAM = "/2/tweets/search/stream"
WAIT = 10.0  # seconds a test waits for a line that must come (never a timed assertion: only a bound on a hang)


@pytest.fixture
def bearer(world) -> str:
    return app_bearer(world).json()["access_token"]


def _h(bearer: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {bearer}"}


def _add(world, bearer, *rules, **params):
    body = {"add": [r if isinstance(r, dict) else {"value": r} for r in rules]}
    return requests.post(world.url(RULES), json=body, params=params, headers=_h(bearer))


class Reader:
    """A stream connection read in a thread: its lines (keep-alives as "") arrive in a queue."""

    def __init__(self, world, bearer: str, path: str, params: dict | None = None) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.opened = threading.Event()
        self.status: int | None = None
        self.body: dict | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(WAIT, read=None))
        self._stop = False
        self._sock: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, args=(world.url(path), bearer, params), daemon=True)
        self._thread.start()
        assert self.opened.wait(WAIT)

    def _run(self, url: str, bearer: str, params: dict | None) -> None:
        try:
            with self._client.stream("GET", url, params=params, headers=_h(bearer)) as resp:
                self.status = resp.status_code
                self._sock = resp.extensions["network_stream"].get_extra_info("socket")
                if resp.status_code != 200:
                    resp.read()
                    self.body = resp.json()
                self.opened.set()
                for line in resp.iter_lines():
                    self.lines.put(line)
                    if self._stop:
                        return
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.lines.put(None)  # the end

    def next(self, skip_keepalives: bool = True) -> str | None:
        while True:
            line = self.lines.get(timeout=WAIT)
            if line is None or line or not skip_keepalives:
                return line

    def json(self) -> dict:
        line = self.next()
        assert line is not None, "the stream ended"
        return json.loads(line)

    def close(self) -> None:
        """Hang up: the server sees the connection closed."""
        self._stop = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
        self._client.close()
        self._thread.join(WAIT)


@contextmanager
def reading(world, bearer, path=STREAM, params=None) -> Iterator[Reader]:
    reader = Reader(world, bearer, path, params)
    try:
        yield reader
    finally:
        reader.close()


def _open_count(sim, app_id: str) -> int:
    return sum(1 for c in sim.store.stream_connections(app_id) if c["disconnected_at"] is None)


def _wait_closed(sim, app_id: str) -> None:
    """The slot frees as soon as the server sees the client gone (bounded wait, not a timing assertion)."""
    import time

    deadline = time.monotonic() + WAIT
    while _open_count(sim, app_id) and time.monotonic() < deadline:
        time.sleep(0.02)


# rules ----------------------------------------------------------------------------------------
def test_add_rules_reports_created_duplicate_and_invalid(world, bearer):
    r = _add(world, bearer, {"value": "cats has:media", "tag": "cat pics"}, "dogs", "cats has:media", "-dogs")
    body = r.json()
    assert r.status_code == 200, body
    assert_matches(RULES, "post", 200, body)
    assert [(d["value"], d.get("tag")) for d in body["data"]] == [("cats has:media", "cat pics"), ("dogs", None)]
    assert body["meta"]["summary"] == {"created": 2, "not_created": 2, "valid": 2, "invalid": 2}
    titles = sorted(e["title"] for e in body["errors"])
    assert titles == ["DuplicateRule", "UnprocessableEntity"]
    dup = next(e for e in body["errors"] if e["title"] == "DuplicateRule")
    assert dup["id"] == body["data"][0]["id"]
    again = _add(world, bearer, "dogs").json()
    assert again["errors"][0]["id"] == body["data"][1]["id"]
    assert again["meta"]["summary"]["created"] == 0


def test_rule_ids_are_snowflakes_and_listed_oldest_first(world, bearer):
    ids = [d["id"] for d in _add(world, bearer, "one", "two", "three").json()["data"]]
    assert all(i.isdigit() and len(i) >= 18 for i in ids)
    r = requests.get(world.url(RULES), headers=_h(bearer))
    assert_matches(RULES, "get", 200, r.json())
    assert [d["id"] for d in r.json()["data"]] == ids
    assert r.json()["meta"]["result_count"] == 3
    page = requests.get(world.url(RULES), params={"max_results": 2}, headers=_h(bearer)).json()
    assert [d["id"] for d in page["data"]] == ids[:2]
    rest = requests.get(
        world.url(RULES), params={"max_results": 2, "pagination_token": page["meta"]["next_token"]}, headers=_h(bearer)
    ).json()
    assert [d["id"] for d in rest["data"]] == ids[2:]
    only = requests.get(world.url(RULES), params={"ids": ids[1]}, headers=_h(bearer)).json()
    assert [d["value"] for d in only["data"]] == ["two"]


def test_dry_run_validates_without_saving(world, bearer):
    body = _add(world, bearer, "cats", dry_run="true").json()
    assert body["meta"]["summary"] == {"created": 0, "not_created": 1, "valid": 1, "invalid": 0}
    listed = requests.get(world.url(RULES), headers=_h(bearer)).json()
    assert listed == {"meta": {"sent": listed["meta"]["sent"], "result_count": 0}}
    assert_matches(RULES, "get", 200, listed)


def test_delete_by_ids_values_and_all(world, bearer):
    ids = [d["id"] for d in _add(world, bearer, "a1", "b2", "c3", "d4").json()["data"]]
    r = requests.post(world.url(RULES), json={"delete": {"ids": [ids[0], "123"]}}, headers=_h(bearer))
    assert r.status_code == 200
    assert r.json()["meta"]["summary"] == {"deleted": 1, "not_deleted": 1}
    assert_matches(RULES, "post", 200, r.json())
    r = requests.post(world.url(RULES), json={"delete": {"values": ["b2", "nope"]}}, headers=_h(bearer))
    assert r.json()["meta"]["summary"] == {"deleted": 1, "not_deleted": 1}
    assert [(e["parameter"], e["value"]) for e in r.json()["errors"]] == [("value", "nope")]
    assert_matches(RULES, "post", 200, r.json())
    dry = requests.post(world.url(RULES), params={"delete_all": "true", "dry_run": "true"}, headers=_h(bearer))
    assert dry.json()["meta"]["summary"] == {"deleted": 0, "not_deleted": 2}
    r = requests.post(world.url(RULES), params={"delete_all": "true"}, headers=_h(bearer))
    assert r.json()["meta"]["summary"] == {"deleted": 2, "not_deleted": 0}
    assert "data" not in requests.get(world.url(RULES), headers=_h(bearer)).json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"add": [{"value": "x"}], "delete": {"ids": ["1"]}},
        {"add": "cats"},
        {"add": [{"value": 5}]},
        {"add": [{"tag": "no value"}]},
        {"add": [{"value": "x", "colour": "red"}]},
        {"delete": {"ids": ["abc"]}},
        {"delete": {"names": ["x"]}},
        {"replace": []},
    ],
)
def test_malformed_rule_writes_get_400(world, bearer, body):
    r = requests.post(world.url(RULES), json=body, headers=_h(bearer))
    assert r.status_code == 400, r.text
    assert_matches(RULES, "post", 400, r.json())


def test_rule_cap_and_length_follow_the_tier(world, bearer, sim, monkeypatch):
    monkeypatch.setitem(stream_rules.RULE_LIMITS, "enterprise", (2, 20))
    assert _add(world, bearer, "a1", "b2").status_code == 200
    r = _add(world, bearer, "c3")
    assert r.status_code == 400 and r.json()["title"] == "RulesCapExceeded"
    assert_matches(RULES, "post", 400, r.json())
    requests.post(world.url(RULES), params={"delete_all": "true"}, headers=_h(bearer))
    r = _add(world, bearer, "x" * 21)
    assert r.status_code == 400 and r.json()["errors"][0]["title"] == "UnprocessableEntity"
    sim.settings = sim.settings.updated(access_tier="self-serve")
    counts = requests.get(world.url(RULES + "/counts"), headers=_h(bearer)).json()
    assert counts["data"]["cap_per_client_app"] == "1000"
    assert_matches(RULES + "/counts", "get", 200, counts)


def test_rules_need_the_app_bearer(world):
    r = world.session().get(world.url(RULES))
    assert r.status_code in (401, 403)


# the filtered stream ---------------------------------------------------------------------------
def test_filtered_stream_delivers_matching_posts_with_rules_and_expansions(world, bearer, sim):
    added = _add(world, bearer, {"value": "cats", "tag": "felines"}, "from:acme").json()["data"]
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
    _add(world, bearer, "cats")
    with reading(world, bearer):
        r = requests.get(world.url(STREAM), headers=_h(bearer), timeout=WAIT)
        assert r.status_code == 429
        assert r.json()["connection_issue"] == "TooManyConnections"
        assert_matches(STREAM, "get", 429, r.json())
    _wait_closed(sim, world.app.id)
    with reading(world, bearer) as again:
        assert again.status == 200
    history = requests.get(world.url("/2/connections"), params={"status": "inactive"}, headers=_h(bearer)).json()
    assert_matches("/2/connections", "get", 200, history)
    assert history["data"][0]["endpoint_name"] == "filtered_stream"


def test_keepalives_follow_the_simulator_clock(world, bearer, sim):
    sim.clock.freeze()
    _add(world, bearer, "cats")
    with reading(world, bearer) as s:
        sim.clock.advance(45)  # two keep-alives due
        assert s.next(skip_keepalives=False) == ""
        assert s.next(skip_keepalives=False) == ""
        sim.create_post(world.user.id, "cats again")
        assert json.loads(s.next())["data"]["text"] == "cats again"


def test_backfill_minutes_replays_recent_matches(world, bearer, sim):
    sim.clock.freeze()
    _add(world, bearer, "cats")
    sim.create_post(world.user.id, "old cats")
    sim.clock.advance(600)
    sim.create_post(world.user.id, "recent cats")
    sim.clock.advance(60)
    with reading(world, bearer, params={"backfill_minutes": "5"}) as s:
        assert s.json()["data"]["text"] == "recent cats"
        sim.create_post(world.user.id, "live cats")
        assert s.json()["data"]["text"] == "live cats"
    r = requests.get(world.url(STREAM), params={"backfill_minutes": "6"}, headers=_h(bearer), timeout=WAIT)
    assert r.status_code == 400


def test_fault_rule_sends_an_operational_disconnect(world, bearer, sim):
    _add(world, bearer, "cats")
    with reading(world, bearer) as s:
        sim.add_fault(path=STREAM, action="disconnect", disconnect_type="UpstreamOperationalDisconnect")
        line = s.json()
        assert line["errors"][0]["disconnect_type"] == "UpstreamOperationalDisconnect"
        assert_matches(STREAM, "get", 200, line)
        assert s.next() is None  # then the stream ends
    conns = sim.store.stream_connections(world.app.id)
    assert conns[0]["disconnect_reason"] == "UpstreamOperationalDisconnect"


def test_killing_connections_ends_the_stream_and_frees_the_slot(world, bearer, sim):
    _add(world, bearer, "cats")
    with reading(world, bearer) as s:
        listed = requests.get(world.url("/2/connections"), headers=_h(bearer)).json()
        assert listed["meta"]["result_count"] == 1
        r = requests.delete(world.url("/2/connections/all"), headers=_h(bearer))
        assert r.json()["data"]["successful_kills"] == 1
        assert_matches("/2/connections/all", "delete", 200, r.json())
        assert s.json()["errors"][0]["disconnect_type"] == "ForceDisconnect"
    assert _open_count(sim, world.app.id) == 0


def test_kill_by_uuid_and_by_endpoint(world, bearer, sim):
    _add(world, bearer, "cats")
    with reading(world, bearer) as s:
        conn_id = sim.store.stream_connections(world.app.id)[0]["id"]
        r = requests.delete(world.url("/2/connections"), json={"uuids": [conn_id, "nope"]}, headers=_h(bearer))
        assert r.json()["data"]["successful_kills"] == 1 and r.json()["data"]["failed_kills"] == 1
        assert_matches("/2/connections", "delete", 200, r.json())
        assert s.json()["errors"][0]["disconnect_type"] == "ForceDisconnect"
    r = requests.delete(world.url("/2/connections/filtered_stream"), headers=_h(bearer))
    assert r.json()["data"] == {"successful_kills": 0, "failed_kills": 0, "results": []}
    assert requests.delete(world.url("/2/connections/nonsense"), headers=_h(bearer)).status_code == 400
    assert requests.delete(world.url("/2/connections"), json={"uuids": []}, headers=_h(bearer)).status_code == 400


def test_a_reader_too_slow_is_disconnected(world, bearer, sim):
    sim.settings = sim.settings.updated(stream_buffer=1)
    _add(world, bearer, "cats")
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
    r = requests.get(world.url("/2/tweets/sample/stream"), headers=_h(bearer), timeout=WAIT)
    assert r.status_code == 403 and r.json()["reason"] == "client-not-enrolled"
    assert_matches("/2/tweets/sample/stream", "get", 403, r.json())


def test_firehose_partitions_share_the_posts(world, bearer, sim):
    assert requests.get(world.url("/2/tweets/firehose/stream"), headers=_h(bearer), timeout=WAIT).status_code == 400
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


def stream_match_like_id(user_id: str, post_id: str) -> str:
    from xmock.simulator.resources.streams import _like_id

    return _like_id(user_id, post_id)


def test_activity_stream_reads_the_apps_subscriptions(world, bearer, sim):
    other = sim.create_user(username="follower", name="Follower")
    body = {"event_type": "follow.follow", "filter": {"user_id": world.user.id}}
    made = requests.post(world.url("/2/activity/subscriptions"), json=body, headers=_h(bearer))
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
        _wait_open(sim, world.app.id)
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
        _wait_open(sim, world.app.id, "sample_stream")  # the filter stream's connection may still be closing
        sim.create_post(world.user.id, "sampled")
        assert got.get(timeout=WAIT).data.text == "sampled"
    finally:
        sample.disconnect()
        sim.create_post(world.user.id, "wake")
        thread.join(WAIT)


def _wait_open(sim, app_id: str, endpoint: str | None = None) -> None:
    """Until a connection of the app (on `endpoint`, if named) is open (a bound on a hang, never a timing check)."""
    import time

    def opened() -> bool:
        return any(c["disconnected_at"] is None and endpoint in (None, c["endpoint"])
                   for c in sim.store.stream_connections(app_id))

    deadline = time.monotonic() + WAIT
    while not opened() and time.monotonic() < deadline:
        time.sleep(0.02)


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
    _wait_open(sim, world.app.id)
    sim.create_post(world.user.id, "cats via xdk")
    item = lines.get(timeout=WAIT)
    data = item.data if hasattr(item, "data") else item["data"]
    text = data.text if hasattr(data, "text") else data["text"]
    assert text == "cats via xdk"
    thread.join(WAIT)
