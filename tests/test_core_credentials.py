"""A token's life as the control API and the dashboard show it, and a regenerated client secret: OAuth 1.0a and
2.0, on both stores."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from xmock.simulator import Simulator
from xmock.simulator.control.errors import ControlError
from xmock.simulator.inprocess import InProcessBridge
from xmock.simulator.redact import fingerprint


@pytest.fixture(params=["memory", "redis"])
def fresh(request: pytest.FixtureRequest) -> Simulator:
    if request.param == "memory":
        return Simulator()
    return Simulator(store=request.getfixturevalue("redis_server").store())


def test_oauth1_tokens_are_listed_with_their_life_and_no_secret(fresh: Simulator):
    sim = fresh
    sim.clock.freeze(1_800_000_000.0)
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    alice, bob = sim.create_user(), sim.create_user()
    first = sim.mint_oauth1_token(app.id, alice.id)
    sim.clock.advance(60)
    sim.mint_oauth1_token(app.id, bob.id)
    sim.clock.advance(60)
    assert sim.invalidate_oauth1_token(first.token)
    listed = sim.oauth1_tokens(app=app.id)
    assert [(t["user_id"], t["state"], t["created_at"], t["invalidated_at"]) for t in listed] == [
        (alice.id, "invalidated", 1_800_000_000.0, 1_800_000_120.0),
        (bob.id, "active", 1_800_000_060.0, None),
    ]
    assert [t["user_id"] for t in sim.oauth1_tokens(user=bob.id)] == [bob.id]
    assert first.token not in repr(listed) and first.secret not in repr(listed)
    sim.reset()
    assert sim.oauth1_tokens() == []


def test_an_oauth2_token_ended_early_keeps_its_planned_expiry(fresh: Simulator):
    sim = fresh
    sim.clock.freeze(1_800_000_000.0)
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    user = sim.create_user()
    access, _ = sim.mint_oauth2_token(app.id, user.id)
    planned = access.expires_at
    sim.clock.advance(30)
    assert sim.expire_oauth2_token(access.token)
    (shown,) = [t for t in sim.tokens() if t["kind"] == "access"]
    assert (shown["state"], shown["expires_at"], shown["planned_expires_at"]) == ("expired", 1_800_000_030.0, planned)
    assert not sim.expire_oauth2_token(access.token)  # ended once: its record stays as it was
    (again,) = [t for t in sim.tokens() if t["kind"] == "access"]
    assert again["planned_expires_at"] == planned


def _refresh(bridge: InProcessBridge, client_id: str, secret: str, refresh_token: str) -> tuple[int, dict]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    headers = [("authorization", f"Basic {basic}"), ("content-type", "application/x-www-form-urlencoded")]
    body = urlencode({"grant_type": "refresh_token", "refresh_token": refresh_token}).encode()
    status, _, answer = bridge.request("POST", "https://api.x.com/2/oauth2/token", headers, body)
    return status, json.loads(answer)


def test_a_regenerated_client_secret_refuses_the_old_one_at_the_token_endpoint(fresh: Simulator):
    sim = fresh
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    user = sim.create_user()
    access, refresh = sim.mint_oauth2_token(app.id, user.id)
    assert refresh is not None
    new = sim.regenerate_client_secret(app.id)
    assert new.client_secret != app.client_secret
    kept = (new.client_id, new.consumer_key, new.consumer_secret)
    assert kept == (app.client_id, app.consumer_key, app.consumer_secret)
    bridge = InProcessBridge(sim)
    try:
        me = [("authorization", f"Bearer {access.token}")]
        assert bridge.request("GET", "https://api.x.com/2/users/me", me, b"")[0] == 200  # issued tokens stay valid
        status, answer = _refresh(bridge, app.client_id, app.client_secret, refresh.token)
        assert (status, answer) == (
            401,
            {"error": "unauthorized_client", "error_description": "Missing valid authorization header"},
        )
        status, answer = _refresh(bridge, app.client_id, new.client_secret, refresh.token)
        assert status == 200 and answer["refresh_token"] != refresh.token
    finally:
        bridge.close()
    refused, refreshed = sim.journal(path="/2/oauth2/token")
    assert refused["app_id"] == app.id and refused["diagnosis"] == {
        "app_id": app.id,
        "client_id": app.client_id,
        "client_secret_fingerprint": fingerprint(app.client_secret),
    }
    assert refreshed["status"] == 200 and refreshed["app_id"] == app.id
    assert app.client_secret not in repr(sim.journal()) and new.client_secret not in repr(sim.journal())
    assert sim.app(app.id).client_secret == new.client_secret


def test_a_client_secret_is_regenerated_to_a_given_value_and_only_for_confidential_clients(fresh: Simulator):
    sim = fresh
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    assert sim.regenerate_client_secret(app.id, client_secret="given-secret").client_secret == "given-secret"
    assert sim.store.app_by_client_id(app.client_id).client_secret == "given-secret"
    public = sim.create_app(account.id, "Acme Mobile", use_case="A phone app", client_type="public")
    for app_id, kwargs, status in (
        (public.id, {}, 409),
        (app.id, {"client_secret": ""}, 400),
        (app.id, {"client_secret": "x" * 201}, 400),
        ("404404", {}, 404),
    ):
        with pytest.raises(ControlError) as caught:
            sim.regenerate_client_secret(app_id, **kwargs)
        assert caught.value.status == status
