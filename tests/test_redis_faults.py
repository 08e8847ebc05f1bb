"""A Redis that stops answering, or restarts under load: answers stay X's 503, never a hang, and
what clients were told agrees with posts and ledger afterwards.

Each test starts its own redis-server (they pause, kill and restart it).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import redis
import requests
from redis_support import RedisServer
from requests_oauthlib import OAuth1

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.models import Post
from xmock.simulator.server import ServerThread
from xmock.simulator.store import Charge, InsufficientCredits, MemoryStore, open_store
from xmock.simulator.store.redis_base import TIMEOUT
from xmock.simulator.store.redis_store import RedisStore

FAST = "socket_timeout=0.3&socket_connect_timeout=0.3"  # a paused Redis is given up on quickly


@pytest.fixture
def own_redis():
    server = RedisServer(persist=True)
    try:
        yield server
    finally:
        server.resume()  # never leave a stopped process behind, whatever failed
        server.stop()


def _tenant(sim: Simulator) -> tuple[OAuth1, str, str]:
    account = sim.create_account("Faulty Inc")
    app = sim.create_app(account.id, "faulty", use_case="outage drills")
    user = sim.create_user(account_id=account.id)
    token = sim.mint_oauth1_token(app.id, user.id)
    return OAuth1(app.consumer_key, app.consumer_secret, token.token, token.secret), app.id, user.id


def _post(n: int, author: str = "u1") -> Post:
    return Post(id=str(10**17 + n), text=f"post {n}", author_id=author, created_at=1_000.0 + n)


def test_timeouts_have_a_default_and_come_from_the_store_url(own_redis: RedisServer):
    store = RedisStore(own_redis.url)
    assert store.timeout == TIMEOUT == 2.0
    kwargs = store.r.connection_pool.connection_kwargs
    assert kwargs["socket_connect_timeout"] == TIMEOUT
    assert kwargs.get("retry") is None  # a timed-out command is never sent twice
    tuned = open_store(Settings(store=f"{own_redis.url}?{FAST}"))
    assert isinstance(tuned, RedisStore) and tuned.timeout == 0.3
    with pytest.raises(ValueError, match="positive"):
        RedisStore(f"{own_redis.url}?socket_timeout=0")
    with pytest.raises(ValueError, match="socket_timeout"):
        RedisStore(f"{own_redis.url}?socket_timeout=soon")


def test_a_paused_redis_is_answered_with_503_and_everything_works_once_it_resumes(own_redis: RedisServer):
    sim = Simulator(store=RedisStore(f"{own_redis.url}?{FAST}", "paused"))
    auth, app_id, user_id = _tenant(sim)
    with ServerThread(sim) as server:
        url = server.base_url
        first = requests.post(url + "/2/tweets", json={"text": "before"}, auth=auth, timeout=10)
        assert first.status_code == 201
        own_redis.pause()
        try:
            r = requests.get(url + "/2/users/me", auth=auth, timeout=10)
            assert (r.status_code, r.json()["detail"]) == (503, "Over capacity")
            r = requests.post(url + "/2/tweets", json={"text": "during"}, auth=auth, timeout=10)
            assert r.status_code == 503
            r = requests.get(url + "/_xmock/health", timeout=10)
            assert (r.status_code, r.json()) == (503, {"error": "the simulator's store is unreachable"})
        finally:
            own_redis.resume()
        # Back once Redis answers again (a moment of back-off after a timeout).
        for _ in range(200):
            r = requests.get(url + "/2/users/me", auth=auth, timeout=10)
            if r.status_code != 503:
                break
            threading.Event().wait(0.05)
        # No connection was left holding a half-read reply: every answer is the right one.
        assert (r.status_code, r.json()["data"]["id"]) == (200, user_id)
        after = requests.post(url + "/2/tweets", json={"text": "after"}, auth=auth, timeout=10)
        assert after.status_code == 201
        got = requests.get(url + f"/2/tweets/{after.json()['data']['id']}", auth=auth, timeout=10)
        assert got.json()["data"]["text"] == "after"
        assert requests.get(url + "/_xmock/health", timeout=10).json()["store"] == "redis"
    texts = sorted(p.text for p in sim.store.posts_by_author(user_id))
    assert texts == ["after", "before"]
    charges = [e for e in sim.ledger(app_id) if e["endpoint"] == "createPosts"]
    assert [e["kind"] for e in charges] == ["charge", "charge"]


def _ledger_core(store) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "time"} for e in store.ledger()]


def _post_and_charge(store) -> list:
    """The same post-and-charge steps on any store; everything they answer."""
    entry = {"time": 1.0, "kind": "charge", "request_id": "r", "endpoint": "createPosts", "price_class": "P"}
    store.adjust_credits("app", Decimal("0.02"), {"time": 0.0, "kind": "grant"})
    out: list = [store.create_post(_post(1), 0.0, Charge("app", Decimal("0.015"), entry))]
    try:
        store.create_post(_post(2), 0.0, Charge("app", Decimal("0.015"), entry))
        out.append("created")
    except InsufficientCredits:
        out.append("refused")
    dup = Post(id=str(10**17 + 3), text="post 1", author_id="u1", created_at=1_003.0)
    store.adjust_credits("app", Decimal("1"), {"time": 0.0, "kind": "grant"})
    out.append(store.create_post(dup, 0.0, Charge("app", Decimal("0.015"), entry)))
    out += [
        [p.id for p in store.posts_by_author("u1")],
        store.credit_balance("app"),
        _ledger_core(store),
    ]
    return out


def test_a_post_and_its_charge_are_one_step_on_both_stores(own_redis: RedisServer):
    memory, shared = _post_and_charge(MemoryStore()), _post_and_charge(RedisStore(own_redis.url, "onestep"))
    assert memory == shared
    # refused for credits, and refused as a duplicate: neither a post nor a charge
    assert memory[:3] == [True, "refused", False]
    assert [e["kind"] for e in memory[5]] == ["grant", "charge", "grant"]


def test_a_post_whose_write_got_no_answer_is_never_left_half_done(own_redis: RedisServer):
    store = RedisStore(f"{own_redis.url}?{FAST}", "unanswered")
    entry = {"time": 1.0, "kind": "charge", "request_id": "r", "endpoint": "createPosts", "price_class": "P"}
    store.adjust_credits("app", Decimal("1"), {"time": 0.0, "kind": "grant"})
    charge = Charge("app", Decimal("0.015"), entry)
    # Paused: the command waits in Redis, the client gives up; when Redis resumes it arrives too late.
    own_redis.pause()
    try:
        with pytest.raises(redis.TimeoutError):
            store.create_post(_post(1), None, charge)
    finally:
        own_redis.resume()
    store.settle_unsettled()
    assert store.get_post(_post(1).id) is None and store.credit_balance("app") == Decimal("1")
    assert store.r.exists(store.k("void", _post(1).id))  # a copy arriving even later is refused too
    # Written, but the answer lost (a restart between the write and its reply): taken back, refunded.
    assert store.create_post(_post(2), None, charge)
    store._unsettled.append((_post(2), charge))
    store.settle_unsettled()
    assert store.get_post(_post(2).id) is None and store.posts_by_author("u1") == []
    assert store.credit_balance("app") == Decimal("1")
    assert [(e["kind"], e["amount"]) for e in store.ledger()] == [("grant", "1.00"), ("charge", "-0.015"),
                                                                  ("refund", "0.015")]  # fmt: skip
    with pytest.raises(redis.TimeoutError):  # a late copy of it is refused
        store.create_post(_post(2), None, charge)
    assert store.posts_by_author("u1") == [] and store.credit_balance("app") == Decimal("1")


@pytest.mark.parametrize("kill", [True, False], ids=["sigkill", "sigterm"])
def test_a_redis_restart_under_load_leaves_answers_posts_and_ledger_in_agreement(own_redis: RedisServer, kill: bool):
    """Redis with an fsynced append-only log, restarted on the same port and directory while posts
    are in flight: what was written survives, what was in flight happened whole or not at all."""
    sim = Simulator(Settings(rate_limits=False), store=RedisStore(f"{own_redis.url}?{FAST}", "restart"))
    auth, app_id, user_id = _tenant(sim)
    start = sim.balance(app_id)
    answered: list[tuple[int, str | None, str | None]] = []  # status, transaction id, post id
    progress = threading.Semaphore(0)

    def post(n: int) -> None:
        try:
            r = requests.post(base + "/2/tweets", json={"text": f"in flight {n}"}, auth=auth, timeout=30)
        except requests.ConnectionError:
            answered.append((0, None, None))
        else:
            post_id = r.json()["data"]["id"] if r.status_code == 201 else None
            answered.append((r.status_code, r.headers.get("x-transaction-id"), post_id))
        progress.release()

    with ServerThread(sim) as server:
        base = server.base_url
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(post, n) for n in range(120)]
            for _ in range(30):
                progress.acquire()
            own_redis.restart(kill=kill)
            for _ in range(30):
                progress.acquire()
            own_redis.restart(kill=kill)
            for f in futures:
                f.result()
        # The next requests that reach Redis settle whatever got no answer.
        for _ in range(200):
            if requests.get(base + "/_xmock/health", timeout=10).status_code == 200:
                break
            threading.Event().wait(0.05)
        requests.get(base + "/_xmock/health", timeout=10)
    statuses = Counter(s for s, _, _ in answered)
    assert statuses[201] > 0 and set(statuses) <= {201, 503}, statuses
    created = {pid for s, _, pid in answered if s == 201}
    stored = {p.id for p in sim.store.posts_by_author(user_id)}
    assert stored == created  # every 201 has its post, and no failed request left one
    ledger = [e for e in sim.ledger(app_id) if e.get("endpoint") == "createPosts"]
    net: Counter[str] = Counter()
    for e in ledger:
        net[e["request_id"]] += 1 if e["kind"] == "charge" else -1
    ok_txids = {t for s, t, _ in answered if s == 201}
    assert {t for t, n in net.items() if n} == ok_txids  # one charge per 201; others none, or refunded
    assert all(n in (0, 1) for n in net.values())
    assert sim.balance(app_id) == start - Decimal("0.015") * len(created)
    # The journal never contradicts an answer (an entry can be lost while Redis is away).
    told = {t: s for s, t, _ in answered if t}
    for entry in sim.journal(endpoint="createPosts"):
        if entry["id"] in told:
            assert entry["status"] == told[entry["id"]]


def test_an_awaited_post_write_without_an_answer_is_taken_back(own_redis: RedisServer):
    store = RedisStore(f"{own_redis.url}?{FAST}", "unanswered-awaited")
    post = Post(id=str(10**17 + 1), text="lost", author_id="7", created_at=100.0, app_id="app")
    own_redis.pause()
    try:
        with pytest.raises(redis.TimeoutError):
            asyncio.run(store.create_post_tracked_async(post, None, None, None))
    finally:
        own_redis.resume()
    store.settle_unsettled()
    assert store.get_post(post.id) is None and store.r.exists(store.k("void", post.id))
