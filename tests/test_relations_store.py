"""Edges between ids (follows, blocks, lists, ...): the same answers from the in-memory and the Redis store."""

from __future__ import annotations

import pytest

from xmock.simulator.store import MemoryStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_server").store()


def test_an_edge_is_made_once_and_keeps_its_time(store):
    assert store.set_edge("follows", "1", "2", True, 100.0)
    assert not store.set_edge("follows", "1", "2", True, 200.0)
    assert store.edge_at("follows", "1", "2") == 100.0
    assert store.edge_at("follows", "2", "1") is None
    assert store.edges_from("follows", "1") == [("2", 100.0)]
    assert store.edges_to("follows", "2") == [("1", 100.0)]
    assert store.edges_from("mutes", "1") == []  # kinds are apart


def test_edges_are_listed_newest_first_with_ties_by_id(store):
    for dst, at in (("10", 1.0), ("30", 3.0), ("21", 2.0), ("20", 2.0)):
        store.set_edge("follows", "1", dst, True, at)
        store.set_edge("follows", dst, "9", True, at)
    assert [d for d, _ in store.edges_from("follows", "1")] == ["30", "21", "20", "10"]
    assert [s for s, _ in store.edges_to("follows", "9")] == ["30", "21", "20", "10"]
    assert store.count_edges("follows", "1") == 4
    assert store.count_edges("follows", "9", incoming=True) == 4
    assert store.count_edges("follows", "9") == 0


def test_removing_an_edge_removes_its_mirror(store):
    store.set_edge("blocks", "1", "2", True, 5.0)
    assert store.set_edge("blocks", "1", "2", False, 6.0)
    assert not store.set_edge("blocks", "1", "2", False, 7.0)
    assert store.edges_to("blocks", "2") == []
    assert store.count_edges("blocks", "1") == 0


def test_dropping_a_node_removes_every_edge_from_and_to_it(store):
    store.set_edge("list_members", "L1", "u1", True, 1.0)
    store.set_edge("list_members", "L1", "u2", True, 2.0)
    store.set_edge("list_members", "L2", "u1", True, 3.0)
    store.set_edge("list_members", "u3", "L1", True, 4.0)  # an edge into the node too
    store.drop_edges("list_members", "L1")
    assert store.edges_from("list_members", "L1") == []
    assert store.edges_to("list_members", "u1") == [("L2", 3.0)]
    assert store.edges_to("list_members", "u2") == []
    assert store.edges_from("list_members", "u3") == []


def test_reset_forgets_every_edge(store):
    store.set_edge("follows", "1", "2", True, 1.0)
    store.reset()
    assert store.edges_from("follows", "1") == [] and store.edges_to("follows", "2") == []
