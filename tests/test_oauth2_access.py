"""OAuth 2.0 tokens at the endpoints: scopes, app-only bearer tokens, and the token control API."""

from __future__ import annotations

import requests
from oauth2_support import (
    SCOPES,
    app_bearer,
    bearer_get,
    insecure_transport_allowed,  # noqa: F401 - autouse: OAuth 2.0 over http
    refresh,
)

# --- scopes, bearer tokens and auth schemes per endpoint ---------------------------------


def test_scopes_are_enforced_per_endpoint(world, sim):
    access, _ = sim.mint_oauth2_token(world.app.id, world.user.id, ["tweet.read", "users.read"])
    r = requests.post(
        world.url("/2/tweets"),
        json={"text": "no write scope"},
        headers={"Authorization": f"Bearer {access.token}"},
    )
    assert (r.status_code, r.json()) == (
        403,
        {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"},
    )
    assert sim.journal(status=403)[-1]["error"] == "token lacks scope(s): tweet.write"
    v1 = requests.post(
        world.url("/1.1/statuses/update.json"),
        data={"status": "x"},
        headers={"Authorization": f"Bearer {access.token}"},
    )
    assert (v1.status_code, v1.json()["errors"][0]["code"]) == (403, 220)


def test_app_only_bearer(world, sim):
    first = app_bearer(world).json()
    assert first["token_type"] == "bearer" and first["access_token"].startswith("AAAAAAAAAAAAAAAAAAAAA")
    assert app_bearer(world).json() == first  # one bearer per app until invalidated
    token = first["access_token"]
    post_id = world.session().post(world.url("/2/tweets"), json={"text": "public"}).json()["data"]["id"]
    assert bearer_get(world, token, f"/2/tweets/{post_id}").status_code == 200
    assert bearer_get(world, token, f"/2/users/{world.user.id}/tweets").json()["meta"]["result_count"] == 1
    me = bearer_get(world, token)
    assert me.status_code == 403
    assert me.json() == {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
        "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403,
    }
    write = requests.post(world.url("/2/tweets"), json={"text": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert write.status_code == 403
    assert sim.journal(path=f"/2/tweets/{post_id}")[-1]["auth"] == "bearer"
    inv = requests.post(
        world.url("/oauth2/invalidate_token"),
        data={"access_token": token},
        auth=(world.app.consumer_key, world.app.consumer_secret),
    )
    assert inv.json() == {"access_token": token}
    assert bearer_get(world, token, f"/2/tweets/{post_id}").status_code == 401
    assert app_bearer(world).json()["access_token"] != token
    bad = app_bearer(world, cs="wrong")
    assert (bad.status_code, bad.json()["errors"][0]["code"]) == (403, 99)


# --- control API ------------------------------------------------------------------------


def test_control_api_mints_expires_revokes_and_shows_state(world, http, sim):
    minted = http.post(
        world.url("/_xmock/tokens/oauth2"),
        json={"app_id": world.app.id, "user_id": world.user.id, "scopes": SCOPES},
    )
    assert minted.status_code == 201
    tokens = minted.json()
    assert bearer_get(world, tokens["access_token"]).status_code == 200
    assert http.post(world.url("/_xmock/tokens/oauth2/expire"), json={"token": tokens["access_token"]}).json() == {
        "expired": True
    }
    assert bearer_get(world, tokens["access_token"]).status_code == 401
    new = refresh(world, tokens["refresh_token"]).json()
    assert http.post(world.url("/_xmock/tokens/oauth2/revoke"), json={"token": new["access_token"]}).json() == {
        "revoked": True
    }
    listing = http.get(world.url("/_xmock/tokens"), params={"user": world.user.id}).json()["tokens"]
    states = sorted((t["kind"], t["state"]) for t in listing)
    assert states == [
        ("access", "expired"),
        ("access", "revoked"),
        ("refresh", "active"),
        ("refresh", "rotated"),
    ]
    dump = str(listing)
    for value in (tokens["access_token"], tokens["refresh_token"], new["access_token"], new["refresh_token"]):
        assert value not in dump
    assert (
        http.post(
            world.url("/_xmock/tokens/oauth2"),
            json={"app_id": world.app.id, "user_id": world.user.id, "scopes": ["root"]},
        ).status_code
        == 400
    )


def test_user_token_on_a_bearer_only_v2_endpoint_gets_unsupported_authentication(world, sim):
    access, _ = sim.mint_oauth2_token(world.app.id, world.user.id, ["tweet.read", "users.read"])
    r = requests.get(world.url("/2/usage/tweets"), headers={"Authorization": f"Bearer {access.token}"})
    assert (r.status_code, r.json()) == (
        403,
        {
            "title": "Unsupported Authentication",
            "detail": "Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  "
            "Supported authentication types are [OAuth 2.0 Application-Only].",
            "type": "https://api.twitter.com/2/problems/unsupported-authentication",
            "status": 403,
        },
    )
