"""The ASGI app: a store that cannot be reached gets X's 503, never a 500 or a traceback."""

from __future__ import annotations

import requests
from redis_support import RedisServer
from requests_oauthlib import OAuth1

from xmock.simulator import Simulator
from xmock.simulator.server import ServerThread
from xmock.simulator.store import MemoryStore


def _tenant(sim: Simulator) -> OAuth1:
    account = sim.create_account("Down Inc")
    app = sim.create_app(account.id, "down", use_case="outage drills")
    user = sim.create_user(account_id=account.id)
    token = sim.mint_oauth1_token(app.id, user.id)
    return OAuth1(app.consumer_key, app.consumer_secret, token.token, token.secret)


def test_a_redis_store_that_goes_away_is_answered_with_503():
    redis_server = RedisServer()  # its own: this test stops it
    sim = Simulator(store=redis_server.store())
    auth = _tenant(sim)
    with ServerThread(sim) as server:
        assert requests.get(server.base_url + "/2/users/me", auth=auth, timeout=10).status_code == 200
        redis_server.stop()
        r = requests.get(server.base_url + "/2/users/me", auth=auth, timeout=10)
        assert (r.status_code, r.json()["title"]) == (503, "Service Unavailable")
        r = requests.post(server.base_url + "/1.1/statuses/update.json", data={"status": "x"}, auth=auth, timeout=10)
        assert (r.status_code, r.json()) == (503, {"errors": [{"code": 130, "message": "Over capacity"}]})
        r = requests.get(server.base_url + "/_xmock/health", timeout=10)
        assert (r.status_code, r.json()) == (503, {"error": "the simulator's store is unreachable"})


class FlakyStore(MemoryStore):
    """A store whose rate-limit windows cannot be reached, as a shared store can fail mid-request."""

    unavailable = (ConnectionError,)
    down = False

    def rate_hit(self, buckets, now):
        if self.down:
            raise ConnectionError("gone")
        return super().rate_hit(buckets, now)

    def ledger(self):
        if self.down:
            raise ConnectionError("gone")
        return super().ledger()


def test_a_store_failing_mid_request_is_answered_with_503_and_the_rest_keeps_working():
    store = FlakyStore()
    sim = Simulator(store=store)
    auth = _tenant(sim)
    with ServerThread(sim) as server:
        store.down = True
        r = requests.get(server.base_url + "/2/users/me", auth=auth, timeout=10)
        assert (r.status_code, r.json()["detail"]) == (503, "Over capacity")
        assert sim.journal(status=503)[-1]["error"] == "the simulator's store is unreachable"
        r = requests.get(server.base_url + "/_xmock/ledger", timeout=10)
        assert r.status_code == 503
        store.down = False
        assert requests.get(server.base_url + "/2/users/me", auth=auth, timeout=10).status_code == 200


def test_a_control_token_guards_the_control_api_and_nothing_else():
    from xmock.simulator.redact import fingerprint

    sim = Simulator()
    with ServerThread(sim, control_token="right-token") as server:
        url = server.base_url + "/_xmock/apps"
        missing = requests.get(url, timeout=10)
        assert missing.status_code == 401 and missing.json()["error"] == "control token required"
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = requests.get(url, headers={"Authorization": "Bearer wrong-token"}, timeout=10)
        assert (wrong.status_code, wrong.json()["error"]) == (401, "control token not accepted")
        assert "send Authorization: Bearer <control token>" in wrong.json()["detail"]
        right = requests.get(url, headers={"Authorization": "Bearer right-token"}, timeout=10)
        assert right.status_code == 200
        assert requests.get(server.base_url + "/_xmock/health", timeout=10).status_code == 200
        assert requests.get(server.base_url + "/2/users/me", auth=_tenant(sim), timeout=10).status_code == 200
    refusals = sim.journal(path="/_xmock/apps", status=401)
    assert [e["token_fingerprint"] for e in refusals] == [None, fingerprint("wrong-token")]
    assert "wrong-token" not in str(sim.journal())


def test_a_certification_run_opens_only_the_clock_read_and_asks_loopback_for_the_token():
    from xmock.simulator.control.guard import CLOCK_READ

    sim = Simulator()
    with ServerThread(sim, control_token="run-token", open_reads=CLOCK_READ) as server:  # bound to 127.0.0.1
        assert requests.get(server.base_url + "/_xmock/clock", timeout=10).status_code == 200
        assert requests.post(server.base_url + "/_xmock/clock", json={"advance": 60}, timeout=10).status_code == 401
        assert requests.delete(server.base_url + "/_xmock/faults", timeout=10).status_code == 401
    assert [(e["method"], e["path"]) for e in sim.journal(status=401)] == [
        ("POST", "/_xmock/clock"),
        ("DELETE", "/_xmock/faults"),
    ]
