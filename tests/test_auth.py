"""Authentication on the live server: X's answers for each failure, and what the journal tells."""

from __future__ import annotations

import json

import pytest
from signing import oauthlib_headers, restyle

V2_401 = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}


def _get_me(http, world, header: str, host: str = "api.x.com"):
    return http.get(
        world.url("/2/users/me"),
        headers={"Authorization": header, "X-Forwarded-Host": host, "X-Forwarded-Proto": "https"},
    )


def _signed(world, url="https://api.x.com/2/users/me", method="GET", **kw):
    app, tok = world.app, world.token
    return oauthlib_headers(
        url,
        method,
        app.consumer_key,
        app.consumer_secret,
        kw.pop("token", tok.token),
        kw.pop("secret", tok.secret),
        **kw,
    )["Authorization"]


@pytest.mark.parametrize(("order", "sep"), [("sorted", ","), ("sorted", ", "), ("reversed", ", "), ("oauthlib", ", ")])
def test_header_styles_of_real_clients_verify(http, world, order, sep):
    header = _signed(world)
    if order != "oauthlib":
        header = restyle(header, order=order, separator=sep)
    r = _get_me(http, world, header)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["username"] == "acme"
    assert r.headers["x-access-level"] == "read-write"


def test_long_and_urlsafe_nonces_are_accepted(http, world):
    for nonce in ("a" * 64, "nsMg0s5YJZTaCNIOUI2rzV3Alc4pATd-_", "x"):
        r = _get_me(http, world, _signed(world, nonce=nonce))
        assert r.status_code == 200, (nonce, r.text)


def test_replayed_request_gets_401(http, world):
    header = _signed(world)
    assert _get_me(http, world, header).status_code == 200
    r = _get_me(http, world, header)
    assert r.status_code == 401
    assert r.json() == V2_401


def test_v2_failures_are_all_the_generic_401(http, world, sim):
    cases = {
        "unknown consumer key": oauthlib_headers(
            "https://api.x.com/2/users/me", "GET", "nope", "x", world.token.token, world.token.secret
        )["Authorization"],
        "unknown access token": _signed(world, token=f"{world.user.id}-unknown"),
        "signature does not match any candidate URL": _signed(world, secret="wrong-secret"),
    }
    for reason, header in cases.items():
        r = _get_me(http, world, header)
        assert (r.status_code, r.json()) == (401, V2_401)
        assert sim.journal(status=401)[-1]["error"] == reason


def test_timestamp_window_is_configurable(http, world, sim):
    sim.configure(timestamp_check="simulator")
    sim.clock.freeze()
    sim.clock.advance(-299)
    assert _get_me(http, world, _signed(world)).status_code == 200
    sim.clock.advance(-2)
    assert _get_me(http, world, _signed(world)).status_code == 401
    sim.configure(timestamp_window=600)
    assert _get_me(http, world, _signed(world)).status_code == 200


def test_clients_on_wall_time_keep_working_after_the_clock_moves(http, world, sim):
    sim.clock.advance(3 * 3600)  # past an OAuth 2.0 token's life; OAuth 1.0a signing goes on
    assert _get_me(http, world, _signed(world)).status_code == 200
    header = _signed(world)
    assert _get_me(http, world, header).status_code == 200
    assert _get_me(http, world, header).status_code == 401  # replay still caught
    sim.configure(timestamp_check="simulator")
    r = http.post(
        world.url("/1.1/statuses/update.json"),
        data={"status": "late"},
        headers={
            "Authorization": _v1_signed(world, status="late"),
            "X-Forwarded-Host": "api.x.com",
            "X-Forwarded-Proto": "https",
        },
    )
    assert r.json()["errors"][0]["code"] == 135


V1_URL = "https://api.x.com/1.1/statuses/update.json"


def _v1_post(http, world, header, status="hi"):
    return http.post(
        world.url("/1.1/statuses/update.json"),
        data={"status": status},
        headers={"Authorization": header, "X-Forwarded-Host": "api.x.com", "X-Forwarded-Proto": "https"},
    )


def _v1_signed(world, status="hi", **kw):
    app = world.app
    return oauthlib_headers(
        V1_URL,
        "POST",
        kw.pop("ck", app.consumer_key),
        kw.pop("cs", app.consumer_secret),
        kw.pop("token", world.token.token),
        kw.pop("secret", world.token.secret),
        body=f"status={status}",
        **kw,
    )["Authorization"]


