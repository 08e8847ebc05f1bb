"""Direct messages: one-to-one and group conversations, DM event lookups with fields and expansions, paging,
media attachments, deletion, DM blocks, recipients' DM settings, scopes and the DM app permission, limits, prices
and the event log."""

from __future__ import annotations

import json
import struct
from decimal import Decimal
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauth2_support import app_bearer
from openapi_shapes import assert_matches
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator, events
from xmock.simulator.inprocess import InProcessBridge

SCOPES = "dm.read dm.write tweet.read users.read media.write offline.access"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 64, 48) + b"\x08\x02\x00\x00\x00" + b"p" * 64


def _h(sim, world, user, scopes=SCOPES) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, user.id, scopes)
    return {"Authorization": f"Bearer {access.token}"}


@pytest.fixture
def pair(sim, world):
    """Two users who take DMs from anyone, and OAuth 2.0 headers for each."""
    bob = sim.create_user(username="bob", name="Bob")
    return world.user, bob, _h(sim, world, world.user), _h(sim, world, bob)


def _send(world, h, to: str, **body) -> requests.Response:
    return requests.post(world.url(f"/2/dm_conversations/with/{to}/messages"), json=body, headers=h)


def test_one_to_one_send_and_read_both_ways(world, sim, pair):
    me, bob, h_me, h_bob = pair
    r = _send(world, h_me, bob.id, text="hello & welcome")
    assert r.status_code == 201, r.text
    assert_matches("/2/dm_conversations/with/{participant_id}/messages", "post", 201, r.json())
    low, high = sorted((me.id, bob.id), key=int)
    conversation = r.json()["data"]["dm_conversation_id"]
    assert conversation == f"{low}-{high}"
    assert _send(world, h_bob, me.id, text="hi back").json()["data"]["dm_conversation_id"] == conversation

    url = world.url("/2/dm_events")
    page = requests.get(url, headers=h_me).json()
    assert_matches("/2/dm_events", "get", 200, page)
    assert [e["text"] for e in page["data"]] == ["hi back", "hello &amp; welcome"]
    assert set(page["data"][0]) == {"id", "event_type", "text"} and page["meta"]["result_count"] == 2

    params = {
        "dm_event.fields": "created_at,dm_conversation_id,sender_id",
        "expansions": "sender_id",
        "user.fields": "username",
    }
    with_fields = requests.get(world.url(f"/2/dm_conversations/{conversation}/dm_events"), params=params, headers=h_bob)
    body = with_fields.json()
    assert_matches("/2/dm_conversations/{id}/dm_events", "get", 200, body)
    assert [e["sender_id"] for e in body["data"]] == [bob.id, me.id]
    assert {u["username"] for u in body["includes"]["users"]} == {"bob", me.username}
    assert body["data"][0]["dm_conversation_id"] == conversation and body["data"][0]["created_at"].endswith("Z")

    by_participant = requests.get(world.url(f"/2/dm_conversations/with/{bob.id}/dm_events"), headers=h_me).json()
    assert_matches("/2/dm_conversations/with/{participant_id}/dm_events", "get", 200, by_participant)
    assert len(by_participant["data"]) == 2

    one = requests.get(world.url(f"/2/dm_events/{page['data'][1]['id']}"), headers=h_bob).json()
    assert_matches("/2/dm_events/{event_id}", "get", 200, one)
    assert one["data"]["text"] == "hello &amp; welcome"


