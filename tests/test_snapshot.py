"""Snapshots: the whole world saved as one document and restored, on each store and from memory onto Redis."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.relations import BLOCKS, FOLLOWS, LIKES, MUTES
from xmock.simulator.server import ServerThread
from xmock.simulator.snapshot import FORMAT, VERSION, Section, register
from xmock.simulator.store import MemoryStore
from xmock.simulator.store.base import SnapshotError

FROZEN_AT = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def busy(sim: Simulator, base: str) -> dict[str, Any]:
    """A world with something in every table a test touches: accounts, apps, users, both kinds of token,
    posts made through the X surface (journal, ledger, limits, counters), a deleted post, likes, follows,
    blocks, mutes, a list, a bookmark folder, a DM, a place, a fault, findings and stream rules."""
    sim.clock.freeze(FROZEN_AT)
    account = sim.create_account("Acme Social")
    app = sim.create_app(account.id, "Acme Scheduler", use_case="Schedule posts", callback_urls=["https://a.example/cb"])
    other = sim.create_app(account.id, "Acme Other", use_case="Schedule posts")  # a similar use case: a finding
    alice = sim.create_user(username="alice", name="Alice", account_id=account.id)
    bob = sim.create_user(username="bob", name="Bob")
    token = sim.mint_oauth1_token(app.id, alice.id)
    sim.mint_oauth2_token(app.id, bob.id)
    session = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )
    made = [session.post(base + "/2/tweets", json={"text": f"post {i}"}).json()["data"]["id"] for i in range(3)]
    assert session.delete(base + f"/2/tweets/{made[0]}").status_code == 200
    assert session.get(base + "/2/users/me").status_code == 200
    bob_post = sim.create_post(bob.id, "bob says hi")
    sim.like(alice.id, bob_post.id)
    sim.follow(alice.id, bob.id)
    sim.follow(bob.id, alice.id)
    sim.block(bob.id, sim.create_user(username="spam").id)
    sim.mute(alice.id, sim.create_user(username="noisy").id)
    lst = sim.create_list(alice.id, "friends", members=[bob.id])
    folder = sim.create_bookmark_folder(alice.id, "later")
    sim.bookmark(alice.id, bob_post.id, folder.id)
    sim.send_dm(alice.id, bob.id, "hello bob")
    sim.add_place("Springfield", country="United States", country_code="US")
    sim.add_fault(path="/2/users/me", status=503, count=2)
    assert session.get(base + "/2/users/me").status_code == 503  # one strike used, one left
    sim.store.add_stream_rules(app.id, [{"id": "1", "value": "cats", "tag": "pets"}], 1000)
    return {"app": app, "other": other, "alice": alice, "bob": bob, "list": lst, "posts": made, "session": session}


@pytest.fixture
def memory_server() -> Iterator[ServerThread]:
    with ServerThread(Simulator(Settings(store="memory"), store=MemoryStore())) as srv:
        yield srv


def _redis_sim(redis_server: Any) -> Simulator:
    store = redis_server.store()
    return Simulator(Settings(store=store.url, namespace=store.namespace), store=store)


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A document without what moves by itself: Redis keys' remaining lives."""
    out = copy.deepcopy(document)
    if out["store"]["kind"] == "redis":
        for entry in out["store"]["keys"]:
            entry["ttl_ms"] = entry["ttl_ms"] is not None
    return out


def world_view(sim: Simulator) -> dict[str, Any]:
    """The world as the store interface reads it, for comparing one kind of store with another."""
    store = sim.store
    users = store.list_users()
    posts = {p.id: p for p in store.all_posts()}
    edges = {
        (kind, u.id): store.edges_from(kind, u.id) for kind in (FOLLOWS, BLOCKS, MUTES, LIKES) for u in users
    }
    return {
        "accounts": sorted(store.list_accounts(), key=lambda a: a.id),
        "apps": sorted(store.list_apps(), key=lambda a: a.id),
        "users": sorted(users, key=lambda u: u.id),
        "tokens": sorted(store.list_oauth2_tokens(), key=lambda t: t.token),
        "posts": posts,
        "metrics": {pid: store.post_metrics(pid) for pid in posts},
        "edges": edges,
        "balances": {a.id: store.credit_balance(a.id) for a in store.list_apps()},
        "ledger": store.ledger(),
        "findings": store.findings(),
        "faults": store.list_faults(),
        "journal": sim.journal(),  # as read: the stores keep request bodies in forms of their own
        "counts": store.request_counts(),
        "rules": {a.id: store.stream_rules(a.id) for a in store.list_apps()},
        "events": [event for _, event in store.events_after("0", 10_000)],
        "clock": sim.clock.state(),
    }


