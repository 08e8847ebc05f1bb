"""The control API under /_xmock/."""

from __future__ import annotations

import json

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