def test_group_conversation_events_and_filters(world, sim, pair):
    me, bob, h_me, h_bob = pair
    carol = sim.create_user(username="carol")
    body = {"conversation_type": "Group", "participant_ids": [bob.id, carol.id], "message": {"text": "team"}}
    r = requests.post(world.url("/2/dm_conversations"), json=body, headers=h_me)
    assert r.status_code == 201, r.text
    assert_matches("/2/dm_conversations", "post", 201, r.json())
    conversation = r.json()["data"]["dm_conversation_id"]
    assert "-" not in conversation and 15 <= len(conversation) <= 19

    sent = requests.post(
        world.url(f"/2/dm_conversations/{conversation}/messages"), json={"text": "from bob"}, headers=h_bob
    )
    assert sent.status_code == 201
    assert_matches("/2/dm_conversations/{dm_conversation_id}/messages", "post", 201, sent.json())

    url = world.url(f"/2/dm_conversations/{conversation}/dm_events")
    params = {"expansions": "participant_ids", "dm_event.fields": "participant_ids,sender_id"}
    all_of_it = requests.get(url, params=params, headers=h_me).json()
    assert_matches("/2/dm_conversations/{id}/dm_events", "get", 200, all_of_it)
    assert [e["event_type"] for e in all_of_it["data"]] == ["MessageCreate", "MessageCreate", "ParticipantsJoin"]
    join = all_of_it["data"][2]
    assert set(join["participant_ids"]) == {me.id, bob.id, carol.id} and "text" not in join
    assert "participant_ids" not in all_of_it["data"][0]  # only joins and leaves carry them
    assert {u["id"] for u in all_of_it["includes"]["users"]} == {me.id, bob.id, carol.id}

    joins = requests.get(url, params={"event_types": "ParticipantsJoin"}, headers=h_me).json()
    assert [e["event_type"] for e in joins["data"]] == ["ParticipantsJoin"]

    sim.dm_leave(carol.id, conversation)
    leaves = requests.get(url, params={"event_types": "ParticipantsLeave"}, headers=h_me).json()
    assert leaves["data"][0]["event_type"] == "ParticipantsLeave"
    h_carol = _h(sim, world, carol)
    r = requests.post(world.url(f"/2/dm_conversations/{conversation}/messages"), json={"text": "x"}, headers=h_carol)
    assert r.status_code == 403
    assert_matches("/2/dm_conversations/{dm_conversation_id}/messages", "post", 403, r.json())
    outsider = requests.get(url, headers=h_carol)
    assert outsider.status_code == 403


def test_paging_newest_first(world, sim, pair):
    me, bob, h_me, _ = pair
    for i in range(5):
        sim.send_dm(bob.id, me.id, f"m{i}")
        sim.clock.advance(1)
    url = world.url("/2/dm_events")
    first = requests.get(url, params={"max_results": 2}, headers=h_me).json()
    assert [e["text"] for e in first["data"]] == ["m4", "m3"] and "previous_token" not in first["meta"]
    assert len(first["meta"]["next_token"]) >= 16
    second = requests.get(url, params={"max_results": 2, "pagination_token": first["meta"]["next_token"]}, headers=h_me)
    assert [e["text"] for e in second.json()["data"]] == ["m2", "m1"]
    back = requests.get(
        url, params={"max_results": 2, "pagination_token": second.json()["meta"]["previous_token"]}, headers=h_me
    )
    assert [e["text"] for e in back.json()["data"]] == ["m4", "m3"]
    bad = requests.get(url, params={"max_results": 101}, headers=h_me)
    assert bad.status_code == 400
    assert requests.get(url, params={"pagination_token": "not-a-real-token!"}, headers=h_me).status_code == 400
    # DM events are kept 30 days
    sim.clock.advance(31 * 24 * 3600)
    assert requests.get(url, headers=_h(sim, world, me)).json() == {"meta": {"result_count": 0}}


def test_media_attachment_and_download(world, sim, pair):
    me, bob, h_me, h_bob = pair
    up = requests.post(
        world.url("/2/media/upload"),
        data={"media_category": "dm_image"},
        files={"media": ("p.png", PNG, "image/png")},
        headers=h_me,
    )
    assert up.status_code == 200, up.text
    media_id, media_key = up.json()["data"]["id"], up.json()["data"]["media_key"]
    post_for_tweets = requests.post(
        world.url("/2/media/upload"),
        data={"media_category": "tweet_image"},
        files={"media": ("p.png", PNG, "image/png")},
        headers=h_me,
    ).json()["data"]["id"]
    refused = _send(world, h_me, bob.id, attachments=[{"media_id": post_for_tweets}])
    assert refused.status_code == 400
    assert_matches("/2/dm_conversations/with/{participant_id}/messages", "post", 400, refused.json())
    assert _send(world, h_bob, me.id, attachments=[{"media_id": media_id}]).status_code == 400  # not bob's upload

    r = _send(world, h_me, bob.id, attachments=[{"media_id": media_id}])
    assert r.status_code == 201, r.text
    event_id = r.json()["data"]["dm_event_id"]
    params = {"expansions": "attachments.media_keys", "media.fields": "width,height,url"}
    got = requests.get(world.url(f"/2/dm_events/{event_id}"), params=params, headers=h_bob).json()
    assert_matches("/2/dm_events/{event_id}", "get", 200, got)
    assert got["data"]["attachments"] == {"media_keys": [media_key]} and got["data"]["text"] == ""
    assert got["includes"]["media"][0]["width"] == 64

    download = requests.get(world.url(f"/2/dm_conversations/media/{event_id}/{media_id}/p.png"), headers=h_bob)
    assert download.status_code == 200 and download.headers["content-type"].startswith("image/png")
    assert media_key.encode() in download.content
    stranger = _h(sim, world, sim.create_user(username="stranger"))
    assert requests.get(world.url(f"/2/dm_conversations/media/{event_id}/{media_id}/p.png"), headers=stranger).json()[
        "errors"
    ][0]["resource_type"] == "dm_event"


