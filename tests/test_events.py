"""Everything that happens in the world is an event, once, in order, on both stores; the bus hands it to readers."""

from __future__ import annotations

import asyncio

import pytest

from xmock.simulator import Simulator
from xmock.simulator.bus import EventBus
from xmock.simulator.relations import BOOKMARKS, FOLLOWS, LIKES, LIST_MEMBERS
from xmock.simulator.store import MemoryStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_server").store()


def _types(store, cursor="0"):
    return [(e["type"], e.get("actor_id") or e.get("post_id")) for _, e in store.events_after(cursor)]


def test_edges_that_are_events_are_logged_once(store):
    start = store.event_cursor()
    store.set_edge(FOLLOWS, "1", "2", True, 10.0)
    store.set_edge(FOLLOWS, "1", "2", True, 11.0)  # no change: no event
    store.set_edge(LIKES, "1", "p9", True, 12.0)
    store.set_edge(LIST_MEMBERS, "L1", "2", True, 13.0)  # bookkeeping: no event
    store.set_edge(FOLLOWS, "1", "2", False, 14.0)
    found = store.events_after(start)
    assert [e["type"] for _, e in found] == ["follow.create", "like.create", "follow.delete"]
    assert found[0][1] == {"type": "follow.create", "at": 10.0, "actor_id": "1", "target_id": "2"}
    assert store.events_after(found[-1][0]) == []
    assert store.event_cursor() == found[-1][0]


def test_posts_stored_and_deleted_are_events(store):
    sim = Simulator(store=store)
    account = sim.create_account("Acme")
    user = sim.create_user(username="acme", account_id=account.id)
    start = store.event_cursor()
    post = sim.create_post(user.id, "hello world")
    store.delete_post(post.id, 99.0)
    kinds = [(e["type"], e["post_id"], e["author_id"]) for _, e in store.events_after(start)]
    assert kinds == [("post.create", post.id, user.id), ("post.delete", post.id, user.id)]
    assert store.events_after(start)[-1][1]["at"] == 99.0


def test_a_group_claims_each_event_once_from_when_it_was_made(store):
    store.set_edge(BOOKMARKS, "1", "p1", True, 1.0)
    assert store.claim_events("hooks") == []  # a new group starts from now
    store.set_edge(BOOKMARKS, "1", "p2", True, 2.0)
    store.set_edge(BOOKMARKS, "1", "p3", True, 3.0)
    first = store.claim_events("hooks", limit=1)
    rest = store.claim_events("hooks")
    assert [e["target_id"] for _, e in first + rest] == ["p2", "p3"]
    assert store.claim_events("hooks") == []
    assert [e["target_id"] for _, e in store.claim_events("other")] == []


def test_the_bus_hands_every_event_to_every_reader_in_order(store):
    async def scenario():
        bus = EventBus(store, poll_seconds=0.01)
        a, b = bus.subscribe(), bus.subscribe()
        store.set_edge(FOLLOWS, "1", "2", True, 1.0)
        store.set_edge(FOLLOWS, "1", "3", True, 2.0)
        got_a = [await a.get(2), await a.get(2)]
        got_b = [await b.get(2), await b.get(2)]
        assert [e["target_id"] for _, e in got_a] == ["2", "3"] == [e["target_id"] for _, e in got_b]
        assert await a.get(0.05) is None  # nothing more
        late = bus.subscribe(since=got_a[0][0])  # backfill from a cursor, then live
        store.set_edge(FOLLOWS, "1", "4", True, 3.0)
        got = [await late.get(2), await late.get(2)]
        assert [e["target_id"] for _, e in got] == ["3", "4"]

    asyncio.run(scenario())


def test_a_reader_too_slow_is_dropped_not_buffered_forever(store):
    async def scenario():
        bus = EventBus(store, poll_seconds=0.01)
        slow = bus.subscribe(buffer=3)
        for i in range(10):
            store.set_edge(LIKES, "1", f"p{i}", True, float(i))
        bus.dispatch()
        assert slow.overflowed and slow.pending() == 3
        assert slow not in bus._subs

    asyncio.run(scenario())
