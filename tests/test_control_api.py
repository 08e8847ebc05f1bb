"""The control API under /_xmock/."""

from __future__ import annotations

import json

import pytest

from xmock.simulator.control.errors import ControlError

X_CK, X_CS = "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"


def test_setup_through_http_and_a_signed_call(base, http):
    assert http.get(base + "/_xmock/health").json()["status"] == "ok"
    account = http.post(base + "/_xmock/accounts", json={"name": "Tenant One"})
    assert account.status_code == 201
    app = http.post(
        base + "/_xmock/apps",
        json={
            "account_id": account.json()["id"],
            "name": "Tenant One App",
            "use_case": "Own brand posting",
            "callback_urls": ["https://t1.example/cb"],
            "permission": "read-write",
            "consumer_key": X_CK,
            "consumer_secret": X_CS,
        },
    ).json()
    assert (app["consumer_key"], app["consumer_secret"]) == (X_CK, X_CS)
    assert app["client_id"] and app["client_secret"]
    user = http.post(base + "/_xmock/users", json={"username": "tenant_user", "account_id": account.json()["id"]})
    assert user.json()["tenant_account_id"] == account.json()["id"]
    token = http.post(base + "/_xmock/tokens/oauth1", json={"app_id": app["id"], "user_id": user.json()["id"]}).json()
    assert token["token"].startswith(user.json()["id"] + "-")
    from requests_oauthlib import OAuth1Session

    s = OAuth1Session(
        X_CK,
        client_secret=X_CS,
        resource_owner_key=token["token"],
        resource_owner_secret=token["token_secret"],
    )
    assert s.get(base + "/2/users/me").json()["data"]["username"] == "tenant_user"
    listed = http.get(base + "/_xmock/apps").json()["apps"][0]
    assert "consumer_secret" not in listed and listed["consumer_secret_fingerprint"].startswith("fp:")


def test_user_and_token_values_can_be_given(base, http, world):
    user = http.post(base + "/_xmock/users", json={"id": "370773112", "username": "xapi", "name": "X API"}).json()
    assert user["id"] == "370773112"
    tok = http.post(
        base + "/_xmock/tokens/oauth1",
        json={
            "app_id": world.app.id,
            "user_id": "370773112",
            "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            "secret": "s",
        },
    )
    assert tok.status_code == 201
    bad = http.post(
        base + "/_xmock/tokens/oauth1",
        json={"app_id": world.app.id, "user_id": "370773112", "token": "no-user-prefix"},
    )
    assert bad.status_code == 400


def test_control_errors_are_clear(base, http, world):
    assert http.post(base + "/_xmock/accounts", json={}).json() == {"error": "missing field(s): name"}
    assert http.post(base + "/_xmock/accounts", data="{not json").status_code == 400
    assert http.post(base + "/_xmock/apps", json={"account_id": "1", "name": "x"}).status_code == 404
    r = http.post(base + "/_xmock/apps", json={"account_id": world.account.id, "name": "x", "permission": "all"})
    assert r.status_code == 400
    r = http.post(
        base + "/_xmock/apps",
        json={"account_id": world.account.id, "name": "x", "consumer_key": world.app.consumer_key},
    )
    assert r.status_code == 409
    assert http.post(base + "/_xmock/users", json={"username": "acme"}).status_code == 409
    assert http.post(base + "/_xmock/users", json={"colour": "red"}).status_code == 400
    assert http.get(base + "/_xmock/nothing").json() == {"error": "Not Found"}
    assert http.post(base + "/_xmock/clock", json={"advance": "soon"}).status_code == 400
    assert http.get(base + "/_xmock/journal?colour=red").status_code == 400


