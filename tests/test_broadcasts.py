"""Broadcasts: scheduled broadcasts CRUD and go-live, lookup and list, chat send/read/delete/mute/unmute."""

from __future__ import annotations

import requests
from openapi_shapes import assert_matches

SCOPES = "broadcast.read broadcast.write"
T0 = 1_800_000_000


def _auth(sim, world, user=None) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, (user or world.user).id, SCOPES)
    return {"Authorization": f"Bearer {access.token}"}


def _schedule(world, h, **extra):
    body = {"source_id": "key-1", "scheduled_start_ms": str((T0 + 600) * 1000),
            "scheduled_end_ms": str((T0 + 4200) * 1000), "title": "Show", **extra}
    return requests.post(world.url("/2/broadcasts/scheduled"), json=body, headers=h)


def test_scheduled_broadcast_lifecycle_on_the_clock(sim, world):
    sim.clock.freeze(T0)
    h = _auth(sim, world)
    r = _schedule(world, h)
    assert r.status_code == 201
    assert_matches("/2/broadcasts/scheduled", "post", 201, r.json())
    data = r.json()["data"]
    bid = data["broadcast_id"]
    assert data["state"] == "Scheduled" and data["scheduled_start_ms"] == str((T0 + 600) * 1000)

    got = requests.get(world.url(f"/2/broadcasts/scheduled/{bid}"), headers=h)
    assert_matches("/2/broadcasts/scheduled/{id}", "get", 200, got.json())
    listed = requests.get(world.url("/2/broadcasts/scheduled"), headers=h).json()
    assert_matches("/2/broadcasts/scheduled", "get", 200, listed)
    assert [b["broadcast_id"] for b in listed["data"]] == [bid]

    body = {"scheduled_broadcast_id": data["scheduled_broadcast_id"], "scheduled_start_ms": str((T0 + 1200) * 1000),
            "scheduled_end_ms": str((T0 + 4800) * 1000), "title": "Later show"}
    put = requests.put(world.url(f"/2/broadcasts/scheduled/{bid}"), json=body, headers=h)
    assert put.status_code == 200
    assert_matches("/2/broadcasts/scheduled/{id}", "put", 200, put.json())
    assert put.json()["data"]["title"] == "Later show"

    fields = {"broadcast.fields": "state,start_ms,end_ms,share_url,twitter_user_id"}
    b = requests.get(world.url(f"/2/broadcasts/{bid}"), params=fields, headers=h).json()
    assert b["data"]["state"] == "NotStarted" and "start_ms" not in b["data"]
    sim.clock.advance(1200)
    b = requests.get(world.url(f"/2/broadcasts/{bid}"), params=fields, headers=h).json()
    assert_matches("/2/broadcasts/{id}", "get", 200, b)
    assert b["data"]["state"] == "Running" and b["data"]["start_ms"] == str((T0 + 1200) * 1000)
    assert b["data"]["twitter_user_id"] == world.user.id
    sim.clock.advance(3600)
    b = requests.get(world.url(f"/2/broadcasts/{bid}"), params=fields, headers=h).json()
    assert b["data"]["state"] == "Ended" and b["data"]["end_ms"] == str((T0 + 4800) * 1000)

    mine = requests.get(world.url("/2/broadcasts"), headers=h).json()
    assert_matches("/2/broadcasts", "get", 200, mine)
    assert [x["id"] for x in mine["data"]] == [bid] and mine["meta"]["result_count"] == 1


