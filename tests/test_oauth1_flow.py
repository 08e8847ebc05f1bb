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


def _approved_request_token(world):
    """A request token approved by acme: (token, its secret, the verifier)."""
    s, token = _request_token(world)
    location = _consent_location(world.base, s.authorization_url(world.url("/oauth/authorize")))
    return token["oauth_token"], token["oauth_token_secret"], parse_qs(urlsplit(location).query)["oauth_verifier"][0]


def _documented_exchange(world, token, verifier, *, ck=None, cs=None, method="POST"):
    """The access-token step as X's docs show it: token and verifier in the query, signed with the
    consumer secret alone, no oauth_token in the header."""
    url = world.url("/oauth/access_token?" + urlencode({"oauth_token": token, "oauth_verifier": verifier}))
    headers = oauthlib_headers(url, method, ck or world.app.consumer_key, cs or world.app.consumer_secret)
    assert "oauth_token=" not in headers["Authorization"]
    return requests.request(method, url, headers=headers)


def test_access_token_in_the_query_signed_with_the_consumer_secret_only(world):
    token, _secret, verifier = _approved_request_token(world)
    r = _documented_exchange(world, token, verifier)
    assert r.status_code == 200, r.text
    answer = parse_qs(r.text)
    assert answer["user_id"] == [world.user.id] and answer["screen_name"] == ["acme"]
    api = world.session(world.token)
    assert answer["oauth_token"] == [world.token.token] and api.get(world.url("/2/users/me")).status_code == 200


def test_documented_form_still_refuses_what_x_refuses(world, sim):
    token, _secret, verifier = _approved_request_token(world)
    forged = _documented_exchange(world, token, verifier, cs="not-the-consumer-secret")
    assert (forged.status_code, forged.json()["errors"][0]["code"]) == (401, 32)
    wrong = _documented_exchange(world, token, verifier[:-1] + ("0" if verifier[-1] != "0" else "1"))
    assert wrong.status_code == 401 and "Invalid oauth_verifier parameter" in wrong.text
    assert _documented_exchange(world, token, verifier).status_code == 200  # a wrong verifier spends nothing
    reused = _documented_exchange(world, token, verifier)
    assert (reused.status_code, reused.json()["errors"][0]["code"]) == (401, 89)

    other_app = sim.create_app(world.account.id, "Other App", callback_urls=[CB], permission="read-write")
    token, _secret, verifier = _approved_request_token(world)
    foreign = _documented_exchange(world, token, verifier, ck=other_app.consumer_key, cs=other_app.consumer_secret)
    assert (foreign.status_code, foreign.json()["errors"][0]["code"]) == (401, 89)  # as in the header form
    assert _documented_exchange(world, token, verifier).status_code == 200  # still the owner's to exchange

    sim.clock.freeze()
    token, _secret, verifier = _approved_request_token(world)
    sim.clock.advance(sim.settings.request_token_ttl + 1)
    expired = _documented_exchange(world, token, verifier)
    assert (expired.status_code, expired.json()["errors"][0]["code"]) == (401, 89)


def test_consumer_only_signature_needs_the_verifier(world):
    token, _secret, _verifier = _approved_request_token(world)
    url = world.url("/oauth/access_token?" + urlencode({"oauth_token": token}))
    r = requests.post(url, headers=oauthlib_headers(url, "POST", world.app.consumer_key, world.app.consumer_secret))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (401, 32)


def test_get_on_both_token_endpoints(world):
    from requests_oauthlib import OAuth1

    ck, cs = world.app.consumer_key, world.app.consumer_secret
    r = requests.get(world.url("/oauth/request_token"), params={"oauth_callback": CB}, auth=OAuth1(ck, cs))
    assert r.status_code == 200, r.text
    token, secret = parse_qs(r.text)["oauth_token"][0], parse_qs(r.text)["oauth_token_secret"][0]
    location = _consent_location(world.base, world.url(f"/oauth/authorize?oauth_token={token}"))
    verifier = parse_qs(urlsplit(location).query)["oauth_verifier"][0]
    forged = requests.get(
        world.url("/oauth/access_token"), params={"oauth_verifier": verifier}, auth=OAuth1(ck, cs, token, "wrong")
    )
    assert (forged.status_code, forged.json()["errors"][0]["code"]) == (401, 32)
    r = requests.get(
        world.url("/oauth/access_token"), params={"oauth_verifier": verifier}, auth=OAuth1(ck, cs, token, secret)
    )
    assert r.status_code == 200, r.text
    assert parse_qs(r.text)["oauth_token"] == [world.token.token]
    token, _secret, verifier = _approved_request_token(world)
    assert _documented_exchange(world, token, verifier, method="GET").status_code == 200


def test_get_on_the_token_endpoints_can_be_switched_off(world, sim):
    from requests_oauthlib import OAuth1

    sim.configure(oauth1_token_get=False)
    ck, cs = world.app.consumer_key, world.app.consumer_secret
    r = requests.get(world.url("/oauth/request_token"), params={"oauth_callback": CB}, auth=OAuth1(ck, cs))
    assert (r.status_code, r.headers["allow"]) == (405, "POST")
    token, _secret, verifier = _approved_request_token(world)  # POST still answers
    assert _documented_exchange(world, token, verifier, method="GET").status_code == 405
    assert _documented_exchange(world, token, verifier).status_code == 200