def test_referenced_post_from_a_link(world, sim, pair):
    _, bob, h_me, h_bob = pair
    post = sim.create_post(bob.id, "look at this")
    r = _send(world, h_me, bob.id, text=f"seen https://x.com/bob/status/{post.id} ?")
    event_id = r.json()["data"]["dm_event_id"]
    params = {"expansions": "referenced_tweets.id", "tweet.fields": "author_id", "dm_event.fields": "entities"}
    got = requests.get(world.url(f"/2/dm_events/{event_id}"), params=params, headers=h_bob).json()
    assert_matches("/2/dm_events/{event_id}", "get", 200, got)
    assert got["data"]["referenced_tweets"] == [{"id": post.id}]
    assert got["includes"]["tweets"][0]["author_id"] == bob.id
    assert got["data"]["entities"]["urls"][0]["expanded_url"] == f"https://x.com/bob/status/{post.id}"


def test_delete_sender_only(world, sim, pair):
    _, bob, h_me, h_bob = pair
    event_id = _send(world, h_me, bob.id, text="oops").json()["data"]["dm_event_id"]
    r = requests.delete(world.url(f"/2/dm_events/{event_id}"), headers=h_bob)
    assert r.status_code == 403
    assert_matches("/2/dm_events/{event_id}", "delete", 403, r.json())
    r = requests.delete(world.url(f"/2/dm_events/{event_id}"), headers=h_me)
    assert r.json() == {"data": {"deleted": True}}
    assert_matches("/2/dm_events/{event_id}", "delete", 200, r.json())
    gone = requests.get(world.url(f"/2/dm_events/{event_id}"), headers=h_me)
    assert gone.json()["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/dm_events/{event_id}", "get", 200, gone.json())


def test_dm_settings_blocks_and_dm_blocks(world, sim, pair):
    me, bob, h_me, h_bob = pair
    sim.update_user(bob.id, dm_setting="following")
    r = _send(world, h_me, bob.id, text="hi")
    assert r.status_code == 403 and r.json()["detail"] == "You cannot send messages to users who are not following you."
    assert_matches("/2/dm_conversations/with/{participant_id}/messages", "post", 403, r.json())
    sim.follow(bob.id, me.id)
    assert _send(world, h_me, bob.id, text="hi").status_code == 201

    r = requests.post(world.url(f"/2/users/{me.id}/dm/block"), headers=h_bob)
    assert r.json() == {"data": {"blocked": True}}
    assert_matches("/2/users/{id}/dm/block", "post", 200, r.json())
    assert _send(world, h_me, bob.id, text="again").json()["detail"] == "You cannot send messages to this user."
    shown = requests.get(world.url(f"/2/users/{bob.id}"), params={"user.fields": "receives_your_dm"}, headers=h_me)
    assert shown.json()["data"]["receives_your_dm"] is False  # the same rule as sending
    r = requests.post(world.url(f"/2/users/{me.id}/dm/unblock"), headers=h_bob)
    assert r.json() == {"data": {"blocked": False}}
    assert_matches("/2/users/{id}/dm/unblock", "post", 200, r.json())
    assert _send(world, h_me, bob.id, text="again").status_code == 201

    sim.block(bob.id, me.id)
    assert _send(world, h_me, bob.id, text="blocked").status_code == 403
    assert _send(world, h_bob, me.id, text="blocker").status_code == 403  # either way
    assert _send(world, h_me, me.id, text="self").status_code == 403


