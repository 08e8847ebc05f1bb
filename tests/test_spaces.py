"""Spaces: lookup, by creator, search, buyers, posts shared in a Space; states moving on the clock."""

from __future__ import annotations

import requests
from openapi_shapes import assert_matches

SCOPES = "tweet.read users.read space.read"


def _auth(sim, world, user=None) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, (user or world.user).id, SCOPES)
    return {"Authorization": f"Bearer {access.token}"}


def _get(world, headers, path, **params):
    return requests.get(world.url(path), params=params, headers=headers)


def test_a_space_moves_from_scheduled_to_live_to_ended_on_the_clock(sim, world):
    sim.clock.freeze(1_800_000_000)
    host = world.user
    guest = sim.create_user(username="guest", name="Guest")
    space = sim.create_space(host.id, "Cats at noon", scheduled_start=1_800_000_600, ended_at=1_800_004_200,
                             speaker_ids=[guest.id], topics=[{"id": "7", "name": "Cats", "description": "felines"}])
    h = _auth(sim, world)
    fields = "state,scheduled_start,started_at,ended_at,title,created_at,updated_at,participant_count"
    params = {"space.fields": fields, "expansions": "creator_id,speaker_ids,topic_ids", "topic.fields": "description"}
    r = _get(world, h, f"/2/spaces/{space['id']}", **params)
    assert r.status_code == 200
    assert_matches("/2/spaces/{id}", "get", 200, r.json())
    data = r.json()["data"]
    assert data["state"] == "scheduled" and "started_at" not in data and data["title"] == "Cats at noon"
    assert data["creator_id"] == host.id and data["speaker_ids"] == [guest.id] and data["topic_ids"] == ["7"]
    assert {u["id"] for u in r.json()["includes"]["users"]} == {host.id, guest.id}
    assert r.json()["includes"]["topics"] == [{"id": "7", "name": "Cats", "description": "felines"}]

    sim.clock.advance(600)
    data = _get(world, h, f"/2/spaces/{space['id']}", **{"space.fields": fields}).json()["data"]
    assert data["state"] == "live" and data["started_at"] == "2027-01-15T08:10:00.000Z"
    sim.clock.advance(3600)
    data = _get(world, h, f"/2/spaces/{space['id']}", **{"space.fields": fields}).json()["data"]
    assert data["state"] == "ended" and data["ended_at"] == "2027-01-15T09:10:00.000Z"
    sim.clock.set(1_800_000_000)  # the state is read from the clock: moving it back moves the Space back
    assert _get(world, h, f"/2/spaces/{space['id']}").json() == {"data": {"id": space["id"], "state": "scheduled"}}


def test_lookup_by_ids_with_partial_errors_and_bearer(sim, world, bearer):
    space = sim.create_space(world.user.id, "Open mic")
    r = _get(world, {"Authorization": f"Bearer {bearer}"}, "/2/spaces", ids=f"{space['id']},1zzzzzzzzzzzz")
    assert r.status_code == 200
    body = r.json()
    assert_matches("/2/spaces", "get", 200, body)
    assert body["data"] == [{"id": space["id"], "state": "live"}]
    assert body["errors"][0]["resource_id"] == "1zzzzzzzzzzzz"
    missing = _get(world, {"Authorization": f"Bearer {bearer}"}, "/2/spaces/1zzzzzzzzzzzz").json()
    assert missing["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/spaces/{id}", "get", 200, missing)
    bad = _get(world, {"Authorization": f"Bearer {bearer}"}, "/2/spaces/not-an-id!")
    assert bad.status_code == 400
    assert_matches("/2/spaces/{id}", "get", 400, bad.json())


def test_oauth1_is_refused_on_spaces(sim, world):
    r = world.session().get(world.url("/2/spaces/search"), params={"query": "x"})
    assert r.status_code == 403
    assert "Unsupported Authentication" in r.text


