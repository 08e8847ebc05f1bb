"""Fault injection: statuses with X's bodies, latency, dropped connections, commit-then-drop."""

from __future__ import annotations

import time

import pytest
import requests

from xmock.simulator import Settings, Simulator
from xmock.simulator.control.errors import InvalidInput


def test_503_with_x_bodies_then_normal(world, sim, http):
    r = http.post(world.url("/_xmock/faults"), json={"path": "/2/tweets", "method": "POST", "status": 503, "count": 1})
    assert r.status_code == 201
    rule_id = r.json()["id"]
    s = world.session()
    r = s.post(world.url("/2/tweets"), json={"text": "first try"})
    assert (r.status_code, r.json()["detail"]) == (503, "Over capacity")
    assert s.post(world.url("/2/tweets"), json={"text": "first try"}).status_code == 201
    struck, after = sim.journal(path="/2/tweets")[-2:]
    assert struck["fault_id"] == rule_id and "fault_id" not in after  # the journal names the rule that struck
    sim.add_fault(path="/1.1/*", status=503)
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "v1"})
    assert r.json() == {"errors": [{"code": 130, "message": "Over capacity"}]}
    assert [e["kind"] for e in sim.ledger(world.app.id)] == ["grant", "charge"]  # faults cost nothing


def test_500_and_429_faults(world, sim):
    sim.add_fault(path="/2/users/me", status=500, count=1)
    sim.add_fault(path="/2/users/me", status=429, count=1)
    s = world.session()
    assert s.get(world.url("/2/users/me")).status_code == 500
    r = s.get(world.url("/2/users/me"))
    assert r.status_code == 429 and int(r.headers["x-rate-limit-reset"]) > time.time()
    assert s.get(world.url("/2/users/me")).status_code == 200


def test_fault_paths_follow_the_one_path_rule(world, sim):
    """Exact, `*`, X's templates: the same rule as the journal and assert_requested; no prefixes."""
    sim.add_fault(path="/2/users/m", status=500)  # a prefix of /2/users/me: matches nothing
    sim.add_fault(path="/2/users/:id/tweets", status=503, count=1)
    sim.add_fault(path="/2/users/{id}/mentions", status=502, count=1)
    s = world.session()
    assert s.get(world.url("/2/users/me")).status_code == 200
    assert s.get(world.url(f"/2/users/{world.user.id}/tweets")).status_code == 503
    assert s.get(world.url(f"/2/users/{world.user.id}/mentions")).status_code == 502
    assert s.get(world.url(f"/2/users/{world.user.id}/tweets")).status_code == 200


def test_latency(world, sim):
    sim.add_fault(path="/2/users/me", action="latency", latency_ms=300, count=1)
    started = time.monotonic()
    assert world.session().get(world.url("/2/users/me")).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_loses_the_request(world, sim):
    sim.add_fault(path="/2/tweets", action="drop", count=1)
    with pytest.raises(requests.ConnectionError):
        world.session().post(world.url("/2/tweets"), json={"text": "lost"})
    assert sim.store.posts_by_author(world.user.id) == []
    assert sim.journal(path="/2/tweets")[-1]["fault"] == "dropped"
    assert sim.journal(path="/2/tweets")[-1]["fault_id"] == sim.store.list_faults()[0]["id"]


def test_commit_then_drop_does_the_work_but_loses_the_answer(world, sim):
    sim.add_fault(path="/2/tweets", action="commit-then-drop", count=1)
    with pytest.raises(requests.ConnectionError):
        world.session().post(world.url("/2/tweets"), json={"text": "did it post?"})
    assert [p.text for p in sim.store.posts_by_author(world.user.id)] == ["did it post?"]
    r = world.session().post(world.url("/2/tweets"), json={"text": "did it post?"})
    assert r.status_code == 403  # a blind retry is a duplicate


