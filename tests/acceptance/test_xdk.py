"""xdk 0.10.6, the official Python SDK, unmodified, against the simulator through x_mock."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from xdk import Client
from xdk.oauth1_auth import OAuth1

CALLBACK = "https://app.example/callback"


def test_oauth1_posting_and_reading(x_mock, x_sim, x_user):
    auth = OAuth1(
        api_key=x_user.app.consumer_key,
        api_secret=x_user.app.consumer_secret,
        callback="oob",
        access_token=x_user.oauth1.token,
        access_token_secret=x_user.oauth1.secret,
    )
    client = Client(auth=auth)  # default base URL https://api.x.com: mock_x routes it
    created = client.posts.create(body={"text": "Hello from xdk"})
    assert created.data.text == "Hello from xdk"
    assert client.users.get_me().data.id == x_user.id
    x_sim.assert_requested("POST", "/2/tweets", status=201, count=1)


def test_oauth2_pkce_with_refresh(x_mock, x_sim, x_app, x_user, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = Client(
        client_id=x_app.client_id,
        client_secret=x_app.client_secret,
        redirect_uri=CALLBACK,
        scope=["tweet.read", "users.read", "offline.access"],
    )
    url = client.get_authorization_url(state="s")
    assert url.startswith("https://x.com/i/oauth2/authorize?")
    location = requests.post(x_sim.url("/_xmock/oauth2/authorize"), json={"url": url, "user": x_user.id}).json()
    token = client.exchange_code(parse_qs(urlsplit(location["location"]).query)["code"][0])
    assert client.users.get_me().data.id == x_user.id
    assert client.refresh_token()["refresh_token"] != token["refresh_token"]


def _dance(x_sim, x_app, x_user) -> OAuth1:
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    auth = OAuth1(api_key=x_app.consumer_key, api_secret=x_app.consumer_secret, callback=CALLBACK)
    auth.get_request_token()
    location = requests.get(auth.get_authorization_url(), allow_redirects=False).headers["location"]
    auth.get_access_token(parse_qs(urlsplit(location).query)["oauth_verifier"][0])
    return auth


def test_the_dance_then_a_fresh_oauth1_object_works(x_mock, x_sim, x_app, x_user):
    auth = _dance(x_sim, x_app, x_user)
    fresh = OAuth1(
        api_key=x_app.consumer_key,
        api_secret=x_app.consumer_secret,
        callback="oob",
        access_token=auth.access_token.access_token,
        access_token_secret=auth.access_token.access_token_secret,
    )
    assert Client(auth=fresh).users.get_me().data.id == x_user.id


def test_xdk_bug_signing_with_the_request_token_secret_after_the_dance(x_mock, x_sim, x_app, x_user):
    """xdk keeps the request token on the OAuth1 object and signs later calls with its secret.

    The simulator answers as X does (401); the journal's diagnosis shows the signature did not
    match. The workaround is a fresh OAuth1 object built from the access token (test above).
    """
    auth = _dance(x_sim, x_app, x_user)
    with pytest.raises(requests.HTTPError) as failed:
        Client(auth=auth).users.get_me()
    assert failed.value.response.status_code == 401
    entry = x_sim.journal(path="/2/users/me")[-1]
    assert entry["error"] == "signature does not match any candidate URL"


@pytest.mark.xmock_fault(path="/2/tweets", status=503, count=1)
def test_errors_surface_as_http_errors_with_xs_bodies(x_mock, x_user):
    auth = OAuth1(
        api_key=x_user.app.consumer_key,
        api_secret=x_user.app.consumer_secret,
        callback="oob",
        access_token=x_user.oauth1.token,
        access_token_secret=x_user.oauth1.secret,
    )
    client = Client(auth=auth)
    with pytest.raises(requests.HTTPError) as failed:
        client.posts.create(body={"text": "first attempt"})
    assert failed.value.response.status_code == 503
    client.posts.create(body={"text": "second attempt"})
    with pytest.raises(requests.HTTPError) as duplicate:
        client.posts.create(body={"text": "second attempt"})
    assert duplicate.value.response.json()["detail"] == "You are not allowed to create a Tweet with duplicate content."
