"""requests-oauthlib and authlib through both OAuth flows, on X's real URLs via x_mock."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
import tweepy
from authlib.integrations.requests_client import OAuth1Session as AuthlibOAuth1
from authlib.integrations.requests_client import OAuth2Session as AuthlibOAuth2
from requests_oauthlib import OAuth1, OAuth1Session, OAuth2Session

CALLBACK = "https://app.example/callback"
SCOPES = ["tweet.read", "tweet.write", "users.read", "offline.access"]


def test_requests_oauthlib_oauth1_dance_and_calls(x_mock, x_sim, x_app, x_user):
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    s = OAuth1Session(x_app.consumer_key, client_secret=x_app.consumer_secret, callback_uri=CALLBACK)
    s.fetch_request_token("https://api.x.com/oauth/request_token")
    location = requests.get(s.authorization_url("https://api.x.com/oauth/authorize"), allow_redirects=False).headers[
        "location"
    ]
    s.parse_authorization_response(location)
    token = s.fetch_access_token("https://api.x.com/oauth/access_token")
    assert token["screen_name"] == x_user.user.username
    assert s.post("https://api.x.com/2/tweets", json={"text": "requests-oauthlib"}).status_code == 201


def test_requests_oauthlib_oauth2_pkce(x_mock, x_sim, x_app, x_user):
    s = OAuth2Session(x_app.client_id, redirect_uri=CALLBACK, scope=SCOPES, pkce="S256")
    url, _ = s.authorization_url("https://x.com/i/oauth2/authorize")
    location = requests.post(x_sim.url("/_xmock/oauth2/authorize"), json={"url": url, "user": x_user.id}).json()
    s.fetch_token(
        "https://api.x.com/2/oauth2/token",
        authorization_response=location["location"],
        client_secret=x_app.client_secret,
    )
    assert s.get("https://api.x.com/2/users/me").json()["data"]["id"] == x_user.id


def test_authlib_oauth1_dance(x_mock, x_sim, x_app, x_user):
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    s = AuthlibOAuth1(x_app.consumer_key, x_app.consumer_secret, redirect_uri=CALLBACK)
    s.fetch_request_token("https://api.x.com/oauth/request_token")
    location = requests.get(
        s.create_authorization_url("https://api.x.com/oauth/authorize"), allow_redirects=False
    ).headers["location"]
    s.parse_authorization_response(location)
    s.fetch_access_token("https://api.x.com/oauth/access_token")
    assert s.post("https://api.x.com/1.1/statuses/update.json", data={"status": "authlib"}).status_code == 200


def test_authlib_oauth2_refresh_and_revoke(x_mock, x_sim, x_app, x_user):
    s = AuthlibOAuth2(
        x_app.client_id,
        x_app.client_secret,
        scope=" ".join(SCOPES),
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint="https://api.x.com/2/oauth2/token",
    )
    verifier = "v" * 50
    url, _ = s.create_authorization_url("https://x.com/i/oauth2/authorize", code_verifier=verifier)
    location = requests.post(x_sim.url("/_xmock/oauth2/authorize"), json={"url": url, "user": x_user.id}).json()
    s.fetch_token(
        "https://api.x.com/2/oauth2/token", authorization_response=location["location"], code_verifier=verifier
    )
    x_sim.clock.advance(7201)
    assert s.get("https://api.x.com/2/users/me").status_code == 401  # expired on the simulator's clock
    s.token["expires_at"] = 1
    assert s.get("https://api.x.com/2/users/me").status_code == 200  # authlib refreshed first
    assert s.revoke_token("https://api.x.com/2/oauth2/revoke", token=s.token["access_token"]).json() == {
        "revoked": True
    }


def _approved(x_app):
    s = OAuth1Session(x_app.consumer_key, client_secret=x_app.consumer_secret, callback_uri=CALLBACK)
    pending = s.fetch_request_token("https://api.x.com/oauth/request_token")
    location = requests.get(s.authorization_url("https://api.x.com/oauth/authorize"), allow_redirects=False).headers[
        "location"
    ]
    return pending["oauth_token"], parse_qs(urlsplit(location).query)["oauth_verifier"][0]


def test_access_token_as_x_documents_it_with_requests_oauthlib(x_mock, x_sim, x_app, x_user):
    """POST /oauth/access_token?oauth_token=…&oauth_verifier=…, signed with the consumer key and secret only
    (authlib's client refuses to sign oauth_* in the query and the header at once, so it cannot send this form)."""
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    token, verifier = _approved(x_app)
    params = {"oauth_token": token, "oauth_verifier": verifier}
    auth = OAuth1(x_app.consumer_key, x_app.consumer_secret)
    r = requests.post("https://api.x.com/oauth/access_token", params=params, auth=auth)
    assert r.status_code == 200, r.text
    assert parse_qs(r.text)["oauth_token"] == [x_user.oauth1.token]
    again = requests.post("https://api.x.com/oauth/access_token", params=params, auth=auth)
    assert again.status_code == 401  # the request token is spent


def test_post_text_comes_back_escaped_to_tweepy(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    post_id = client.create_tweet(text="Tom & Jerry <3").data["id"]
    assert client.get_tweet(post_id, user_auth=True).data.text == "Tom &amp; Jerry &lt;3"