def test_stats_count_every_answer(base, http, world):
    s = world.session()
    s.post(world.url("/2/tweets"), json={"text": "counted"})
    s.post(world.url("/2/tweets"), json={"text": "counted"})
    http.get(world.url("/2/users/me"))
    stats = http.get(base + "/_xmock/stats").json()
    assert stats["requests"] == 3
    assert stats["by_status"] == {"201": 1, "403": 1, "401": 1}
    assert stats["by_app"][world.app.id] == {"201": 1, "403": 1}
    assert stats["credits_spent"][world.app.id] == "0.015"
    assert stats["findings"] == {"duplicate-content": 1}


def test_clock_over_http(base, http):
    state = http.post(base + "/_xmock/clock", json={"freeze": True, "at": "2026-03-01T00:00:00Z"}).json()
    assert state["frozen"] and state["iso"] == "2026-03-01T00:00:00.000Z"
    assert http.post(base + "/_xmock/clock", json={"advance": 7201}).json()["iso"] == "2026-03-01T02:00:01.000Z"
    assert http.post(base + "/_xmock/clock", json={"set": 0}).json()["now"] == 0
    assert http.post(base + "/_xmock/clock", json={"resume": True}).json()["frozen"] is False
    assert http.post(base + "/_xmock/clock", json={"reset": True}).json()["offset_seconds"] == 0


def test_journal_filters(base, http, world, sim):
    s = world.session()
    s.post(world.url("/2/tweets"), json={"text": "journalled"})
    s.get(world.url("/2/users/me"))
    http.get(world.url("/2/users/me"))
    entries = http.get(base + "/_xmock/journal", params={"app": world.app.id}).json()["entries"]
    assert [e["path"] for e in entries] == ["/2/tweets", "/2/users/me"]
    assert entries[0]["status"] == 201 and entries[0]["user_id"] == world.user.id
    assert entries[0]["resource_ids"]
    assert http.get(base + "/_xmock/journal", params={"status": 401}).json()["count"] == 1
    assert http.get(base + "/_xmock/journal", params={"path": "/2/users/*"}).json()["count"] == 2
    assert http.get(base + "/_xmock/journal", params={"user": world.user.id, "limit": 1}).json()["count"] == 1
    assert world.token.token not in json.dumps(entries)


def test_suspend_regenerate_and_reset_over_http(base, http, world):
    assert http.post(base + f"/_xmock/apps/{world.app.id}/suspend").json()["suspended"] is True
    assert world.session().get(world.url("/2/users/me")).status_code == 401
    assert http.post(base + f"/_xmock/apps/{world.app.id}/unsuspend").json()["suspended"] is False
    keys = http.post(base + f"/_xmock/apps/{world.app.id}/keys", json={}).json()
    assert keys["consumer_key"] != world.app.consumer_key and keys["consumer_secret"]
    assert http.patch(base + "/_xmock/settings", json={"duplicate_window": 60}).json()["duplicate_window"] == 60
    assert http.patch(base + "/_xmock/settings", json={"consent_mode": "maybe"}).status_code == 400
    assert http.post(base + "/_xmock/reset").json() == {"reset": True}
    assert http.get(base + "/_xmock/apps").json() == {"apps": []}


def test_regenerating_the_client_secret_over_http(base, http, world):
    url = base + f"/_xmock/apps/{world.app.id}/client-secret"
    fresh = http.post(url, json={}).json()
    assert fresh["client_id"] == world.app.client_id and fresh["client_secret"] not in ("", world.app.client_secret)
    assert fresh["consumer_key"] == world.app.consumer_key  # the OAuth 1.0a pair is regenerated on its own
    assert http.post(url, json={"client_secret": "chosen"}).json()["client_secret"] == "chosen"
    assert http.post(url, json={"consumer_key": "k"}).status_code == 400
    assert http.post(url, json={"client_secret": 5}).status_code == 400
    assert http.post(base + "/_xmock/apps/404404/client-secret", json={}).status_code == 404


