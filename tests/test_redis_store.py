"""The Redis store on a real redis-server: what only a shared store has to get right.

The whole suite also runs on it (XMOCK_TEST_STORE=redis pytest); these tests cover namespaces,
expiry, agreement with the in-memory store, and several store objects (processes) at once.
"""

from __future__ import annotations

import asyncio
import threading
from decimal import Decimal

import pytest
from redis_support import RedisServer

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.models import AuthCode, OAuth2Token, Post, RequestToken
from xmock.simulator.store import Charge, InsufficientCredits, MemoryStore, open_store
from xmock.simulator.store.redis_store import RedisStore


@pytest.fixture
def store(redis_server: RedisServer) -> RedisStore:
    return redis_server.store()


def _twin(store: RedisStore) -> RedisStore:
    """Another client of the same namespace, as another process would have."""
    return RedisStore(store.url, store.namespace)


def test_namespaces_are_isolated_and_reset_clears_only_its_own(redis_server: RedisServer):
    a, b = redis_server.store(), redis_server.store()
    for s in (a, b):
        Simulator(store=s).create_account("mine")
    a.reset()
    assert a.list_accounts() == []
    assert [x.name for x in b.list_accounts()] == ["mine"]
    assert all(key.startswith(b.prefix) for key in b.r.scan_iter(match="xmock:*") if not key.startswith(a.prefix))


def test_what_x_expires_carries_a_redis_expiry(store: RedisStore):
    assert store.consume_nonce("ck\x00tok\x001\x00n", expires_at=1_000.0, now=400.0)
    store.rate_hit([("users:me|u1", 75, 900)], now=400.0)
    store.add_auth_code(AuthCode("c1", "app", "u", "https://cb", ("tweet.read",), "x" * 43, "S256", 430.0))
    store.add_request_token(RequestToken("rt", "s", "app", "oob", "read-write", 400.0))
    ttls = {
        key.removeprefix(store.prefix).split(":")[0]: store.r.pttl(key)
        for key in store.r.scan_iter(match=store.prefix + "*")
    }
    for kind in ("nonce", "win", "code", "rt"):
        assert ttls[kind] > 0, kind
    # the expiry judged by the simulator clock, not by Redis: a replay inside the window is refused
    assert not store.consume_nonce("ck\x00tok\x001\x00n", expires_at=1_000.0, now=999.0)
    assert store.consume_nonce("ck\x00tok\x001\x00n", expires_at=2_000.0, now=1_000.0)


def test_no_token_appears_in_a_key_name_for_nonces(store: RedisStore):
    store.consume_nonce("ck\x00secret-token\x001\x00n", expires_at=10.0, now=1.0)
    assert not any("secret-token" in key for key in store.r.scan_iter(match=store.prefix + "*"))