def test_scopes_and_oauth1_dm_permission(world, sim, pair):
    me, bob, _, _ = pair
    no_dm = _h(sim, world, me, "tweet.read users.read")
    r = requests.get(world.url("/2/dm_events"), headers=no_dm)
    assert r.status_code == 403
    assert_matches("/2/dm_events", "get", 403, r.json())
    # the fixture's app is read-write: its OAuth 1.0a tokens may not touch DMs
    r = world.session().get(world.url("/2/dm_events"))
    assert r.status_code == 403 and r.json()["type"] == "https://api.x.com/2/problems/oauth1-permissions"
    assert r.headers["x-access-level"] == "read-write"
    assert_matches("/2/dm_events", "get", 403, r.json())
    app = sim.create_app(world.account.id, "DM app", permission="read-write-directmessages")
    token = sim.mint_oauth1_token(app.id, me.id)
    s = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )
    r = s.post(world.url(f"/2/dm_conversations/with/{bob.id}/messages"), json={"text": "via oauth1"})
    assert r.status_code == 201, r.text
    assert s.get(world.url("/2/dm_events")).json()["data"][0]["text"] == "via oauth1"
    bearer = app_bearer(world).json()["access_token"]  # app-only: DMs are user context only
    r = requests.get(world.url("/2/dm_events"), headers={"Authorization": f"Bearer {bearer}"})
    assert r.status_code == 403
    assert_matches("/2/dm_events", "get", 403, r.json())


@pytest.mark.parametrize(
    ("path", "body", "needle"),
    [
        ("/2/dm_conversations/with/{bob}/messages", {}, "$: at least one of [text, attachments] is required"),
        ("/2/dm_conversations/with/{bob}/messages", {"text": ""}, "at least 1"),
        ("/2/dm_conversations/with/{bob}/messages", {"text": 5}, "expected"),
        ("/2/dm_conversations/with/{bob}/messages", {"text": "x" * 10_001}, "10000"),
        ("/2/dm_conversations/with/{bob}/messages", {"text": "x", "extra": 1}, "additional properties"),
        ("/2/dm_conversations/with/{bob}/messages", {"attachments": [{"media_id": "1"}, {"media_id": "2"}]}, "one"),
        ("/2/dm_conversations/with/{bob}/messages", {"attachments": [{"media_id": "999"}]}, "media IDs"),
        ("/2/dm_conversations/with/abc/messages", {"text": "x"}, "does not match"),
        ("/2/dm_conversations/12-ab/messages", {"text": "x"}, "does not match"),
        ("/2/dm_conversations", {"conversation_type": "group", "participant_ids": ["1", "2"], "message": {}},
         "enumeration"),
        ("/2/dm_conversations", {"conversation_type": "Group", "participant_ids": ["{bob}"], "message": {"text": "x"}},
         "$.participant_ids: there must be a minimum of 2 items in the array"),
        ("/2/dm_conversations", {"conversation_type": "Group", "participant_ids": "x", "message": {"text": "x"}}, "$."),
        ("/2/dm_conversations", {"conversation_type": "Group", "participant_ids": ["{bob}", "{bob}"],
                                 "message": {"text": "x"}}, "distinct"),
    ],
)
def test_malformed_sends_get_400(world, sim, pair, path, body, needle):
    _, bob, h_me, _ = pair
    fill = {"{bob}": bob.id}
    for key, value in fill.items():
        path = path.replace(key, value)
        if "participant_ids" in body and isinstance(body["participant_ids"], list):
            body = {**body, "participant_ids": [p.replace(key, value) for p in body["participant_ids"]]}
    r = requests.post(world.url(path), json=body, headers=h_me)
    assert r.status_code == 400, r.text
    assert needle in r.text
    assert r.json()["title"] == "Invalid Request"