def test_memory_round_trip_restores_everything(memory_server: ServerThread) -> None:
    sim = memory_server.simulator
    made = busy(sim, memory_server.base_url)
    saved = sim.snapshot()
    json.dumps(saved)  # one JSON document
    assert saved["format"] == FORMAT and saved["version"] == VERSION
    fresh = Simulator(Settings(store="memory"), store=MemoryStore())
    fresh.restore(json.loads(json.dumps(saved)))
    assert fresh.snapshot() == saved
    assert world_view(fresh) == world_view(sim)
    assert fresh.store.get_list(made["list"].id) == made["list"]
    assert fresh.store._journal.maxlen == sim.store._journal.maxlen  # bounded logs stay bounded


def test_restored_world_answers_as_the_saved_one(memory_server: ServerThread) -> None:
    sim = memory_server.simulator
    made = busy(sim, memory_server.base_url)
    saved = sim.snapshot()
    sim.reset()
    assert made["session"].get(memory_server.base_url + "/2/users/me").status_code == 401
    answer = requests.post(memory_server.base_url + "/_xmock/snapshot", json=saved)
    assert answer.status_code == 200, answer.text
    me = made["session"].get(memory_server.base_url + "/2/users/me")
    assert me.status_code == 503  # the saved fault has one strike left
    me = made["session"].get(memory_server.base_url + "/2/users/me")
    assert me.json()["data"]["username"] == "alice"
    new = made["session"].post(memory_server.base_url + "/2/tweets", json={"text": "after restore"})
    assert new.status_code == 201
    assert new.json()["data"]["id"] not in made["posts"]  # ids stay unique on a frozen clock
    assert int(new.json()["data"]["id"]) > int(max(made["posts"]))


def test_get_snapshot_over_http_and_without_journal(memory_server: ServerThread) -> None:
    busy(memory_server.simulator, memory_server.base_url)
    whole = requests.get(memory_server.base_url + "/_xmock/snapshot").json()
    bare = requests.get(memory_server.base_url + "/_xmock/snapshot?journal=false").json()
    assert whole["store"]["tables"]["_journal"]["$q"]
    assert bare["store"]["tables"]["_journal"]["$q"] == []
    assert bare["store"]["tables"]["_journal"]["n"] == whole["store"]["tables"]["_journal"]["n"] > 0  # still bounded
    assert requests.get(memory_server.base_url + "/_xmock/snapshot?journal=maybe").status_code == 400


BAD = [
    ([], "a snapshot is a JSON object"),
    ({"format": "other"}, "format"),
    ({"format": FORMAT, "version": VERSION + 1}, "newer than this xmock reads"),
    ({"format": FORMAT, "version": 0}, "too old"),
    ({"format": FORMAT, "version": "1"}, "version: expected a whole number"),
]


@pytest.mark.parametrize(("document", "message"), BAD)
def test_documents_that_are_not_snapshots_are_refused(document: Any, message: str) -> None:
    with pytest.raises(SnapshotError, match=message):
        Simulator().restore(document)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra=1), "unknown section"),
        (lambda d: d["settings"].update(billing="no"), "settings: billing"),
        (lambda d: d["settings"].update(store="memory"), "chosen when the simulator starts"),
        (lambda d: d["clock"].update(now="noon"), "clock"),
        (lambda d: d.update(ids={"last_ms": -5, "seq": 0}), "ids"),
        (lambda d: d["store"]["tables"].pop("_posts"), "tables missing"),
        (lambda d: d["store"]["tables"].update(_posts=[1]), "store._posts: expected a dict"),
        (lambda d: d["store"].update(kind="redis"), "restores onto a Redis store"),
        (lambda d: d["store"]["tables"]["_users"]["$o"].update(x={"$m": "User", "f": {"id": 5}}), "User.id"),
        (lambda d: d["store"]["tables"]["_users"]["$o"].update(x={"$m": "Nope", "f": {}}), "unknown value tag"),
        (lambda d: d["store"]["tables"]["_balances"].update({"$o": {"1": {"$d": "lots"}}}), "_balances"),
    ],
)
def test_malformed_snapshot_is_refused_and_changes_nothing(memory_server: ServerThread, change, message) -> None:
    sim = memory_server.simulator
    busy(sim, memory_server.base_url)
    before = sim.snapshot()
    document = copy.deepcopy(before)
    change(document)
    answer = requests.post(memory_server.base_url + "/_xmock/snapshot", json=document)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert sim.snapshot() == before


