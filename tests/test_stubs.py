"""Stubs: one request answered with what the test asks for, after authentication; everything else keeps X's
behaviour. Declared through the control API and in process, on both stores."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_oauthlib import OAuth1

from xmock.simulator import Simulator
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.stubs import path_matches


def test_a_stub_answers_once_then_x_answers(world, sim, http):
    r = http.post(
        world.url("/_xmock/stubs"),
        json={
            "method": "GET",
            "path": "/2/users/me",
            "status": 503,
            "body": {"title": "Service Unavailable", "detail": "stubbed"},
            "headers": {"Retry-After": "7"},
            "count": 1,
        },
    )
    assert r.status_code == 201, r.text
    stub = r.json()
    s = world.session()
    first = s.get(world.url("/2/users/me"))
    assert (first.status_code, first.json()["detail"], first.headers["retry-after"]) == (503, "stubbed", "7")
    assert first.headers["content-type"].startswith("application/json")
    assert s.get(world.url("/2/users/me")).json()["data"]["id"] == world.user.id  # X's answer again
    entries = sim.journal(path="/2/users/me")
    assert [e.get("stub") for e in entries] == [stub["id"], None]
    assert http.get(world.url("/_xmock/stubs")).json()["stubs"][0]["applied"] == 1


def test_a_stubbed_write_changes_nothing_and_costs_nothing(world, sim):
    sim.add_stub(method="POST", path="/2/tweets", status=201, body={"data": {"id": "1", "text": "stubbed"}})
    r = world.session().post(world.url("/2/tweets"), json={"text": "hello"})
    assert (r.status_code, r.json()["data"]["text"]) == (201, "stubbed")
    assert sim.store.posts_by_author(world.user.id) == []
    assert [e["kind"] for e in sim.ledger(world.app.id)] == ["grant"]


def test_authentication_comes_first(world, sim, http):
    sim.add_stub(path="/2/users/me", status=200, body={"data": {"id": "1"}})
    r = http.get(world.url("/2/users/me"))  # no credentials: X's 401, not the stub
    assert r.status_code == 401
    assert sim.list_stubs()[0]["applied"] == 0


def test_filters_by_app_user_and_path_template(world, sim):
    other = sim.create_user(account_id=world.account.id)
    other_token = sim.mint_oauth1_token(world.app.id, other.id)
    sim.add_stub(path="/2/users/:id/tweets", user_id=world.user.id, status=500, body="plain words")
    mine = world.session().get(world.url(f"/2/users/{world.user.id}/tweets"))
    assert (mine.status_code, mine.text) == (500, "plain words")
    assert mine.headers["content-type"] == "text/plain; charset=utf-8"
    theirs = world.session(other_token).get(world.url(f"/2/users/{world.user.id}/tweets"))
    assert theirs.status_code == 200
    sim.clear_stubs()
    sim.add_stub(path="/2/users/*", app_id="12345", status=500)  # another app: never matches
    assert world.session().get(world.url("/2/users/me")).status_code == 200


def test_probability_is_drawn_from_the_seeded_randomness(base, sim):
    def statuses() -> list[int]:
        sim.configure(seed=7)
        sim.reset()
        account = sim.create_account("Seeded")
        app = sim.create_app(account.id, "Seeded app")
        token = sim.mint_oauth1_token(app.id, sim.create_user(account_id=account.id).id)
        sim.add_stub(path="/2/users/me", status=418, probability=0.5)
        auth = OAuth1(app.consumer_key, app.consumer_secret, token.token, token.secret)
        return [requests.get(base + "/2/users/me", auth=auth).status_code for _ in range(16)]

    first = statuses()
    assert set(first) == {200, 418}
    assert statuses() == first


def test_no_body_for_204(world, sim):
    sim.add_stub(method="DELETE", path="/2/tweets/{id}", status=204)
    r = world.session().delete(world.url("/2/tweets/123"))
    assert (r.status_code, r.content) == (204, b"")


@pytest.mark.parametrize(
    ("stub", "message"),
    [
        ({"status": 199}, "status: expected an integer from 200 to 599"),
        ({"path": "2/tweets"}, "path: expected a path"),
        ({"body": {"a": float("nan")}}, "body: expected JSON"),
        ({"status": 204, "body": {"a": 1}}, "body: a 204 answer has no body"),
        ({"headers": {"Content-Length": "3"}}, "written by the server"),
        ({"headers": {"X-A": "one\r\ntwo"}}, "expected one line of text"),
        ({"headers": {"bad name": "v"}}, "expected a header name"),
        ({"headers": ["X-A", "v"]}, "headers: expected an object"),
        ({"count": 0}, "count: expected an integer from 1"),
        ({"probability": 0}, "probability: expected a number above 0"),
        ({"required": "no"}, "required: expected true or false"),
        ({"stauts": 500}, "stauts"),
    ],
)
def test_refusals_name_the_field(sim, stub, message):
    with pytest.raises(InvalidInput, match=message):
        sim.add_stub(**stub)
    assert sim.list_stubs() == []


def test_control_api_refusals_and_removal(world, sim, http):
    r = http.post(world.url("/_xmock/stubs"), json={"status": "teapot"})
    assert r.status_code == 400 and "status" in r.json()["error"]
    stub = http.post(world.url("/_xmock/stubs"), json={"path": "/2/users/me", "status": 500}).json()
    assert http.delete(world.url("/_xmock/stubs/nope")).status_code == 404
    assert http.delete(world.url(f"/_xmock/stubs/{stub['id']}")).json() == {"removed": True}
    http.post(world.url("/_xmock/stubs"), json={"path": "/2/users/me", "status": 500})
    assert http.delete(world.url("/_xmock/stubs")).json() == {"removed": True}
    assert http.get(world.url("/_xmock/stubs")).json() == {"stubs": []}


def test_unused_lists_stubs_and_faults_never_used(world, sim, http):
    used = sim.add_stub(path="/2/users/me", status=500)
    idle = sim.add_stub(path="/2/tweets", status=500)
    sim.add_stub(path="/2/tweets/search/recent", status=500, required=False)
    fault = sim.add_fault(path="/2/lists", status=503)
    world.session().get(world.url("/2/users/me"))
    unused = http.get(world.url("/_xmock/unused")).json()
    assert [s["id"] for s in unused["stubs"]] == [idle["id"]]
    assert [f["id"] for f in unused["faults"]] == [fault["id"]]
    report = sim.unused_report()
    assert f"stub {idle['id']}: /2/tweets -> 500" in report and f"fault rule {fault['id']}: /2/lists" in report
    assert used["id"] not in report


def test_stubs_on_the_redis_store(redis_server):
    sim = Simulator(store=redis_server.store())
    other = Simulator(store=sim.store, join=True)  # a second process on the same store
    stub = sim.add_stub(path="/2/users/me", status=503, count=2, headers={"x-a": "1"})
    assert [s["id"] for s in other.list_stubs()] == [stub["id"]]
    assert other.store.take_stub(stub["id"]) and sim.store.take_stub(stub["id"])
    assert not other.store.take_stub(stub["id"])  # two answers, then none
    kept = sim.list_stubs()[0]
    assert (kept["applied"], kept["count"], kept["headers"], kept["required"]) == (2, 0, {"x-a": "1"}, True)
    assert other.unused() == {"stubs": [], "faults": []}
    assert sim.remove_stub(stub["id"]) and other.list_stubs() == []


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/2/tweets", "/2/tweets", True),
        ("/2/tweets", "/2/tweets/1", False),
        ("/2/tweets*", "/2/tweets/1", True),
        ("/2/users/:id/tweets", "/2/users/12/tweets", True),
        ("/2/users/{id}/tweets", "/2/users/12/tweets", True),
        ("/2/users/:id/tweets", "/2/users/12/x/tweets", False),
        ("/2/users/*/tweets", "/2/users/12/x/tweets", True),
        ("/2/a.b", "/2/aXb", False),
    ],
)
def test_path_matches(pattern, path, expected):
    assert path_matches(pattern, path) is expected


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["status", "body", "headers", "path", "count", "method"]), VALUES))
def test_any_stub_is_kept_or_refused_with_a_message(sim, stub):
    try:
        sim.add_stub(**stub)
    except InvalidInput as exc:
        assert str(exc)


def test_an_error_status_without_a_body_gets_xs_body_for_it(world, sim):
    sim.add_stub(path="/1.1/statuses/update.json", status=503, count=1)
    sim.add_stub(path="/2/users/me", status=429, headers={"x-rate-limit-limit": "75"}, count=1)
    v1 = world.session().post(world.url("/1.1/statuses/update.json"), data={"status": "hi"})
    assert (v1.status_code, v1.json()) == (503, {"errors": [{"code": 130, "message": "Over capacity"}]})
    limited = world.session().get(world.url("/2/users/me"))
    assert limited.status_code == 429 and limited.json()["title"] == "Too Many Requests"
    assert int(limited.headers["x-rate-limit-reset"]) == int(sim.clock.now()) + 60
    assert limited.headers["x-rate-limit-limit"] == "75"  # the stub's own header wins


def test_tweepy_waits_out_a_stubbed_429(x_mock, x_sim, x_clock, x_user):
    import tweepy

    x_clock.travel()
    x_sim.stub("GET", "/2/users/me", status=429, count=1)
    client = tweepy.Client(**x_user.tweepy_kwargs, wait_on_rate_limit=True)
    started = x_clock.now()
    assert client.get_me(user_auth=True).data.id == int(x_user.id)
    assert 60 <= x_clock.now() - started <= 62