def test_matching_by_app_and_user(world, sim):
    other = sim.create_user(username="other")
    sim.add_fault(user_id=other.id, status=500)
    assert world.session().get(world.url("/2/users/me")).status_code == 200
    s2 = world.session(sim.mint_oauth1_token(world.app.id, other.id))
    assert s2.get(world.url("/2/users/me")).status_code == 500
    sim.clear_faults()
    assert s2.get(world.url("/2/users/me")).status_code == 200


def test_probability_is_reproducible_with_a_seed():
    def pattern() -> list[bool]:
        sim = Simulator(Settings(seed=11))
        fault = sim.add_fault(path="/x", status=503, probability=0.5)
        return [sim.random.random() < fault["probability"] for _ in range(20)]

    assert pattern() == pattern()
    assert 0 < sum(pattern()) < 20


def test_fault_rules_are_validated_and_listed(world, http):
    assert http.post(world.url("/_xmock/faults"), json={"status": 200}).status_code == 400
    assert http.post(world.url("/_xmock/faults"), json={"action": "explode"}).status_code == 400
    assert http.post(world.url("/_xmock/faults"), json={"status": 500, "probability": 2}).status_code == 400
    rule = http.post(world.url("/_xmock/faults"), json={"status": 500, "path": "/2/nothing"}).json()
    assert http.get(world.url("/_xmock/faults")).json()["faults"][0]["id"] == rule["id"]
    assert http.delete(world.url(f"/_xmock/faults/{rule['id']}")).json() == {"removed": True}
    assert http.delete(world.url(f"/_xmock/faults/{rule['id']}")).status_code == 404


def test_tweepy_api_retries_a_503(world, sim):
    import tweepy

    from xmock.simulator.transport import mount

    sim.add_fault(path="/1.1/statuses/update.json", status=503, count=2)
    auth = tweepy.OAuth1UserHandler(
        world.app.consumer_key, world.app.consumer_secret, world.token.token, world.token.secret
    )
    api = tweepy.API(auth, retry_count=3, retry_delay=0, retry_errors={503})
    mount(api.session, world.base)
    assert api.update_status("third time lucky").text == "third time lucky"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"path": True, "status": 503}, "path: expected a string, got True"),
        ({"path": "2/tweets", "status": 503}, "path: expected a path such as /2/tweets"),
        ({"pth": "/2/tweets", "status": 503}, "unknown fault field 'pth'; did you mean 'path'?"),
        ({"method": "FETCH", "status": 503}, "method: expected one of GET, POST"),
        ({"status": True}, "status: expected an integer from 400 to 599, got True"),
        ({"action": "latency", "latency_ms": True}, "latency_ms: expected an integer from 0 to 60000, got True"),
        ({"status": 503, "probability": float("nan")}, "probability: expected a number above 0 up to 1, got nan"),
        ({"status": 503, "count": 0}, "count: expected an integer from 1 to"),
        ({"status": 503, "app_id": "\ud800"}, "app_id: expected an id (digits)"),
        ({"action": "explode"}, "action: expected one of status, latency, drop, commit-then-drop, disconnect"),
        ({"action": "disconnect", "disconnect_type": "Tired"}, "disconnect_type: expected, with action disconnect"),
        ({"status": 503, "disconnect_type": "SlowReader"}, "disconnect_type: expected, with action disconnect"),
    ],
)
def test_bad_rules_are_refused_before_they_are_stored(sim, rule, message):
    with pytest.raises(InvalidInput) as caught:
        sim.add_fault(**rule)
    assert caught.value.message.startswith(message), caught.value.message
    assert sim.store.list_faults() == []


def test_a_disconnect_rule_leaves_requests_alone(world, sim):
    rule = sim.add_fault(action="disconnect", path="/2/users/me")
    assert rule["disconnect_type"] == "OperationalDisconnect"
    assert world.session().get(world.url("/2/users/me")).status_code == 200
    assert sim.store.list_faults()[0]["applied"] == 0  # kept for open streams (tests/test_streams.py)