def _accounting(s) -> list:
    """The same accounting on any store; everything it answers."""
    out = [
        s.adjust_credits("app", Decimal("10.00"), {"time": 1.0, "kind": "grant"}),
        s.adjust_credits("app", Decimal("-0.015"), {"time": 2.0, "kind": "hold"}, floor=Decimal(0)),
        s.adjust_credits("app", Decimal("-20"), {"time": 3.0, "kind": "hold"}, floor=Decimal(0)),
        s.charge_resources("app", "2026-11-28", [("p1", Decimal("0.005")), ("u1", Decimal("0.010"))], {"time": 4.0}),
        s.charge_resources("app", "2026-11-28", [("p1", Decimal("0.005")), ("p2", Decimal("0.005"))], {"time": 5.0}),
        s.charge_resources("app", "2026-11-29", [("p1", Decimal("0.005"))], {"time": 6.0}),
        s.credit_balance("app"),
        s.rate_hit([("k", 2, 60), ("j", 5, 900)], 100.0),
        s.rate_hit([("k", 2, 60), ("j", 5, 900)], 101.0),
        s.rate_hit([("k", 2, 60), ("j", 5, 900)], 102.0),
        s.rate_hit([("k", 2, 60), ("j", 5, 900)], 160.0),
        s.note_limited("k", 160.0, 100.0),
        s.note_limited("k", 160.0, 120.0),
        s.note_limited("k", 220.0, 161.0),
        s.add_finding({"id": "f1", "time": 5.5, "rule": "r"}, "d"),
        s.add_finding({"id": "f2", "time": 6.5, "rule": "r"}, "d"),
        s.add_finding({"id": "f3", "time": 7.5, "rule": "s"}, None),
        s.findings(),
        s.track("log", ["a", "1"], 10.0, 5.0),
        s.track("log", ["b", "2"], 12.0, 5.0),
        s.track("log", ["c", "3"], 15.5, 5.0),
        s.track("log", ["d", "4"], 16.0, 5.0),
        s.track("short", ["e", "5"], 16.0, 5.0, keep=2),
        s.track("short", ["f", "6"], 16.5, 5.0, keep=2),
        s.track("short", ["g", "7"], 17.0, 5.0, keep=2),
        # other authors' items only: none while one author writes, then the others', then the window moves on
        # one text's items, as a log per text would give them
        s.track_text("text|app", "d1", ["u1", "1"], 10.0, 5.0, keep=2),
        s.track_text("text|app", "d2", ["u2", "2"], 11.0, 5.0, keep=2),
        s.track_text("text|app", "d1", ["u2", "3"], 12.0, 5.0, keep=2),
        s.track_text("text|app", "d1", ["u3", "4"], 13.0, 5.0, keep=2),  # keep=2
        s.track_text("text|app", "d1", ["u1", "5"], 18.5, 5.0, keep=2),  # the window moved past the others
        s.track_others("posts", "u1", ["u1", "a", "1"], 10.0, 5.0, keep=3),
        s.track_others("posts", "u1", ["u1", "b", "2"], 11.0, 5.0, keep=3),
        s.track_others("posts", "u2", ["u2", "c", "3"], 12.0, 5.0, keep=3),
        s.track_others("posts", "u1", ["u1", "d", "4"], 13.0, 5.0, keep=3),  # keep=3 lets "a" go
        s.track_others("posts", "u3", ["u3", "e", "5"], 13.5, 5.0, keep=3),
        s.track_others("posts", "u2", ["u2", "f", "6"], 20.0, 5.0, keep=3),  # everything else is past the window
        s.track_others("posts", "u11", ["u11", "g", "7"], 20.5, 5.0, keep=3),  # u1 is not a prefix of u11
        # the others pushed out by the newest `keep`: one author alone again, and the answer empty
        s.track_others("solo", "u2", ["u2", "h", "8"], 30.0, 60.0, keep=2),
        s.track_others("solo", "u1", ["u1", "i", "9"], 31.0, 60.0, keep=2),
        s.track_others("solo", "u1", ["u1", "j", "10"], 32.0, 60.0, keep=2),
        s.track_others("solo", "u2", ["u2", "k", "11"], 33.0, 60.0, keep=2),
        s.ledger(),
    ]
    s.add_fault({"id": "x1", "path": "/2/tweets", "count": 2})
    s.add_fault({"id": "x2", "path": "/2/users/me", "count": None})
    out += [s.take_fault("x1"), s.take_fault("x1"), s.take_fault("x1"), s.take_fault("x2"), s.list_faults()]
    out += [s.remove_fault("x1"), s.remove_fault("x1"), s.list_faults()]
    s.append_journal({"app_id": "app", "status": 201, "path": "/2/tweets"}, count=True)
    s.append_journal({"app_id": None, "status": 401, "path": "/2/users/me"}, count=True)
    s.append_journal({"app_id": None, "status": 0, "path": "/2/users/me"})
    out += [s.journal(), s.request_counts()]
    return out


def test_accounting_answers_as_the_in_memory_store_does(store: RedisStore):
    expected, got = _accounting(MemoryStore()), _accounting(store)
    for i, (want, have) in enumerate(zip(expected, got, strict=True)):
        assert have == want, f"operation {i}"


def test_a_log_kept_before_its_author_counts_still_finds_other_authors(store: RedisStore):
    store.track_others("posts|app", "u1", ["u1", "a"], 10.0, 60.0)
    store.track_others("posts|app", "u2", ["u2", "b"], 11.0, 60.0)
    store.r.delete(store.k("logauthors", "posts|app"))  # as a world written by an earlier version holds it
    assert store.track_others("posts|app", "u1", ["u1", "c"], 12.0, 60.0) == [(11.0, ["u2", "b"])]
    assert store.r.hgetall(store.k("logauthors", "posts|app")) == {"u1": "2", "u2": "1"}


