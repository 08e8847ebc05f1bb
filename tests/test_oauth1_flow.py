"""The three-legged OAuth 1.0a flow, driven by real clients and by hand."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth1Session as AuthlibSession
from requests_oauthlib import OAuth1Session
from signing import oauthlib_headers, restyle, sign_once

CB = "https://acme.example/cb"


def _consent_location(base, auth_url, username="acme"):
    page = requests.get(auth_url)
    assert page.status_code == 200
    token = parse_qs(urlsplit(auth_url).query)["oauth_token"][0]
    r = requests.post(
        base + "/oauth/authorize",
        data={"oauth_token": token, "username": username, "decision": "approve"},
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text
    return r.headers["location"]


def test_requests_oauthlib_dance_then_signed_calls(world, sim):
    s = OAuth1Session(world.app.consumer_key, client_secret=world.app.consumer_secret, callback_uri=CB)
    s.fetch_request_token(world.url("/oauth/request_token"))
    location = _consent_location(world.base, s.authorization_url(world.url("/oauth/authorize")))
    assert location.startswith(CB + "?oauth_token=")
    s.parse_authorization_response(location)
    at = s.fetch_access_token(world.url("/oauth/access_token"))
    assert at["user_id"] == world.user.id and at["screen_name"] == "acme"
    assert at["oauth_token"].startswith(world.user.id + "-")
    api = OAuth1Session(
        world.app.consumer_key,
        client_secret=world.app.consumer_secret,
        resource_owner_key=at["oauth_token"],
        resource_owner_secret=at["oauth_token_secret"],
    )
    assert api.post(world.url("/2/tweets"), json={"text": "via the dance"}).status_code == 201
    assert api.post(world.url("/1.1/statuses/update.json"), data={"status": "form body is signed"}).status_code == 200
    assert api.get(world.url("/2/users/me")).json()["data"]["id"] == world.user.id


def test_authlib_dance_keeps_sending_callback_and_still_verifies(world):
    s = AuthlibSession(world.app.consumer_key, world.app.consumer_secret, redirect_uri=CB)
    s.fetch_request_token(world.url("/oauth/request_token"))
    location = _consent_location(world.base, s.create_authorization_url(world.url("/oauth/authorize")))
    s.parse_authorization_response(location)
    token = s.fetch_access_token(world.url("/oauth/access_token"))
    assert token["screen_name"] == "acme"
    r = s.post(world.url("/2/tweets"), json={"text": "authlib says hi"})
    assert r.status_code == 201, r.text
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "authlib signs form bodies"})
    assert r.status_code == 200, r.text
    assert s.get(world.url("/2/users/me")).json()["data"]["username"] == "acme"


def test_access_token_is_stable_while_authorized(world, sim):
    def dance():
        s = OAuth1Session(world.app.consumer_key, client_secret=world.app.consumer_secret, callback_uri=CB)
        s.fetch_request_token(world.url("/oauth/request_token"))
        s.parse_authorization_response(
            _consent_location(world.base, s.authorization_url(world.url("/oauth/authorize")))
        )
        return s.fetch_access_token(world.url("/oauth/access_token"))

    first, second = dance(), dance()
    assert first["oauth_token"] == second["oauth_token"] == world.token.token
    sim.invalidate_oauth1_token(first["oauth_token"])
    assert dance()["oauth_token"] != first["oauth_token"]


def _post_form(base, path, header, data=None, params=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    return requests.post(
        base + path,
        data=data,
        params=params,
        headers={
            **headers,
            "Authorization": header,
            "X-Forwarded-Host": "api.x.com",
            "X-Forwarded-Proto": "https",
        },
    )


def test_twitter_api_v2_style_callback_in_signed_body(world):
    app = world.app
    body = "oauth_callback=" + requests.utils.quote(CB, safe="") + "&x_auth_access_type=read"
    h = oauthlib_headers(
        "https://api.x.com/oauth/request_token", "POST", app.consumer_key, app.consumer_secret, body=body
    )["Authorization"]
    r = _post_form(world.base, "/oauth/request_token", restyle(h, separator=","), data=body)
    assert r.status_code == 200, r.text
    answer = parse_qs(r.text)
    assert answer["oauth_callback_confirmed"] == ["true"]
    location = _consent_location(world.base, world.url(f"/oauth/authenticate?oauth_token={answer['oauth_token'][0]}"))
    verifier = parse_qs(urlsplit(location).query)["oauth_verifier"][0]
    token, secret = answer["oauth_token"][0], answer["oauth_token_secret"][0]
    form = {"oauth_token": token, "oauth_verifier": verifier}
    h = sign_once(
        "POST",
        "https://api.x.com/oauth/access_token",
        app.consumer_key,
        app.consumer_secret,
        token,
        secret,
        params=form,
    )
    body = urlencode(form)
    r = _post_form(world.base, "/oauth/access_token", restyle(h, separator=","), data=body)
    assert r.status_code == 200, r.text
    granted = parse_qs(r.text)
    assert granted["screen_name"] == ["acme"]
    # x_auth_access_type=read gives a read-only token even though the app may write.
    ro = world.session()
    ro._client.client.resource_owner_key = granted["oauth_token"][0]
    ro._client.client.resource_owner_secret = granted["oauth_token_secret"][0]
    assert ro.post(world.url("/2/tweets"), json={"text": "x"}).status_code == 403


def test_xdk_style_dance_parameters_in_the_query(world):
    app = world.app
    h = sign_once(
        "POST",
        "https://api.x.com/oauth/request_token",
        app.consumer_key,
        app.consumer_secret,
        params={"oauth_callback": "oob"},
    )
    r = _post_form(world.base, "/oauth/request_token", h, params={"oauth_callback": "oob"})
    assert r.status_code == 200, r.text
    token, secret = parse_qs(r.text)["oauth_token"][0], parse_qs(r.text)["oauth_token_secret"][0]
    page = requests.post(world.url("/oauth/authorize"), data={"oauth_token": token, "username": "acme"})
    pin = page.text.split('id="pin">')[1].split("<")[0]
    assert pin.isdigit() and len(pin) == 7
    query = {"oauth_token": token, "oauth_verifier": pin}
    h = sign_once(
        "POST",
        "https://api.x.com/oauth/access_token",
        app.consumer_key,
        app.consumer_secret,
        token,
        secret,
        params=query,
    )
    r = _post_form(world.base, "/oauth/access_token", h, params=query)
    assert r.status_code == 200, r.text
    assert parse_qs(r.text)["user_id"] == [world.user.id]


def _request_token(world, callback=CB):
    s = OAuth1Session(world.app.consumer_key, client_secret=world.app.consumer_secret, callback_uri=callback)
    return s, s.fetch_request_token(world.url("/oauth/request_token"))


def test_unregistered_callback_is_code_415(world):
    s = OAuth1Session(
        world.app.consumer_key,
        client_secret=world.app.consumer_secret,
        callback_uri="https://evil.example/cb",
    )
    r = s.post(world.url("/oauth/request_token"))
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == 415


def test_registered_callback_may_carry_a_query(world):
    _, token = _request_token(world, CB + "?tenant=7")
    assert token["oauth_callback_confirmed"] == "true"


def test_consent_page_shows_the_apps_own_name_and_developer(world):
    _s, token = _request_token(world)
    page = requests.get(world.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
    assert page.headers["content-type"].startswith("text/html")
    assert '<span class="app" id="app-name">Acme Scheduler</span>' in page.text
    assert '<span id="developer">Acme Social</span>' in page.text
    assert "Create and delete posts for you" in page.text


def test_deny_redirects_with_denied_and_the_token_cannot_be_exchanged(world):
    s, token = _request_token(world)
    r = requests.post(
        world.url("/oauth/authorize"),
        data={"oauth_token": token["oauth_token"], "decision": "deny"},
        allow_redirects=False,
    )
    assert r.headers["location"] == f"{CB}?denied={token['oauth_token']}"
    s._client.client.verifier = "whatever"
    r = s.post(world.url("/oauth/access_token"))
    assert r.status_code == 401
    assert "Invalid oauth_verifier parameter" in r.text


def test_wrong_verifier_and_second_exchange_fail(world):
    s, _token = _request_token(world)
    location = _consent_location(world.base, s.authorization_url(world.url("/oauth/authorize")))
    s.parse_authorization_response(location.replace("oauth_verifier=", "oauth_verifier=x"))
    assert s.post(world.url("/oauth/access_token")).status_code == 401
    s.parse_authorization_response(location)
    assert s.post(world.url("/oauth/access_token")).status_code == 200
    r = s.post(world.url("/oauth/access_token"))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (401, 89)


def test_request_tokens_expire_on_the_clock(world, sim):
    sim.clock.freeze()
    _s, token = _request_token(world)
    sim.clock.advance(sim.settings.request_token_ttl + 1)
    page = requests.get(world.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
    assert page.status_code == 400 and "Whoa there!" in page.text


@pytest.mark.parametrize("mode", ["approve", "deny"])
def test_consent_can_be_automatic(world, sim, mode):
    sim.configure(consent_mode=mode, consent_user="acme")
    s, _token = _request_token(world)
    r = requests.get(s.authorization_url(world.url("/oauth/authenticate")), allow_redirects=False)
    assert r.status_code == 302
    assert ("oauth_verifier=" in r.headers["location"]) is (mode == "approve")


def test_consent_can_be_scripted_through_the_control_api(world):
    s, token = _request_token(world)
    r = requests.post(world.url("/_xmock/oauth1/authorize"), json={"oauth_token": token["oauth_token"], "user": "acme"})
    assert r.status_code == 200
    s.parse_authorization_response(r.json()["location"])
    assert s.fetch_access_token(world.url("/oauth/access_token"))["screen_name"] == "acme"


def test_invalidate_token_endpoint(world):
    s = world.session()
    r = s.post(world.url("/1.1/oauth/invalidate_token.json"))
    assert r.json() == {"access_token": world.token.token}
    r = s.get(world.url("/2/users/me"))
    assert r.status_code == 401