def test_unknown_recipient_and_conversation(world, sim, pair):
    _, _, h_me, _ = pair
    r = requests.post(world.url("/2/dm_conversations/with/12345/messages"), json={"text": "x"}, headers=h_me)
    assert r.json()["errors"][0]["resource_type"] == "user"
    r = requests.get(world.url("/2/dm_conversations/1234567890123456/dm_events"), headers=h_me)
    assert r.status_code == 403


def test_prices_and_rate_limits(world, sim, pair):
    _, bob, h_me, _ = pair
    before = sim.balance(world.app.id)
    r = _send(world, h_me, bob.id, text="priced")
    assert r.headers["x-rate-limit-limit"] == "15" and r.headers["x-user-limit-24hour-limit"] == "1440"
    assert r.headers["x-app-limit-24hour-limit"] == "1440"
    after_send = sim.balance(world.app.id)
    assert before - after_send == Decimal("0.015")
    requests.get(world.url("/2/dm_events"), headers=h_me)
    assert after_send - sim.balance(world.app.id) == Decimal("0.010")
    for _ in range(14):
        assert _send(world, h_me, bob.id, text="more").status_code == 201
    r = _send(world, h_me, bob.id, text="one too many")
    assert r.status_code == 429


def test_event_log_carries_dms_and_indicators(sim, world, pair):
    me, bob, _, _ = pair
    cursor = sim.store.event_cursor()
    event = sim.send_dm(me.id, bob.id, "logged")
    sim.dm_typing(bob.id, event.dm_conversation_id)
    sim.dm_mark_read(bob.id, event.dm_conversation_id, event.id)
    sim.delete_dm(event.id)
    logged = [e for _, e in sim.store.events_after(cursor)]
    assert [e["type"] for e in logged] == [events.DM_CREATE, events.DM_TYPING, events.DM_READ, events.DM_DELETE]
    created = logged[0]
    assert created["dm_event_id"] == event.id and created["sender_id"] == me.id
    assert sorted(created["participant_ids"]) == sorted([me.id, bob.id])
    assert created["dm_conversation_id"] == event.dm_conversation_id and created["event_type"] == "MessageCreate"
    assert logged[2]["last_read_event_id"] == event.id


def test_control_api(base, sim, world, pair):
    me, bob, _, _ = pair
    carol = sim.create_user(username="carol")
    r = requests.post(f"{base}/_xmock/dms", json={"sender_id": bob.id, "recipient_id": me.id, "text": "hey"})
    assert r.status_code == 200 and r.json()["text"] == "hey"
    conversation = r.json()["dm_conversation_id"]
    group = requests.post(
        f"{base}/_xmock/dm_conversations", json={"creator_id": me.id, "participant_ids": [bob.id, carol.id]}
    )
    assert group.status_code == 400  # a message needs text or media
    group = requests.post(
        f"{base}/_xmock/dm_conversations",
        json={"creator_id": me.id, "participant_ids": [bob.id, carol.id], "text": "all"},
    ).json()
    gid = group["dm_conversation_id"]
    assert requests.post(f"{base}/_xmock/dm_conversations/{gid}/leave", json={"user_id": carol.id}).status_code == 200
    assert requests.post(
        f"{base}/_xmock/dm_conversations/{gid}/join", json={"actor_id": me.id, "user_ids": [carol.id]}
    ).json()["event_type"] == "ParticipantsJoin"
    got = requests.get(f"{base}/_xmock/dm_conversations/{gid}").json()
    assert set(got["participant_ids"]) == {me.id, bob.id, carol.id} and len(got["events"]) == 4
    assert requests.post(f"{base}/_xmock/dm_conversations/{gid}/typing", json={"user_id": bob.id}).json() == {
        "typing": True
    }
    assert requests.post(
        f"{base}/_xmock/dm_conversations/{gid}/read", json={"user_id": bob.id, "dm_event_id": r.json()["id"]}
    ).status_code == 404  # that event is in the one-to-one conversation
    assert requests.post(f"{base}/_xmock/users/{bob.id}/dm_blocks", json={"target_user_id": me.id}).json() == {
        "blocked": True
    }
    refused = requests.post(f"{base}/_xmock/dms", json={"sender_id": me.id, "recipient_id": bob.id, "text": "x"})
    assert refused.status_code == 409
    assert requests.delete(f"{base}/_xmock/users/{bob.id}/dm_blocks/{me.id}").json() == {"blocked": False}
    mine = requests.get(f"{base}/_xmock/users/{me.id}/dm_events").json()["events"]
    assert {e["dm_conversation_id"] for e in mine} == {conversation, gid}
    assert requests.delete(f"{base}/_xmock/dm_events/{r.json()['id']}").json() == {"deleted": True}
    assert requests.delete(f"{base}/_xmock/dm_events/{r.json()['id']}").status_code == 404
    for bad in (
        {"sender_id": me.id, "text": "x"},
        {"sender_id": me.id, "recipient_id": bob.id, "dm_conversation_id": conversation, "text": "x"},
        {"sender_id": me.id, "recipient_id": bob.id, "text": 7},
        {"sender_id": me.id, "recipient_id": bob.id, "media_ids": "1"},
        {"sender_id": me.id, "recipient_id": bob.id, "text": "x", "nope": 1},
        {"sender_id": me.id, "dm_conversation_id": "not-an-id", "text": "x"},
    ):
        assert requests.post(f"{base}/_xmock/dms", json=bad).status_code == 400, bad


