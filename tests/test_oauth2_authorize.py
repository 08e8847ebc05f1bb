"""The OAuth 2.0 consent screen: what it shows, denial, bad requests, automatic and scripted consent."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from oauth2_support import (
    CB,
    SCOPES,
    authorize,
    insecure_transport_allowed,  # noqa: F401 - autouse: OAuth 2.0 over http
)
from requests_oauthlib import OAuth2Session

# --- the consent screen -----------------------------------------------------------------


def test_consent_page_shows_app_developer_and_scopes(world):
    params = {
        "response_type": "code",
        "client_id": world.app.client_id,
        "redirect_uri": CB,
        "scope": "tweet.read users.read",
        "state": "s",
        "code_challenge": "c" * 43,
        "code_challenge_method": "plain",
    }
    page = requests.get(world.url("/i/oauth2/authorize"), params=params)
    assert 'id="app-name">Acme Scheduler<' in page.text and 'id="developer">Acme Social<' in page.text
    assert "See your profile information" in page.text
    assert requests.get(world.url("/2/oauth2/authorize"), params=params).status_code == 200


def test_deny_and_bad_requests(world):
    denied = authorize(world, approve=False)
    assert denied == {"state": "st", "error": "access_denied"}
    base = {
        "response_type": "code",
        "client_id": world.app.client_id,
        "redirect_uri": CB,
        "scope": "tweet.read",
        "code_challenge": "c" * 43,
    }
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "client_id": "nope"})
    assert r.status_code == 400 and "Something went wrong" in r.text
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "redirect_uri": "https://evil.example/"})
    assert r.status_code == 400
    r = requests.get(
        world.url("/i/oauth2/authorize"),
        params={**base, "scope": "tweet.read everything"},
        allow_redirects=False,
    )
    assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == ["invalid_scope"]
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "code_challenge": ""}, allow_redirects=False)
    assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == ["invalid_request"]


def test_automatic_consent(world, sim):
    sim.configure(consent_mode="approve", consent_user="acme")
    s = OAuth2Session(world.app.client_id, redirect_uri=CB, scope=SCOPES, pkce="S256")
    url, _ = s.authorization_url(world.url("/i/oauth2/authorize"))
    location = requests.get(url, allow_redirects=False).headers["location"]
    assert "code=" in location


def test_consent_can_be_scripted_through_the_control_api(world, http):
    s = OAuth2Session(world.app.client_id, redirect_uri=CB, scope=SCOPES, pkce="S256")
    url, _ = s.authorization_url("https://x.com/i/oauth2/authorize", state="abc")
    r = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": url, "user": "acme"})
    assert r.status_code == 200
    token = s.fetch_token(
        world.url("/2/oauth2/token"),
        authorization_response=r.json()["location"],
        client_secret=world.app.client_secret,
    )
    assert token["access_token"]
    denied = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": url, "approve": False}).json()
    assert "error=access_denied" in denied["location"]
    bad = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": "https://x.com/i/oauth2/authorize?x=1"})
    assert bad.status_code == 400