def test_a_refresh_token_rotated_from_several_store_clients_rotates_once(store: RedisStore):
    old = OAuth2Token("r0", "refresh", "app", "u", ("offline.access",), 0.0, None, "g1")
    store.add_oauth2_tokens(old)
    clients = [_twin(store) for _ in range(8)]
    wins: list[bool] = []
    gate = threading.Barrier(len(clients))

    def rotate(i: int, client: RedisStore) -> None:
        successor = OAuth2Token(f"r{i + 1}", "refresh", "app", "u", ("offline.access",), 1.0, None, "g1")
        gate.wait()
        wins.append(client.rotate_refresh_token("r0", 1.0, successor))

    threads = [threading.Thread(target=rotate, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert store.get_oauth2_token("r0").state(2.0) == "rotated"
    # revoking the grant reaches the successor that won
    winner = next(t for t in store.list_oauth2_tokens() if t.token != "r0")
    assert store.revoke_oauth2_token("r0", 3.0, whole_grant=False) is True
    assert store.revoke_oauth2_token(winner.token, 3.0, whole_grant=True) is True
    assert {t.state(4.0) for t in store.list_oauth2_tokens()} == {"revoked"}


def test_credits_charged_from_several_store_clients_stop_at_the_floor(store: RedisStore):
    store.adjust_credits("app", Decimal("1.00"), {"time": 0.0, "kind": "grant"})
    clients = [_twin(store) for _ in range(4)]
    results: list[object] = []

    def spend(client: RedisStore) -> None:
        for _ in range(30):
            results.append(client.adjust_credits("app", Decimal("-0.015"), {"kind": "hold"}, floor=Decimal(0)))

    threads = [threading.Thread(target=spend, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 66  # floor(1.00 / 0.015)
    assert store.credit_balance("app") == Decimal("0.01")


def test_an_unreachable_redis_is_a_clear_error():
    settings = Settings(store="redis://127.0.0.1:1/0")
    with pytest.raises(ConnectionError, match=r"cannot reach Redis at redis://127.0.0.1:1/0"):
        open_store(settings)


def test_a_store_setting_that_is_not_a_redis_url_is_refused():
    with pytest.raises(ValueError, match='store: expected "memory" or a Redis URL'):
        Settings(store="postgres://db")
    with pytest.raises(ValueError, match="namespace"):
        Settings(namespace="has space")


def test_scripts_run_together_survive_a_redis_that_forgot_them(store: RedisStore):
    def track(n: int):
        return store.track_post(("t", "d", ["a", n]), ("o", "a", ["a", n]), float(n), 60.0, 50)

    assert track(1) == ([(1.0, ["a", 1])], [])
    store.r.script_flush()  # as a restarted Redis would have
    same, others = track(2)
    assert [item for _, item in same] == [["a", 1], ["a", 2]] and others == []


def _posts_and_charges(store: RedisStore, write) -> list:
    """The same posts, charges and findings logs through `write` (the blocking or the awaited write)."""
    entry = {"time": 1.0, "kind": "charge", "request_id": "r", "endpoint": "createPosts", "price_class": "P"}
    store.adjust_credits("app", Decimal("0.02"), {"time": 0.0, "kind": "grant"})

    def post(n: int, text: str) -> Post:
        return Post(id=str(10**17 + n), text=text, author_id="7", created_at=100.0 + n, app_id="app")

    def track(n: int, text: str) -> tuple:
        return (("text|app", text, ["7", n]), ("posts|app", "7", ["7", text, n]), 100.0 + n, 600.0, 50)

    out: list = [write(post(1, "one"), 0.0, Charge("app", Decimal("0.015"), entry), track(1, "one"))]
    try:
        write(post(2, "two"), 0.0, Charge("app", Decimal("0.015"), entry), track(2, "two"))
    except InsufficientCredits:
        out.append("refused for credits")
    store.r.script_flush()  # as a restarted Redis would have
    out.append(write(post(3, "one"), 0.0, None, track(3, "one")))  # a duplicate: nothing written or logged
    out.append(write(post(4, "four"), None, None, None))
    out.append(write(post(5, "one"), None, None, track(5, "one")))
    return [*out, [p.id for p in store.posts_by_author("7")], str(store.credit_balance("app"))]


def test_the_awaited_post_write_answers_as_the_blocking_one(redis_server: RedisServer):
    blocking, awaited = redis_server.store(), redis_server.store()

    def write_awaited(*args) -> tuple:
        return asyncio.run(awaited.create_post_tracked_async(*args))

    expected = _posts_and_charges(blocking, blocking.create_post_tracked)
    assert _posts_and_charges(awaited, write_awaited) == expected
    assert expected[:5] == [
        (True, ([(101.0, ["7", 1])], [])),
        "refused for credits",
        (False, None),
        (True, None),
        (True, ([(101.0, ["7", 1]), (105.0, ["7", 5])], [])),
    ]


def test_an_awaited_post_write_loads_the_scripts_this_redis_has_not_seen(redis_server: RedisServer):
    """Another process may have loaded the post's script but not the findings logs': none of the batch may fail."""
    store = redis_server.store()
    store.r.script_flush()
    store.r.script_load(store._registered("CREATE_POST").script)
    post = Post(id=str(10**17 + 1), text="first", author_id="7", created_at=100.0, app_id="app")
    track = (("text|app", "d", ["7", 1]), ("posts|app", "7", ["7", "first", 1]), 100.0, 600.0, 50)
    created = asyncio.run(store.create_post_tracked_async(post, None, None, track))
    assert created == (True, ([(100.0, ["7", 1])], []))