def test_v1_failures_name_their_cause(http, world, sim):
    def code(header):
        r = _v1_post(http, world, header)
        return r.status_code, r.json()["errors"][0]["code"]

    assert code(_v1_signed(world, ck="unknown")) == (401, 32)
    assert code(_v1_signed(world, secret="bad")) == (401, 32)
    assert code(_v1_signed(world, token=f"{world.user.id}-gone")) == (401, 89)
    sim.configure(timestamp_check="simulator")
    sim.clock.freeze()
    sim.clock.advance(1000)
    assert code(_v1_signed(world)) == (401, 135)
    sim.clock.reset()
    assert code('OAuth oauth_consumer_key="x"') == (400, 215)
    assert code("OAuth this is not it") == (400, 215)
    r = http.post(world.url("/1.1/statuses/update.json"), data={"status": "x"})
    assert (r.status_code, r.json()) == (
        400,
        {"errors": [{"code": 215, "message": "Bad Authentication data."}]},
    )


def test_invalidated_token_is_refused(http, world, sim):
    assert sim.invalidate_oauth1_token(world.token.token)
    r = _v1_post(http, world, _v1_signed(world))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (401, 89)
    assert _get_me(http, world, _signed(world)).status_code == 401


def test_suspended_app_is_refused_until_lifted(http, world, sim):
    sim.suspend_app(world.app.id)
    assert _get_me(http, world, _signed(world)).json() == V2_401
    r = _v1_post(http, world, _v1_signed(world))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (401, 416)
    sim.suspend_app(world.app.id, False)
    assert _get_me(http, world, _signed(world)).status_code == 200


def test_regenerated_keys_retire_the_old_ones(http, world, sim):
    new = sim.regenerate_keys(world.app.id)
    assert _get_me(http, world, _signed(world)).status_code == 401
    header = oauthlib_headers(
        "https://api.x.com/2/users/me",
        "GET",
        new.consumer_key,
        new.consumer_secret,
        world.token.token,
        world.token.secret,
    )["Authorization"]
    assert _get_me(http, world, header).status_code == 200


def test_token_of_another_app_is_refused(http, world, sim):
    other = sim.create_app(world.account.id, "Other")
    header = oauthlib_headers(
        "https://api.x.com/2/users/me",
        "GET",
        other.consumer_key,
        other.consumer_secret,
        world.token.token,
        world.token.secret,
    )["Authorization"]
    assert _get_me(http, world, header).status_code == 401
    assert sim.journal()[-1]["error"] == "access token belongs to another app"


def test_read_only_token_cannot_write(http, world, sim):
    ro = sim.mint_oauth1_token(world.app.id, world.user.id, access_level="read")
    s = world.session(ro)
    r = s.post(world.url("/2/tweets"), json={"text": "nope"})
    assert r.status_code == 403
    assert r.json()["type"] == "https://api.x.com/2/problems/oauth1-permissions"
    assert r.headers["x-access-level"] == "read"
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "nope"})
    assert r.status_code == 401
    assert r.json()["error"] == "Read-only application cannot POST."
    assert s.get(world.url("/2/users/me")).status_code == 200


def test_bearer_without_oauth2_tokens_is_unauthorized(http, world):
    r = http.get(world.url("/2/users/me"), headers={"Authorization": "Bearer AAAAnope"})
    assert (r.status_code, r.json()) == (401, V2_401)


def test_signature_diagnosis_explains_and_hides_secrets(http, world, sim):
    # Signing the JSON body as if it were form parameters is a classic mistake.
    s = world.session()
    header = _signed(world, url="https://api.x.com/2/tweets", method="POST", body="text=hello")
    r = http.post(
        world.url("/2/tweets"),
        data=json.dumps({"text": "hello"}),
        headers={
            "Authorization": header,
            "Content-Type": "application/json",
            "X-Forwarded-Host": "api.x.com",
            "X-Forwarded-Proto": "https",
        },
    )
    assert (r.status_code, r.json()) == (401, V2_401)
    entry = sim.journal(status=401)[-1]
    diagnosis = entry["diagnosis"]
    assert entry["error"] == "signature does not match any candidate URL"
    assert diagnosis["signature_candidates"][0]["url"] == "https://api.x.com/2/tweets"
    assert "not signed" in diagnosis["signed_body"]
    dump = json.dumps(sim.journal())
    for secret in (world.token.token, world.token.secret, world.app.consumer_secret, world.app.client_secret):
        assert secret not in dump
    assert diagnosis["token_fingerprint"] in diagnosis["signature_candidates"][0]["base_string"]
    assert s.get(world.url("/2/users/me")).status_code == 200


def test_request_to_the_local_url_and_to_the_host_header_verify(http, world):
    s = world.session()
    assert s.get(world.url("/2/users/me")).status_code == 200
    header = _signed(world, url="https://api.x.com/2/users/me")
    r = http.get(world.url("/2/users/me"), headers={"Authorization": header, "Host": "api.x.com"})
    assert r.status_code == 200