def test_registered_section_joins_every_snapshot() -> None:
    kept: dict[str, Any] = {"items": ["a"]}

    def check(sim: Simulator, value: Any) -> list[str]:
        if value is not None and not isinstance(value, list):
            raise SnapshotError("things: expected a list")
        return value or []

    section = Section(dump=lambda sim: list(kept["items"]), check=check, load=lambda sim, v: kept.update(items=v))
    register("things", section)
    try:
        sim = Simulator()
        saved = sim.snapshot()
        assert saved["things"] == ["a"]
        kept["items"] = []
        sim.restore(saved)
        assert kept["items"] == ["a"]
        with pytest.raises(SnapshotError, match="things"):
            sim.restore({**saved, "things": 5})
    finally:
        from xmock.simulator.snapshot import SECTIONS

        SECTIONS.pop("things", None)


def test_redis_round_trip_restores_everything(redis_server: Any) -> None:
    sim = _redis_sim(redis_server)
    with ServerThread(sim) as srv:
        busy(sim, srv.base_url)
        saved = sim.snapshot()
    fresh = _redis_sim(redis_server)
    fresh.restore(json.loads(json.dumps(saved)))
    assert comparable(fresh.snapshot()) == comparable(saved)
    assert world_view(fresh) == world_view(sim)


def test_redis_refuses_a_bad_key_and_keeps_its_world(redis_server: Any) -> None:
    sim = _redis_sim(redis_server)
    sim.clock.freeze(FROZEN_AT)
    sim.create_user(username="kept")
    before = sim.snapshot()
    document = copy.deepcopy(before)
    document["store"]["keys"].append({"key": "x", "type": "zset", "ttl_ms": None, "value": [["a", "b"]]})
    with pytest.raises(SnapshotError, match="not a zset"):
        sim.restore(document)
    assert sim.snapshot() == before


def test_memory_world_restores_onto_redis(memory_server: ServerThread, redis_server: Any) -> None:
    sim = memory_server.simulator
    busy(sim, memory_server.base_url)
    saved = sim.snapshot()
    target = _redis_sim(redis_server)
    target.restore(saved)
    assert world_view(target) == world_view(sim)
    with pytest.raises(SnapshotError, match="restores onto a Redis store"):
        Simulator(store=MemoryStore()).restore(target.snapshot())


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_stubs_and_fault_rules_come_along(kind: str, request: pytest.FixtureRequest) -> None:
    if kind == "redis":
        sim = _redis_sim(request.getfixturevalue("redis_server"))
    else:
        sim = Simulator(Settings(store="memory"), store=MemoryStore())
    sim.reset()
    stub = sim.add_stub(method="GET", path="/2/users/me", status=503)
    sim.add_fault(path="/2/tweets", status=500, count=1)
    saved = sim.snapshot()
    sim.reset()
    assert sim.list_stubs() == [] and sim.store.list_faults() == []
    sim.restore(saved)
    assert sim.list_stubs() == [stub]
    assert [(f["path"], f["status"]) for f in sim.store.list_faults()] == [("/2/tweets", 500)]


def test_a_version_1_snapshot_is_upgraded_and_restored() -> None:
    sim = Simulator(Settings(store="memory"), store=MemoryStore())  # version 2 added an in-memory table
    sim.create_account("acme")
    document = sim.snapshot()
    document["version"] = 1
    del document["store"]["tables"]["_worker_counts"]  # what version 1 did not have
    fresh = Simulator(Settings(store="memory"), store=MemoryStore())
    fresh.restore(document)
    assert [a.name for a in fresh.store.list_accounts()] == ["acme"]
    assert fresh.store.worker_counts() == {}
