"""Helpers for the OAuth 2.0 tests: playing the browser and calling the token endpoint."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

CB = "https://acme.example/cb"
SCOPES = ["tweet.read", "tweet.write", "users.read", "offline.access"]
V2_401 = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
REUSED = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}


@pytest.fixture(autouse=True)
def insecure_transport_allowed(monkeypatch):
    # requests-oauthlib refuses http:// token URLs unless told this is a local test.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def challenge_for(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def authorize(
    world,
    *,
    verifier="v" * 43,
    method="S256",
    scopes=SCOPES,
    state="st",
    approve=True,
    user="acme",
    client_id=None,
    redirect_uri=CB,
):
    """Play the browser: open the consent page, then submit the form. Returns the redirect's query."""
    params = {
        "response_type": "code",
        "client_id": client_id or world.app.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
        "code_challenge": challenge_for(verifier) if method.upper() == "S256" else verifier,
        "code_challenge_method": method,
    }
    page = requests.get(world.url("/i/oauth2/authorize"), params=params)
    assert page.status_code == 200, page.text
    r = requests.post(
        world.url("/i/oauth2/authorize"),
        allow_redirects=False,
        data={**params, "username": user, "decision": "approve" if approve else "deny"},
    )
    assert r.status_code == 302, r.text
    assert r.headers["location"].startswith(CB + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}


def exchange(world, code, verifier="v" * 43, **extra):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CB,
        "code_verifier": verifier,
        **extra,
    }
    return requests.post(world.url("/2/oauth2/token"), data=data, auth=(world.app.client_id, world.app.client_secret))


def refresh(world, token, **extra):
    return requests.post(
        world.url("/2/oauth2/token"),
        data={"grant_type": "refresh_token", "refresh_token": token, **extra},
        auth=(world.app.client_id, world.app.client_secret),
    )


def bearer_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def bearer_get(world, token, path="/2/users/me"):
    return requests.get(world.url(path), headers={"Authorization": f"Bearer {token}"})


def app_bearer(world, ck=None, cs=None):
    """The app-only bearer token of the world's app (or the keys given)."""
    return requests.post(
        world.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(ck or world.app.consumer_key, cs or world.app.consumer_secret),
    )
