"""Many processes, one world: `xmock serve --store redis:// --workers 2`, plus a second server that
joins the same Redis namespace (another host, as far as the world can tell); on one Redis, and on a
Redis Cluster.

Races are sent to both at once, so at least two processes contend for every refresh token,
credit and rate-limit window.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import httpx
import pytest
import requests
from locust_support import run as locust_run
from locust_support import totals as locust_totals
from redis_support import RedisCluster, RedisServer
from requests_oauthlib import OAuth1
from serve_support import ServeProcess
from signing import oauthlib_headers


@dataclass
class Farm:
    workers: ServeProcess  # two worker processes on one port
    joined: ServeProcess  # one more process, started with --join

    @property
    def urls(self) -> list[str]:
        return [self.workers.base_url, self.joined.base_url]

    def control(self, method: str, path: str, url: str | None = None, **kwargs) -> dict:
        r = httpx.request(method, (url or self.workers.base_url) + "/_xmock" + path, timeout=30, **kwargs)
        assert r.status_code < 400, r.text
        return r.json()


@pytest.fixture(scope="module", params=["redis", "cluster"])
def farm(request: pytest.FixtureRequest) -> Iterator[Farm]:
    """The processes on one Redis, then on a three-master Redis Cluster (the world on the master of its slot)."""
    server = RedisServer() if request.param == "redis" else RedisCluster()
    namespace = f"w{uuid.uuid4().hex[:8]}"
    try:
        with ServeProcess("--store", server.url, "--namespace", namespace, "--workers", "2") as workers:  # noqa: SIM117
            with ServeProcess("--store", server.url, "--namespace", namespace, "--join") as joined:
                yield Farm(workers, joined)
    finally:
        server.stop()


@dataclass
class Tenant:
    app: dict
    users: list[dict]
    tokens: list[dict]

    def auth(self, i: int = 0) -> OAuth1:
        return OAuth1(
            self.app["consumer_key"],
            self.app["consumer_secret"],
            self.tokens[i]["token"],
            self.tokens[i]["token_secret"],
        )


@pytest.fixture
def tenant(farm: Farm) -> Tenant:
    farm.control("POST", "/reset")
    account = farm.control("POST", "/accounts", json={"name": "Many Workers Inc"})
    app = farm.control("POST", "/apps", json={"account_id": account["id"], "name": "scale", "use_case": "load"})
    users = [farm.control("POST", "/users", json={"account_id": account["id"]}) for _ in range(4)]
    tokens = [farm.control("POST", "/tokens/oauth1", json={"app_id": app["id"], "user_id": u["id"]}) for u in users]
    return Tenant(app, users, tokens)


def race(n: int, send: Callable[[int], requests.Response]) -> Counter[int]:
    """`n` requests released together, each on its own connection; their statuses."""
    gate = threading.Barrier(n)
    statuses: list[int] = []

    def one(i: int) -> None:
        gate.wait()
        statuses.append(send(i).status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(statuses)


def test_two_workers_and_a_joined_server_answer_as_distinct_processes(farm: Farm):
    seen: set[tuple[int, int]] = set()
    with ThreadPoolExecutor(max_workers=8) as pool:  # the kernel hands each new connection to one worker
        for _ in range(50):
            seen |= {(h["worker"]["pid"], h["worker"]["id"]) for h in pool.map(partial(_health, farm), range(8))}
            if len(seen) >= 3:
                break
    assert len({pid for pid, _ in seen}) == 3, "both workers and the joined server answered"
    assert len({wid for _, wid in seen}) == 3, "each process has its own snowflake worker id"
    assert all(h["store"] == "redis" for h in _healths(farm, 2))


def _health(farm: Farm, i: int) -> dict:
    with httpx.Client() as fresh:
        return fresh.get(farm.urls[i % 2] + "/_xmock/health").json()


def _healths(farm: Farm, n: int) -> list[dict]:
    out = []
    for i in range(n):
        with httpx.Client() as fresh:  # a new connection each time, so the kernel picks a worker
            out.append(fresh.get(farm.urls[i % 2] + "/_xmock/health").json())
    return out


def test_a_refresh_token_raced_from_several_processes_succeeds_once(farm: Farm, tenant: Tenant):
    minted = farm.control("POST", "/tokens/oauth2", json={"app_id": tenant.app["id"], "user_id": tenant.users[0]["id"]})
    client = (tenant.app["client_id"], tenant.app["client_secret"])

    def refresh(i: int) -> requests.Response:
        data = {"grant_type": "refresh_token", "refresh_token": minted["refresh_token"]}
        return requests.post(farm.urls[i % 2] + "/2/oauth2/token", data=data, auth=client, timeout=30)

    assert race(12, refresh) == Counter({200: 1, 400: 11})


def test_credits_raced_from_several_processes_are_never_overspent(farm: Farm, tenant: Tenant):
    app_id = tenant.app["id"]
    farm.control("POST", f"/apps/{app_id}/credits", json={"set": "0.75"})  # 50 posts at $0.015

    def post(i: int) -> requests.Response:
        text = f"status {i} {uuid.uuid4().hex}"
        return requests.post(farm.urls[i % 2] + "/2/tweets", json={"text": text}, auth=tenant.auth(i % 4), timeout=30)

    assert race(120, post) == Counter({201: 50, 402: 70})
    assert farm.control("GET", f"/apps/{app_id}/credits", url=farm.joined.base_url)["balance"] == "0.00"
    charges = [e for e in farm.control("GET", "/ledger")["entries"] if e.get("kind") == "charge"]
    assert len(charges) == 50


def test_a_rate_limit_admits_exactly_its_number_across_processes(farm: Farm, tenant: Tenant):
    app_id = tenant.app["id"]
    farm.control("PATCH", f"/apps/{app_id}/limits", json={"limits": {"users:me": [{"who": "user", "limit": 10}]}})

    def me(i: int) -> requests.Response:
        return requests.get(farm.urls[i % 2] + "/2/users/me", auth=tenant.auth(0), timeout=30)

    assert race(40, me) == Counter({200: 10, 429: 30})


def test_a_nonce_replayed_to_another_process_is_refused(farm: Farm, tenant: Tenant):
    app, token = tenant.app, tenant.tokens[0]
    headers = oauthlib_headers(
        "https://api.x.com/2/users/me", "GET", app["consumer_key"], app["consumer_secret"],
        token["token"], token["token_secret"],
    )  # fmt: skip
    first = requests.get(farm.workers.base_url + "/2/users/me", headers=headers, timeout=30)
    replay = requests.get(farm.joined.base_url + "/2/users/me", headers=headers, timeout=30)
    assert (first.status_code, replay.status_code) == (200, 401)
    refused = farm.control("GET", "/journal", params={"status": "401"})["entries"]
    assert refused[-1]["error"] == "nonce already used with this timestamp"


def test_the_clock_moved_through_one_process_moves_for_all(farm: Farm, tenant: Tenant):
    farm.control("POST", "/clock", json={"freeze": True, "at": "2027-01-01T00:00:00Z"}, url=farm.joined.base_url)
    assert {h["clock"]["iso"] for h in _healths(farm, 10)} == {"2027-01-01T00:00:00.000Z"}
    farm.control("POST", "/clock", json={"advance": 7200})
    assert {h["clock"]["iso"] for h in _healths(farm, 10)} == {"2027-01-01T02:00:00.000Z"}
    farm.control("POST", "/clock", json={"reset": True}, url=farm.joined.base_url)
    assert not any(h["clock"]["frozen"] for h in _healths(farm, 10))


def test_settings_changed_through_one_process_hold_on_all(farm: Farm, tenant: Tenant):
    farm.control("PATCH", "/settings", json={"billing": False}, url=farm.joined.base_url)
    app_id = tenant.app["id"]
    for i in range(6):
        r = requests.post(
            farm.urls[i % 2] + "/2/tweets", json={"text": f"free {i}"}, auth=tenant.auth(i % 4), timeout=30
        )
        assert r.status_code == 201
    assert farm.control("GET", f"/apps/{app_id}/credits")["balance"] == "10.00"


def test_journal_and_findings_from_every_process_are_visible_from_any(farm: Farm, tenant: Tenant):
    text = "Big launch today, read all about it"
    for i, url in enumerate(farm.urls):
        assert requests.post(url + "/2/tweets", json={"text": text}, auth=tenant.auth(i), timeout=30).status_code == 201
    for url in farm.urls:
        posts = [e for e in farm.control("GET", "/journal", url=url, params={"path": "/2/tweets"})["entries"]]
        assert {e["user_id"] for e in posts} == {tenant.users[0]["id"], tenant.users[1]["id"]}
        rules = {f["rule"] for f in farm.control("GET", "/findings", url=url)["findings"]}
        assert "duplicate-content-across-accounts" in rules
    stats = farm.control("GET", "/stats", url=farm.joined.base_url)
    assert stats["by_app"][tenant.app["id"]]["201"] == 2
    # each post was answered by another process, and the stats say which
    workers = {e["worker"] for url in farm.urls for e in farm.control("GET", "/journal", url=url)["entries"]}
    assert len(workers) >= 2 and set(stats["by_worker"]) >= {str(w) for w in workers}


def test_changes_to_faults_tokens_and_apps_reach_every_process_at_its_next_request(farm: Farm, tenant: Tenant):
    def me(i: int, token: int = 0) -> int:
        return requests.get(farm.urls[i % 2] + "/2/users/me", auth=tenant.auth(token), timeout=30).status_code

    assert [me(i) for i in range(6)] == [200] * 6  # every process has looked the app and token up
    farm.control("POST", "/faults", json={"path": "/2/users/me", "status": 503, "count": 2}, url=farm.joined.base_url)
    assert sorted(me(i) for i in range(4)) == [200, 200, 503, 503]
    farm.control("POST", "/tokens/oauth1/invalidate", json={"token": tenant.tokens[0]["token"]})
    assert {me(i) for i in range(4)} == {401}
    farm.control("POST", f"/apps/{tenant.app['id']}/suspend", url=farm.joined.base_url)
    assert {me(i, token=1) for i in range(4)} == {401}
    refused = farm.control("GET", "/journal", params={"status": "401"})["entries"][-8:]
    assert [e["error"] for e in refused] == ["access token was invalidated"] * 4 + ["the app is suspended"] * 4


def test_locust_drives_the_processes_with_only_the_answers_x_would_give(farm: Farm, tmp_path):
    farm.control("POST", "/reset")
    # Six seconds, tenant setup included: room for a busy machine to get traffic going.
    args = ["-f", "loadtests/x_api.py", "--headless", "-H", farm.workers.base_url, "-u", "4", "-r", "4", "-t", "6s"]
    result = locust_run([*args, "--csv", str(tmp_path / "x"), "--only-summary"], {"XMOCK_TENANTS": "2"})
    assert result.returncode == 0, result.stderr[-2000:]
    seen = locust_totals(tmp_path / "x")
    assert seen["requests"] > 20 and seen["failures"] == 0
    # tenants were created through one process; the other answers for them and counts it all
    assert farm.control("GET", "/stats", url=farm.joined.base_url)["requests"] >= seen["requests"]


def test_in_memory_workers_are_distinct_processes_with_their_own_worker_ids():
    with ServeProcess("--workers", "2") as server:
        farm = Farm(server, server)
        seen: set[tuple[int, int]] = set()
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(50):
                healths = list(pool.map(partial(_health, farm), range(8)))
                seen |= {(h["worker"]["pid"], h["worker"]["id"]) for h in healths}
                if len(seen) >= 2:
                    break
        assert {h["store"] for h in healths} == {"memory"}
        assert len({pid for pid, _ in seen}) == 2 and len({wid for _, wid in seen}) == 2


def test_a_worker_killed_is_replaced_and_the_server_keeps_answering():
    with ServeProcess("--workers", "2") as server:
        before = server.worker_pids()
        assert len(before) == 2
        lost = min(before)
        os.kill(lost, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:  # the supervisor notices and forks a replacement
            now = server.worker_pids()
            if len(now) == 2 and lost not in now:
                break
            assert time.monotonic() < deadline, f"no replacement for worker {lost}: {now}"
            time.sleep(0.05)
        replacement = (now - before).pop()
        answered: set[int] = set()
        for _ in range(200):
            with httpx.Client() as fresh:  # a new connection each time, so the kernel picks a worker
                r = fresh.get(server.base_url + "/_xmock/health")
            assert r.status_code == 200
            answered.add(r.json()["worker"]["pid"])
            if replacement in answered:
                break
        assert replacement in answered and lost not in answered
        err = server.stop()
    assert "exited (-9); starting a new one" in err


def test_a_supervisor_gives_up_on_a_worker_that_keeps_dying_at_start(monkeypatch):
    from xmock.simulator import workers

    monkeypatch.setattr(workers, "BACKOFF", (0.0, 0.0))
    started: list[int] = []

    def spawn(index: int) -> int:  # a worker that dies at once, every time
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        started.append(index)
        return pid

    assert workers.Supervisor(spawn, 2).run() == 1
    assert started.count(1) + started.count(2) <= 2 * workers.RESTARTS_AT_START
    assert max(started.count(1), started.count(2)) == workers.RESTARTS_AT_START


def test_ctrl_c_stops_a_one_process_server_without_a_traceback():
    with ServeProcess("--json") as served:
        assert httpx.get(served.base_url + "/_xmock/health", timeout=10).status_code == 200
        told = served.stop()  # SIGINT, as Ctrl+C sends
    assert "Control API" in told
    assert "Traceback" not in told and "KeyboardInterrupt" not in told