def test_by_creator_and_search_answer_live_and_scheduled_only(sim, world):
    sim.clock.freeze(1_800_000_000)
    other = sim.create_user(username="other", name="Other")
    live = sim.create_space(world.user.id, "Morning coffee chat")
    later = sim.create_space(world.user.id, "Evening coffee", scheduled_start=1_800_010_000)
    over = sim.create_space(world.user.id, "Old coffee", started_at=1_799_990_000, ended_at=1_799_999_000)
    sim.create_space(other.id, "Tea time")
    h = _auth(sim, world)
    r = _get(world, h, "/2/spaces/by/creator_ids", user_ids=f"{world.user.id},{other.id}")
    assert_matches("/2/spaces/by/creator_ids", "get", 200, r.json())
    ids = {s["id"] for s in r.json()["data"]}
    assert live["id"] in ids and later["id"] in ids and over["id"] not in ids
    assert r.json()["meta"]["result_count"] == 3

    r = _get(world, h, "/2/spaces/search", query="COFFEE", state="live")
    assert_matches("/2/spaces/search", "get", 200, r.json())
    assert [s["id"] for s in r.json()["data"]] == [live["id"]]
    r = _get(world, h, "/2/spaces/search", query="coffee")
    assert {s["id"] for s in r.json()["data"]} == {live["id"], later["id"]}
    r = _get(world, h, "/2/spaces/search", query="nothing")
    assert r.json() == {"meta": {"result_count": 0}}
    bad = _get(world, h, "/2/spaces/search", query="coffee", state="over")
    assert bad.status_code == 400
    assert_matches("/2/spaces/search", "get", 400, bad.json())


def test_buyers_are_the_creators_to_read(sim, world):
    fan = sim.create_user(username="fan", name="Fan")
    space = sim.create_space(world.user.id, "Paid talk", is_ticketed=True)
    assert sim.buy_space_ticket(space["id"], fan.id) is True
    r = _get(world, _auth(sim, world), f"/2/spaces/{space['id']}/buyers", **{"user.fields": "username"})
    assert r.status_code == 200
    assert_matches("/2/spaces/{id}/buyers", "get", 200, r.json())
    assert r.json()["data"] == [{"id": fan.id, "name": "Fan", "username": "fan"}]
    refused = _get(world, _auth(sim, world, fan), f"/2/spaces/{space['id']}/buyers")
    assert refused.status_code == 403
    assert_matches("/2/spaces/{id}/buyers", "get", 403, refused.json())


def test_posts_shared_in_a_space(sim, world):
    space = sim.create_space(world.user.id, "Launch")
    linked = sim.create_post(world.user.id, f"join us https://x.com/i/spaces/{space['id']}")
    arranged = sim.create_post(world.user.id, "our launch notes")
    sim.create_post(world.user.id, "unrelated")
    sim.share_in_space(space["id"], arranged.id)
    r = _get(world, _auth(sim, world), f"/2/spaces/{space['id']}/tweets", expansions="author_id")
    assert r.status_code == 200
    assert_matches("/2/spaces/{id}/tweets", "get", 200, r.json())
    assert {p["id"] for p in r.json()["data"]} == {linked.id, arranged.id}
    assert r.json()["includes"]["users"][0]["id"] == world.user.id


def test_control_api_arranges_spaces(sim, world, base):
    r = requests.post(base + "/_xmock/spaces", json={"creator_id": world.user.id, "title": "Q&A", "is_ticketed": True})
    assert r.status_code == 201 and r.json()["state"] == "live"
    space_id = r.json()["id"]
    fan = sim.create_user(username="fan2", name="Fan")
    assert requests.post(base + f"/_xmock/spaces/{space_id}/buyers", json={"user_id": fan.id}).json()["added"] is True
    assert requests.post(base + f"/_xmock/spaces/{space_id}/end", json={}).json()["state"] == "ended"
    bad = requests.post(base + "/_xmock/spaces", json={"creator_id": world.user.id, "title": 5})
    assert bad.status_code == 400 and "title" in bad.text
    bad = requests.post(base + "/_xmock/spaces", json={"creator_id": world.user.id, "ended_at": "yesterday"})
    assert bad.status_code == 400
    assert requests.get(base + "/_xmock/spaces/1nope").status_code == 404