def test_go_live_only_for_manual_publish_and_the_owner(sim, world):
    sim.clock.freeze(T0)
    h = _auth(sim, world)
    auto = _schedule(world, h).json()["data"]["broadcast_id"]
    refused = requests.post(world.url(f"/2/broadcasts/scheduled/{auto}/live"), headers=h)
    assert refused.status_code == 400
    assert_matches("/2/broadcasts/scheduled/{id}/live", "post", 400, refused.json())

    manual = _schedule(world, h, manual_publish=True).json()["data"]["broadcast_id"]
    sim.clock.advance(900)  # its start passed: a manual schedule waits
    state = requests.get(world.url(f"/2/broadcasts/{manual}"), headers=h).json()["data"]["state"]
    assert state == "NotStarted"
    other = sim.create_user(username="other", name="Other")
    forbidden = requests.post(world.url(f"/2/broadcasts/scheduled/{manual}/live"), headers=_auth(sim, world, other))
    assert forbidden.status_code == 403
    assert_matches("/2/broadcasts/scheduled/{id}/live", "post", 403, forbidden.json())
    live = requests.post(world.url(f"/2/broadcasts/scheduled/{manual}/live"), headers=h)
    assert live.status_code == 200 and live.json()["data"]["state"] == "Running"
    assert_matches("/2/broadcasts/scheduled/{id}/live", "post", 200, live.json())

    running = requests.delete(world.url(f"/2/broadcasts/scheduled/{auto}"), headers=h)
    assert running.status_code == 403  # a live broadcast is not deleted
    sim.clock.advance(5400)
    gone = requests.delete(world.url(f"/2/broadcasts/scheduled/{auto}"), headers=h)
    assert gone.json() == {"data": {"deleted": True}}
    assert_matches("/2/broadcasts/scheduled/{id}", "delete", 200, gone.json())
    missing = requests.get(world.url(f"/2/broadcasts/{auto}"), headers=h).json()
    assert missing["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"


def test_bodies_are_checked(sim, world):
    sim.clock.freeze(T0)
    h = _auth(sim, world)
    r = requests.post(world.url("/2/broadcasts/scheduled"), json={"source_id": "k"}, headers=h)
    assert r.status_code == 400
    assert_matches("/2/broadcasts/scheduled", "post", 400, r.json())
    r = _schedule(world, h, scheduled_end_ms=str(T0 * 1000))
    assert r.status_code == 400 and "scheduled_end_ms" in r.text
    r = _schedule(world, h, recurrence={"frequency": "Daily", "repeats": "3"})
    assert r.status_code == 201 and r.json()["data"]["recurring_schedule_id"]
    listed = requests.get(world.url("/2/broadcasts/scheduled"), headers=h).json()["data"]
    starts = [int(b["scheduled_start_ms"]) for b in listed]
    assert starts == [(T0 + 600) * 1000 + i * 86_400_000 for i in range(3)]


def test_chat_send_read_delete_mute_unmute(sim, world):
    sim.clock.freeze(T0)
    owner = _auth(sim, world)
    viewer_user = sim.create_user(username="viewer", name="Viewer")
    viewer = _auth(sim, world, viewer_user)
    b = sim.create_broadcast(world.user.id, "Live now")
    url = world.url(f"/2/broadcasts/{b['id']}/chat")

    sent = requests.post(url, json={"text": "hello"}, headers=viewer)
    assert sent.status_code == 200
    assert_matches("/2/broadcasts/{id}/chat", "post", 200, sent.json())
    first = sent.json()["data"]["timestamp"]
    sim.clock.advance(1)
    reply = requests.post(url, json={"text": "hi back", "reply_to": first}, headers=owner).json()["data"]["timestamp"]
    params = {"broadcast_chat_message.fields": "text,reply_to,author_username", "expansions": "author_id",
              "max_results": 1}
    page = requests.get(url, params=params, headers=viewer).json()
    assert_matches("/2/broadcasts/{id}/chat", "get", 200, page)
    assert page["data"] == [{"id": reply, "text": "hi back", "reply_to": first, "author_username": "acme",
                             "author_id": world.user.id}]
    assert page["meta"]["next_token"] == reply
    rest = requests.get(url, params={**params, "pagination_token": reply}, headers=viewer).json()
    assert [m["id"] for m in rest["data"]] == [first] and "next_token" not in rest["meta"]

    muted = requests.post(url + "/mutes", json={"user_id": viewer_user.id, "message_id": first}, headers=owner)
    assert muted.json() == {"data": {"muted": True}}
    assert_matches("/2/broadcasts/{id}/chat/mutes", "post", 200, muted.json())
    refused = requests.post(url, json={"text": "let me talk"}, headers=viewer)
    assert refused.status_code == 403
    assert_matches("/2/broadcasts/{id}/chat", "post", 403, refused.json())
    assert [m["id"] for m in requests.get(url, headers=viewer).json()["data"]] == [reply]  # muting removed it
    not_owner = requests.post(url + "/mutes", json={"user_id": world.user.id}, headers=viewer)
    assert not_owner.status_code == 403
    unmuted = requests.delete(url + f"/mutes/{viewer_user.id}", headers=owner)
    assert unmuted.json() == {"data": {"muted": False}}
    assert_matches("/2/broadcasts/{id}/chat/mutes/{user_id}", "delete", 200, unmuted.json())
    again = requests.post(url, json={"text": "thanks"}, headers=viewer).json()["data"]["timestamp"]

    assert requests.delete(url + f"/{reply}", headers=viewer).status_code == 403
    deleted = requests.delete(url + f"/{again}", headers=viewer)
    assert deleted.json() == {"data": {"deleted": True}}
    assert_matches("/2/broadcasts/{id}/chat/{message_id}", "delete", 200, deleted.json())
    assert requests.delete(url + f"/{again}", headers=owner).json()["errors"][0]["resource_id"] == again

    sim.clock.advance(3600)  # the broadcast ended: its chat is closed
    closed = requests.post(url, json={"text": "late"}, headers=viewer)
    assert closed.status_code == 403
    too_long = requests.post(url, json={"text": "x" * 141}, headers=viewer)
    assert too_long.status_code == 400


def test_control_api_arranges_a_broadcast(sim, world, base):
    r = requests.post(base + "/_xmock/broadcasts", json={"owner_id": world.user.id, "title": "Now"})
    assert r.status_code == 201 and r.json()["state"] == "Running"
    bad = requests.post(base + "/_xmock/broadcasts", json={"owner_id": world.user.id, "manual_publish": "yes"})
    assert bad.status_code == 400
    assert requests.get(base + "/_xmock/broadcasts/1nope").status_code == 404
