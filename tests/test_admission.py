"""A request's books in one store step (simulator/admission.py), the same on both stores, and the
shared state a request ran on checked when it is admitted."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from redis_support import RedisServer
from requests_oauthlib import OAuth1

from xmock.simulator import Simulator
from xmock.simulator.admission import AFFORD, CREDITS, LIMITED, NONCE, POSITIVE, RESERVE, STALE, Admission
from xmock.simulator.models import Post
from xmock.simulator.server import ServerThread
from xmock.simulator.store import MemoryStore
from xmock.simulator.store.redis_store import RedisStore


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest):
    if request.param == "memory":
        yield MemoryStore()
        return
    server = RedisServer()
    try:
        yield server.store(journal_size=3)
    finally:
        server.stop()


def _entry(status: int = 200) -> dict:
    return {"id": "tx", "app_id": "app", "status": status, "time": 100.0}


def _books(store) -> list:
    """What admissions leave behind, in a form both stores give alike."""
    return [
        store.credit_balance("app"),
        [(e["kind"], e["amount"], e["balance"], e.get("resource_ids")) for e in store.ledger()],
        [(e["status"], e.get("charged")) for e in store.journal()],
    ]


def test_checks_run_in_x_order_and_a_refusal_stops_the_rest(store):
    store.adjust_credits("app", Decimal("1"), {"time": 0.0, "kind": "grant"})
    first = Admission(100.0, nonce="n1", nonce_expires=700.0, buckets=[("b", 2, 900)], app_id="app")
    assert store.admit(first).refused is None
    # The same nonce again: refused before the window counts it.
    again = Admission(101.0, nonce="n1", nonce_expires=700.0, buckets=[("b", 2, 900)], journal=_entry())
    assert store.admit(again).refused == NONCE
    second = Admission(102.0, nonce="n2", nonce_expires=700.0, buckets=[("b", 2, 900)], journal=_entry())
    admitted = store.admit(second)
    assert (admitted.refused, admitted.states) == (None, [(2, 100.0)])
    third = Admission(103.0, nonce="n3", nonce_expires=700.0, buckets=[("b", 2, 900)], journal=_entry())
    limited = store.admit(third)
    assert (limited.refused, limited.states) == (LIMITED, [(2, 100.0)])
    # the nonce of a limited request is spent, as X spends it
    assert store.admit(Admission(104.0, nonce="n3", nonce_expires=700.0)).refused == NONCE
    assert [e["status"] for e in store.journal()] == [200]  # refused admissions leave their entry out


def test_credits_are_needed_taken_or_charged_per_resource_once_a_day(store):
    charge = {"time": 5.0, "kind": "charge", "request_id": "tx"}
    assert store.admit(Admission(1.0, app_id="app", credits=POSITIVE)).refused == CREDITS
    store.adjust_credits("app", Decimal("0.02"), {"time": 0.0, "kind": "grant"})
    assert store.admit(Admission(1.0, app_id="app", credits=AFFORD, amount=Decimal("0.03"))).refused == CREDITS
    taken = Admission(2.0, app_id="app", credits=RESERVE, amount=Decimal("0.015"), entry=charge)
    assert store.admit(taken).refused is None
    items = [("Post:1", Decimal("0.005")), ("User:2", Decimal("0.010"))]
    read = Admission(3.0, app_id="app", credits=POSITIVE, entry=charge, items=items, day="2026-12-01", journal=_entry())
    assert store.admit(read).charged == Decimal("0.015")
    refused = Admission(4.0, app_id="app", credits=POSITIVE, entry=charge, items=items, day="2026-12-01")
    assert store.admit(refused).refused == CREDITS  # a read needs a positive balance, and this one is below zero
    store.adjust_credits("app", Decimal("1"), {"time": 4.5, "kind": "grant"})
    again = Admission(4.6, app_id="app", credits=POSITIVE, entry=charge, items=items, day="2026-12-01")
    again.journal = _entry()
    assert store.admit(again).charged == 0  # paid for today already
    assert _books(store) == [
        Decimal("0.990"),
        [
            ("grant", "0.02", "0.02", None),
            ("charge", "-0.015", "0.005", None),
            ("charge", "-0.015", "-0.01", ["Post:1", "User:2"]),
            ("grant", "1.00", "0.99", None),
        ],
        [(200, "0.015"), (200, None)],
    ]


def test_the_journal_keeps_its_length_and_counts_what_it_is_asked_to(store):
    size = 3 if isinstance(store, RedisStore) else None
    for n in range(5):
        store.admit(Admission(float(n), journal={**_entry(200 + n), "n": n}, count=True))
    kept = [e["n"] for e in store.journal()]
    assert kept == ([2, 3, 4] if size else [0, 1, 2, 3, 4])
    assert store.request_counts() == {"app": {str(200 + n): 1 for n in range(5)}}  # counters do not roll over


def test_a_moved_shared_state_refuses_the_admission_with_the_state_found():
    server = RedisServer()
    try:
        store = server.store()
        sim = Simulator(store=store)
        assert sim.shared is not None
        sim.sync()
        ran_on = sim.shared.control
        assert ran_on is not None
        sim.clock.advance(3600)  # another process's move, as far as `ran_on` knows
        refused = store.admit(Admission(1.0, nonce="n", nonce_expires=9.0, journal=_entry(), control=ran_on))
        assert refused.refused == STALE and refused.control is not None
        assert float(refused.control[0]) == pytest.approx(3600.0)
        assert store.journal() == [] and store.consume_nonce("n", 9.0, 1.0)  # nothing was done
    finally:
        server.stop()


def test_a_request_that_ran_on_a_clock_another_process_moved_runs_again_on_the_moved_one():
    server = RedisServer()
    try:
        serving = Simulator(store=server.store())
        other = Simulator(store=RedisStore(serving.store.url, serving.store.namespace))  # another process
        account = serving.create_account("acme")
        app = serving.create_app(account.id, "app", consumer_key="ck" * 10, consumer_secret="cs" * 20)
        user = serving.create_user(username="alice")
        serving.mint_oauth1_token(app.id, user.id, token=f"{user.id}-tok", secret="ts" * 20)
        auth = OAuth1("ck" * 10, "cs" * 20, f"{user.id}-tok", "ts" * 20)
        with ServerThread(serving) as srv:

            def lookup() -> requests.Response:
                return requests.get(f"{srv.base_url}/2/users/me", auth=auth, timeout=10)

            assert lookup().status_code == 200  # the serving process has read the shared state
            other.clock.advance(10 * 86400)
            assert lookup().status_code == 200
        entries = [e for e in serving.store.journal() if e["path"] == "/2/users/me"]
        assert len(entries) == 2
        assert entries[1]["time"] - entries[0]["time"] >= 10 * 86400  # journalled on the moved clock
    finally:
        server.stop()


def test_a_post_and_its_findings_logs_are_one_store_call_that_logs_only_a_written_post(store):
    def post(post_id: str, at: float) -> Post:
        return Post(id=post_id, text="same words", author_id="7", created_at=at, app_id="1", conversation_id=post_id)

    def track(post_id: str, at: float) -> tuple:
        return (("text|1", "d", ["7", post_id]), ("posts|1", "7", ["7", "same words", post_id]), at, 600.0, 50)

    assert store.create_post_tracked(post("11", 100.0), None, None, track("11", 100.0)) == (
        True,
        ([(100.0, ["7", "11"])], []),
    )
    # the same text again inside the duplicate window: refused, and nothing logged for it
    assert store.create_post_tracked(post("12", 101.0), 50.0, None, track("12", 101.0)) == (False, None)
    created, (same, others) = store.create_post_tracked(post("13", 102.0), None, None, track("13", 102.0))
    assert created and [item for _, item in same] == [["7", "11"], ["7", "13"]] and others == []