# fuzzing: hostile bodies, paths and queries on the DM endpoints get answers below 500 (in-process, bounded)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
BODY_KEYS = ["text", "attachments", "media_id", "conversation_type", "participant_ids", "message"]
HOSTILE = st.one_of(
    st.sampled_from(["", "1", "1-2", "12345678901234567890", "1-", "-", "²", "a-b", "%00", "1" * 400, "0-0"]),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def dm_bridge():
    sim = Simulator()
    account = sim.create_account("Fuzz")
    app = sim.create_app(account.id, "Fuzzer", use_case="fuzz", permission="read-write-directmessages")
    me, other = sim.create_user(username="fuzz"), sim.create_user(username="other")
    sim.send_dm(other.id, me.id, "seed")
    token, _ = sim.mint_oauth2_token(app.id, me.id, SCOPES)
    bridge = InProcessBridge(sim)
    bridge.auth, bridge.me, bridge.other = f"Bearer {token.token}", me.id, other.id  # type: ignore[attr-defined]
    yield bridge
    bridge.close()


def _status(bridge, method: str, target: str, body: bytes = b"") -> int:
    headers = [("authorization", bridge.auth), ("content-type", "application/json")]
    status, _, _ = bridge.request(method, "https://api.x.com" + target, headers, body)
    assert status < 500, (method, target[:200], body[:200], status)
    return status


@FUZZ
@given(
    path=st.sampled_from(["/2/dm_conversations/with/{other}/messages", "/2/dm_conversations/{pair}/messages",
                          "/2/dm_conversations"]),
    body=st.one_of(st.dictionaries(st.sampled_from(BODY_KEYS), JSON_VALUE, max_size=4), JSON_VALUE),
)
def test_fuzz_send_bodies(dm_bridge, path, body):
    pair = "-".join(sorted((dm_bridge.me, dm_bridge.other), key=int))
    target = path.replace("{other}", dm_bridge.other).replace("{pair}", pair)
    _status(dm_bridge, "POST", target, json.dumps(body).encode())


@FUZZ
@given(
    route=st.sampled_from([
        ("GET", "/2/dm_conversations/{}/dm_events"), ("GET", "/2/dm_conversations/with/{}/dm_events"),
        ("GET", "/2/dm_events/{}"), ("DELETE", "/2/dm_events/{}"), ("POST", "/2/users/{}/dm/block"),
        ("GET", "/2/dm_events?pagination_token={}"), ("GET", "/2/dm_events?event_types={}"),
        ("GET", "/2/dm_events?dm_event.fields={}&expansions=sender_id"), ("GET", "/2/dm_events?max_results={}"),
        ("GET", "/2/dm_conversations/media/{}/1/x"), ("POST", "/2/dm_conversations/{}/messages"),
    ]),
    value=HOSTILE,
)
def test_fuzz_paths_and_queries(dm_bridge, route, value):
    method, pattern = route
    body = b'{"text": "x"}' if method == "POST" else b""
    _status(dm_bridge, method, pattern.format(quote(value, safe="")), body)
