"""Communities: lookup and search over communities made through the control API or generated."""

from __future__ import annotations

import re

import pytest
import requests
from openapi_shapes import assert_matches

from xmock.simulator.config import Settings
from xmock.simulator.control.errors import ControlError
from xmock.simulator.core import Simulator


def test_lookup_shows_the_fields_asked_and_counts_members(world, sim, bearer):
    other = sim.create_user()
    made = sim.create_community(world.user.id, "Rustaceans", "People who write Rust", members=[other.id])
    s = world.session()
    got = s.get(world.url(f"/2/communities/{made['id']}")).json()
    assert got == {"data": {"id": made["id"], "name": "Rustaceans"}}
    assert_matches("/2/communities/{id}", "get", 200, got)

    fields = "access,created_at,description,join_policy,member_count"
    got = s.get(world.url(f"/2/communities/{made['id']}"), params={"community.fields": fields}).json()
    assert_matches("/2/communities/{id}", "get", 200, got)
    data = got["data"]
    assert (data["access"], data["join_policy"], data["member_count"]) == ("Public", "Open", 2)
    assert data["description"] == "People who write Rust"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["created_at"])

    sim.join_community(made["id"], sim.create_user().id)
    by_app = requests.get(
        world.url(f"/2/communities/{made['id']}"),
        params={"community.fields": "member_count"},
        headers={"Authorization": f"Bearer {bearer}"},
    ).json()
    assert by_app["data"]["member_count"] == 3


def test_lookup_of_a_missing_or_malformed_id(world):
    s = world.session()
    gone = s.get(world.url("/2/communities/123"))
    assert gone.status_code == 200
    assert gone.json()["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/communities/{id}", "get", 200, gone.json())
    bad = s.get(world.url("/2/communities/abc"))
    assert bad.status_code == 400
    assert_matches("/2/communities/{id}", "get", 400, bad.json())
    bad = s.get(world.url("/2/communities/123"), params={"community.fields": "colour"})
    assert bad.status_code == 400


def test_search_matches_every_word_and_pages_with_next_token(world, sim):
    for i in range(12):
        sim.create_community(world.user.id, f"Chess club {i}", "Openings and endgames")
    sim.create_community(world.user.id, "Go players", "Stones")
    s = world.session()
    first = s.get(world.url("/2/communities/search"), params={"query": "chess ENDGAMES"}).json()
    assert_matches("/2/communities/search", "get", 200, first)
    assert len(first["data"]) == 10
    assert first["data"][0]["name"] == "Chess club 11"  # newest first
    assert set(first["meta"]) == {"next_token"}
    rest = s.get(
        world.url("/2/communities/search"),
        params={"query": "chess", "next_token": first["meta"]["next_token"], "max_results": 10},
    ).json()
    assert_matches("/2/communities/search", "get", 200, rest)
    assert [c["name"] for c in rest["data"]] == ["Chess club 1", "Chess club 0"]
    assert rest["meta"] == {}
    none = s.get(world.url("/2/communities/search"), params={"query": "checkers"}).json()
    assert none == {"meta": {}}
    assert_matches("/2/communities/search", "get", 200, none)


@pytest.mark.parametrize(
    "params",
    [{}, {"query": ""}, {"query": "chess", "max_results": "5"}, {"query": "chess", "next_token": "nope"}],
)
def test_search_refuses_bad_parameters(world, params):
    r = world.session().get(world.url("/2/communities/search"), params=params)
    assert r.status_code == 400
    assert_matches("/2/communities/search", "get", 400, r.json())


def test_search_takes_no_app_bearer(world, bearer):
    r = requests.get(
        world.url("/2/communities/search"), params={"query": "x"}, headers={"Authorization": f"Bearer {bearer}"}
    )
    assert r.status_code == 403


def test_generated_communities_repeat_with_the_seed():
    def names(seed: int) -> list[str]:
        sim = Simulator(Settings(seed=seed))
        for _ in range(3):
            sim.create_user()
        return [c["name"] for c in sim.generate_communities(4)]

    assert names(7) == names(7)
    assert len(set(names(7))) >= 2


def test_control_api(world, sim, http):
    r = http.post(world.url("/_xmock/communities"), json={"creator_id": world.user.id, "name": "Bakers"})
    assert r.status_code == 201
    community = r.json()
    assert (community["member_count"], community["access"]) == (1, "Public")
    other = sim.create_user()
    r = http.post(world.url(f"/_xmock/communities/{community['id']}/members"), json={"user_id": other.id})
    assert r.json() == {"member": True, "added": True}
    assert http.get(world.url(f"/_xmock/communities/{community['id']}")).json()["member_count"] == 2
    r = http.post(world.url("/_xmock/communities/generate"), json={"count": 2})
    assert r.status_code == 201 and len(r.json()["data"]) == 2
    for body in (
        {"creator_id": world.user.id},
        {"creator_id": world.user.id, "name": "x", "access": "Secret"},
        {"creator_id": world.user.id, "name": "x", "colour": "red"},
        {"creator_id": True, "name": "x"},
    ):
        assert http.post(world.url("/_xmock/communities"), json=body).status_code == 400
    assert http.post(world.url("/_xmock/communities/generate"), json={"count": 0}).status_code == 400
    assert http.get(world.url("/_xmock/communities/999")).status_code == 404
    with pytest.raises(ControlError):
        sim.create_community("999", "Nobody's")


def test_search_query_is_at_most_4096_characters(world):
    r = world.session().get(world.url("/2/communities/search"), params={"query": "a" * 4097})
    assert r.status_code == 400
    assert "longer than 4096" in r.json()["errors"][0]["message"]
