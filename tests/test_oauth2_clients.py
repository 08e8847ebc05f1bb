"""Real OAuth 2.0 clients, unmodified: requests-oauthlib, authlib, tweepy and xdk."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session as AuthlibOAuth2
from oauth2_support import (
    CB,
    SCOPES,
    app_bearer,
    insecure_transport_allowed,  # noqa: F401 - autouse: OAuth 2.0 over http
)
from oauthlib.oauth2.rfc6749.errors import InvalidClientIdError
from requests_oauthlib import OAuth2Session

# --- real clients -------------------------------------------------------------------------


def test_requests_oauthlib_pkce_with_auto_refresh(world, sim):
    saved = []
    s = OAuth2Session(
        world.app.client_id,
        redirect_uri=CB,
        scope=SCOPES,
        pkce="S256",
        auto_refresh_url=world.url("/2/oauth2/token"),
        token_updater=saved.append,
    )
    url, _ = s.authorization_url(world.url("/i/oauth2/authorize"))
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    token = s.fetch_token(
        world.url("/2/oauth2/token"), authorization_response=location, client_secret=world.app.client_secret
    )
    assert token["scope"] == SCOPES
    assert s.get(world.url("/2/users/me")).json()["data"]["id"] == world.user.id
    sim.clock.advance(7201)
    assert s.get(world.url("/2/users/me")).status_code == 401  # the server's clock says expired
    s.token = {**s.token, "expires_at": 1}  # the client learns it too (its own clock has not moved)
    r = s.get(world.url("/2/users/me"), client_id=world.app.client_id, client_secret=world.app.client_secret)
    assert r.status_code == 200, r.text
    assert saved and saved[-1]["refresh_token"] != token["refresh_token"]


def test_authlib_pkce_refresh_and_revoke(world):
    updates = []
    s = AuthlibOAuth2(
        world.app.client_id,
        world.app.client_secret,
        scope=" ".join(SCOPES),
        redirect_uri=CB,
        code_challenge_method="S256",
        token_endpoint=world.url("/2/oauth2/token"),
        update_token=lambda token, **kw: updates.append(token),
    )
    verifier = "a" * 64
    url, _ = s.create_authorization_url(world.url("/i/oauth2/authorize"), code_verifier=verifier)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    token = s.fetch_token(world.url("/2/oauth2/token"), authorization_response=location, code_verifier=verifier)
    assert s.get(world.url("/2/users/me")).status_code == 200
    s.token["expires_at"] = 1
    assert s.get(world.url("/2/users/me")).status_code == 200  # refreshed before the call
    assert updates and updates[-1]["refresh_token"] != token["refresh_token"]
    r = s.revoke_token(world.url("/2/oauth2/revoke"), token=s.token["access_token"], token_type_hint="access_token")
    assert r.json() == {"revoked": True}
    assert s.get(world.url("/2/users/me")).status_code == 401


def test_tweepy_oauth2_user_handler_and_client(world):
    import tweepy

    from xmock.simulator.transport import mount

    h = tweepy.OAuth2UserHandler(
        client_id=world.app.client_id, client_secret=world.app.client_secret, redirect_uri=CB, scope=SCOPES
    )
    mount(h, world.base)
    url = h.get_authorization_url()
    assert url.startswith("https://twitter.com/i/oauth2/authorize?")
    with requests.Session() as browser:
        mount(browser, world.base)
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        location = browser.post(
            "https://twitter.com/i/oauth2/authorize",
            data={**params, "username": "acme"},
            allow_redirects=False,
        ).headers["location"]
    token = h.fetch_token(location)
    client = tweepy.Client(bearer_token=token["access_token"])
    mount(client.session, world.base)
    assert client.get_me(user_auth=False).data.username == "acme"
    created = client.create_tweet(text="posted with OAuth 2.0", user_auth=False)
    assert client.get_tweet(created.data["id"], user_auth=False).data.text == "posted with OAuth 2.0"
    new = h.refresh_token("https://api.twitter.com/2/oauth2/token")
    assert new["refresh_token"] != token["refresh_token"]
    # oauthlib maps X's `invalid_request` body to InvalidClientIdError (see real-clients notes).
    with pytest.raises(InvalidClientIdError, match="Value passed for the token was invalid"):
        h.refresh_token("https://api.twitter.com/2/oauth2/token", refresh_token=token["refresh_token"])


def test_tweepy_client_with_app_only_bearer(world):
    import tweepy

    from xmock.simulator.transport import mount

    token = app_bearer(world).json()["access_token"]
    client = tweepy.Client(bearer_token=token)
    mount(client.session, world.base)
    assert client.get_user(username="acme").data.id == int(world.user.id)
    with pytest.raises(tweepy.Forbidden, match="Application-Only is forbidden"):
        client.get_me(user_auth=False)


def test_xdk_pkce_exchange_call_and_refresh(world):
    from xdk import Client

    client = Client(
        base_url=world.base,
        authorization_base_url=world.base + "/i",
        client_id=world.app.client_id,
        client_secret=world.app.client_secret,
        redirect_uri=CB,
        scope=SCOPES,
    )
    url = client.get_authorization_url(state="xdk-state")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    token = client.exchange_code(code)
    assert token["scope"] == " ".join(SCOPES) or token["scope"] == SCOPES
    me = client.users.get_me()
    assert me.data.username == "acme"
    refreshed = client.refresh_token()
    assert refreshed["refresh_token"] != token["refresh_token"]