POISON = [
    ("POST", "/_xmock/clock", b'{"set": 1e400}', "set: the simulator's clock runs from 1970"),
    ("POST", "/_xmock/clock", b'{"set": 9223372036854775808}', "set: the simulator's clock runs"),
    ("POST", "/_xmock/clock", b'{"set": "Infinity"}', "set: the simulator's clock runs"),
    ("POST", "/_xmock/clock", b'{"freeze": true, "at": "9999-12-31T23:59:59Z"}', "at: the simulator's clock runs"),
    ("POST", "/_xmock/clock", b'{"set": "0001-01-01T00:00:00+01:00"}', "set: the simulator's clock runs"),
    ("POST", "/_xmock/clock", b'{"advance": 1e300}', "advance: the simulator's clock runs"),
    ("POST", "/_xmock/clock", b'{"reset": "no"}', "reset: expected true or false, got 'no'"),
    ("PATCH", "/_xmock/settings", b'{"billing": null}', "billing: expected true or false, got None"),
    ("PATCH", "/_xmock/settings", b'{"similarity": NaN}', "the body must be a JSON object"),
    ("PATCH", "/_xmock/settings", b'{"billing": "no"}', "billing: expected true or false, got 'no'"),
    ("PATCH", "/_xmock/settings", b'{"biling": false}', "unknown setting 'biling'; did you mean 'billing'?"),
    ("POST", "/_xmock/faults", b'{"path": true, "status": 503}', "path: expected a string, got True"),
    ("POST", "/_xmock/faults", b'{"pth": "/2/tweets", "status": 503}', "unknown fault field 'pth'; did you mean"),
    ("POST", "/_xmock/users", b'{"name": "\\ud800"}', "name: text must be valid UTF-8 (no lone surrogates)"),
    ("POST", "/_xmock/accounts", b'{"name": "x\\udfff"}', "name: text must be valid UTF-8 (no lone surrogates)"),
    ("POST", "/_xmock/accounts", b'{"nam": "Acme"}', "unknown field 'nam'; did you mean 'name'?"),
]


@pytest.mark.parametrize(("method", "path", "body", "message"), POISON)
def test_refused_values_leave_everything_answering(base, http, world, method, path, body, message):
    before = http.get(base + "/_xmock/clock").json()["offset_seconds"]
    r = http.request(method, base + path, data=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"].startswith(message), r.text
    assert http.get(base + "/_xmock/health").json()["status"] == "ok"
    assert http.get(base + "/_xmock/journal").status_code == 200
    assert http.get(base + "/_xmock/settings").status_code == 200
    assert http.get(base + "/_xmock/faults").json() == {"faults": []}
    assert abs(http.get(base + "/_xmock/clock").json()["offset_seconds"] - before) < 5
    assert world.session().get(world.url("/2/users/me")).json()["data"]["id"] == world.user.id


def test_python_api_refuses_with_the_same_error(sim, world):
    with pytest.raises(ControlError, match=r"^name: text must be valid UTF-8"):
        sim.create_user(name="\ud800")
    with pytest.raises(ControlError, match=r"^protected: expected true or false, got 'no'"):
        sim.create_user(protected="no")
    with pytest.raises(ControlError, match=r"^unknown user field 'colour'"):
        sim.create_user(colour="red")
    with pytest.raises(ControlError, match=r"^set: the simulator's clock runs"):
        sim.clock.set(2**63)
    with pytest.raises(ControlError, match=r"^enabled: expected true or false"):
        sim.set_app_limits(world.app.id, enabled="no")
    with pytest.raises(ControlError, match=r"^unknown rate-limit class 'users:mee'; did you mean 'users:me'\?"):
        sim.set_app_limits(world.app.id, limits={"users:mee": []})
    with pytest.raises(ControlError, match=r"^an amount: expected a non-negative number of US dollars up to"):
        sim.set_credits(world.app.id, "1e12")
    assert len(sim.store.list_users()) == 1 and sim.store.get_app_limits(world.app.id) is None


def test_consent_switches_take_booleans(base, http):
    r = http.post(base + "/_xmock/oauth1/authorize", json={"oauth_token": "t", "approve": "no"})
    assert r.json() == {"error": "approve: expected true or false, got 'no'"}
