"""The token endpoint by hand: exchange, lifetimes, rotation, races, revocation and every error."""

from __future__ import annotations

import base64
import threading

import requests
from oauth2_support import (
    CB,
    REUSED,
    SCOPES,
    V2_401,
    authorize,
    bearer_get,
    exchange,
    insecure_transport_allowed,  # noqa: F401 - autouse: OAuth 2.0 over http
    refresh,
)

# --- the whole flow by hand ----------------------------------------------------------


def test_code_exchange_answer(world):
    answer = authorize(world)
    assert answer["state"] == "st"
    r = exchange(world, answer["code"])
    body = r.json()
    assert r.status_code == 200
    assert set(body) == {"token_type", "expires_in", "access_token", "scope", "refresh_token"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 7200, " ".join(SCOPES))
    decoded = base64.urlsafe_b64decode(body["access_token"] + "==").decode()
    assert decoded.endswith(":1:1:at:1")
    assert bearer_get(world, body["access_token"]).json()["data"]["username"] == "acme"


def test_no_refresh_token_without_offline_access(world):
    body = exchange(world, authorize(world, scopes=["tweet.read", "users.read"])["code"]).json()
    assert "refresh_token" not in body and body["scope"] == "tweet.read users.read"


def test_access_token_lives_7200_seconds(world, sim):
    sim.clock.freeze()
    token = exchange(world, authorize(world)["code"]).json()["access_token"]
    sim.clock.advance(7199)
    assert bearer_get(world, token).status_code == 200
    sim.clock.advance(2)
    r = bearer_get(world, token)
    assert (r.status_code, r.json()) == (401, V2_401)
    assert sim.journal(status=401)[-1]["error"] == "bearer token is expired"


def test_refresh_rotates_and_old_refresh_token_is_dead(world):
    first = exchange(world, authorize(world)["code"]).json()
    second = refresh(world, first["refresh_token"], allow_redirects="True")  # requests-oauthlib's stray param
    assert second.status_code == 200, second.text
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"] and new["access_token"] != first["access_token"]
    reuse = refresh(world, first["refresh_token"])
    assert (reuse.status_code, reuse.json()) == (400, REUSED)
    assert refresh(world, new["refresh_token"]).status_code == 200


def test_concurrent_refreshes_with_one_token_succeed_exactly_once(world):
    for _ in range(10):
        token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
        barrier = threading.Barrier(4)
        statuses: list[int] = []

        def race(barrier: threading.Barrier, token: str, statuses: list[int]) -> None:
            barrier.wait()
            statuses.append(refresh(world, token).status_code)

        threads = [threading.Thread(target=race, args=(barrier, token, statuses)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 400, 400, 400]


def test_refresh_token_lifetime_is_configurable(world, sim):
    sim.configure(refresh_token_ttl=3600)
    sim.clock.freeze()
    token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
    sim.clock.advance(3601)
    assert refresh(world, token).json() == REUSED


def test_refresh_may_narrow_scopes_but_not_widen(world):
    token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
    wide = refresh(world, token, scope="tweet.read users.read offline.access like.write")
    assert wide.json()["error"] == "invalid_scope"
    narrow = refresh(world, token, scope="tweet.read users.read offline.access")
    assert narrow.json()["scope"] == "tweet.read users.read offline.access"


def test_revoke(world):
    tokens = exchange(world, authorize(world)["code"]).json()
    r = requests.post(
        world.url("/2/oauth2/revoke"),
        data={"token": tokens["access_token"], "token_type_hint": "access_token"},
        auth=(world.app.client_id, world.app.client_secret),
    )
    assert r.json() == {"revoked": True}
    assert bearer_get(world, tokens["access_token"]).status_code == 401
    assert refresh(world, tokens["refresh_token"]).status_code == 200  # revoking an access token spares the grant
    other = exchange(world, authorize(world)["code"]).json()
    requests.post(
        world.url("/2/oauth2/revoke"),
        json={
            "token": other["refresh_token"],
            "client_id": world.app.client_id,
            "client_secret": world.app.client_secret,
        },
    )
    assert bearer_get(world, other["access_token"]).status_code == 401  # a refresh token takes its grant along
    assert refresh(world, other["refresh_token"]).json() == REUSED


# --- token endpoint errors -------------------------------------------------------------


def test_token_endpoint_errors(world, sim):
    code = authorize(world)["code"]
    post = world.url("/2/oauth2/token")
    missing_auth = requests.post(
        post,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": world.app.client_id,
            "redirect_uri": CB,
            "code_verifier": "v" * 43,
        },
    )
    assert (missing_auth.status_code, missing_auth.json()) == (
        401,
        {"error": "unauthorized_client", "error_description": "Missing valid authorization header"},
    )
    wrong_secret = requests.post(post, data={"grant_type": "authorization_code"}, auth=(world.app.client_id, "x"))
    assert wrong_secret.status_code == 401
    no_client = requests.post(post, data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert no_client.json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter [client_id].",
    }
    assert exchange(world, code, verifier="w" * 43).json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the code verifier was invalid.",
    }
    reused = exchange(world, code)  # a failed exchange used the code up
    assert reused.json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the authorization code was invalid.",
    }
    no_verifier = requests.post(
        post,
        data={"grant_type": "authorization_code", "code": "c", "redirect_uri": CB},
        auth=(world.app.client_id, world.app.client_secret),
    )
    assert no_verifier.json()["error_description"] == "Missing required parameter [code_verifier]."
    grant = requests.post(post, data={"grant_type": "password"}, auth=(world.app.client_id, world.app.client_secret))
    assert grant.json()["error"] == "unsupported_grant_type"
    other_cb = exchange(world, authorize(world)["code"], redirect_uri="https://acme.example/other")
    assert other_cb.status_code == 400
    assert requests.post(post, data=b"\xff", headers={"Content-Type": "application/json"}).status_code == 400


def test_codes_live_30_seconds(world, sim):
    sim.clock.freeze()
    code = authorize(world)["code"]
    sim.clock.advance(31)
    assert exchange(world, code).json()["error_description"] == "Value passed for the authorization code was invalid."


def test_public_client_sends_client_id_only_and_json_bodies_work(world, sim):
    app = sim.create_app(world.account.id, "Acme Mobile", callback_urls=[CB], client_type="public")
    answer = authorize(world, client_id=app.client_id, verifier="x" * 171, method="s256")
    r = requests.post(
        world.url("/2/oauth2/token"),
        json={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": CB,
            "code_verifier": "x" * 171,
            "client_id": app.client_id,
        },
    )
    assert r.status_code == 200, r.text
    r2 = requests.post(
        world.url("/2/oauth2/token"),
        json={
            "grant_type": "refresh_token",
            "refresh_token": r.json()["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert r2.status_code == 200


def test_twitter_api_v2_style_json_with_basic_and_body_credentials(world):
    answer = authorize(world, verifier="p" * 9, method="plain")
    body = {
        "code": answer["code"],
        "grant_type": "authorization_code",
        "redirect_uri": CB,
        "code_verifier": "p" * 9,
        "client_id": world.app.client_id,
        "client_secret": world.app.client_secret,
    }
    r = requests.post(world.url("/2/oauth2/token"), json=body, auth=(world.app.client_id, world.app.client_secret))
    assert r.status_code == 200, r.text
    assert r.json()["scope"].split(" ") == SCOPES
