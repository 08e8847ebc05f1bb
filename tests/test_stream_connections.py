"""The connections API: killing an app's stream connections (all, by uuid, by endpoint) ends each stream
with X's ForceDisconnect and frees its slot."""

from __future__ import annotations

import requests
from oauth2_support import bearer_headers as h
from openapi_shapes import assert_matches
from stream_support import add_rules, open_count, reading


def test_killing_connections_ends_the_stream_and_frees_the_slot(world, bearer, sim):
    add_rules(world, bearer, "cats")
    with reading(world, bearer) as s:
        listed = requests.get(world.url("/2/connections"), headers=h(bearer)).json()
        assert listed["meta"]["result_count"] == 1
        r = requests.delete(world.url("/2/connections/all"), headers=h(bearer))
        assert r.json()["data"]["successful_kills"] == 1
        assert_matches("/2/connections/all", "delete", 200, r.json())
        assert s.json()["errors"][0]["disconnect_type"] == "ForceDisconnect"
    assert open_count(sim, world.app.id) == 0


def test_kill_by_uuid_and_by_endpoint(world, bearer, sim):
    add_rules(world, bearer, "cats")
    with reading(world, bearer) as s:
        conn_id = sim.store.stream_connections(world.app.id)[0]["id"]
        r = requests.delete(world.url("/2/connections"), json={"uuids": [conn_id, "nope"]}, headers=h(bearer))
        assert r.json()["data"]["successful_kills"] == 1 and r.json()["data"]["failed_kills"] == 1
        assert_matches("/2/connections", "delete", 200, r.json())
        assert s.json()["errors"][0]["disconnect_type"] == "ForceDisconnect"
    r = requests.delete(world.url("/2/connections/filtered_stream"), headers=h(bearer))
    assert r.json()["data"] == {"successful_kills": 0, "failed_kills": 0, "results": []}
    assert requests.delete(world.url("/2/connections/nonsense"), headers=h(bearer)).status_code == 400
    assert requests.delete(world.url("/2/connections"), json={"uuids": []}, headers=h(bearer)).status_code == 400
