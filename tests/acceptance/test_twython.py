"""twython 3.9, unmodified, through x_mock: its sign-in flow GETs both token endpoints."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import twython

CALLBACK = "https://app.example/callback"


def test_sign_in_flow_with_get_then_post(x_mock, x_sim, x_app, x_user):
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    ck, cs = x_app.consumer_key, x_app.consumer_secret
    pending = twython.Twython(ck, cs).get_authentication_tokens(callback_url=CALLBACK)
    assert pending["oauth_callback_confirmed"] == "true"
    location = requests.get(pending["auth_url"], allow_redirects=False).headers["location"]
    verifier = parse_qs(urlsplit(location).query)["oauth_verifier"][0]
    tokens = twython.Twython(ck, cs, pending["oauth_token"], pending["oauth_token_secret"]).get_authorized_tokens(
        verifier
    )
    assert tokens["screen_name"] == x_user.user.username and tokens["oauth_token"] == x_user.oauth1.token
    x_sim.assert_requested("GET", "/oauth/request_token", status=200, count=1)
    x_sim.assert_requested("GET", "/oauth/access_token", status=200, count=1)

    client = twython.Twython(ck, cs, tokens["oauth_token"], tokens["oauth_token_secret"])
    status = client.update_status(status="Café & <b>bold</b>")
    assert status["text"] == "Café &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert html.unescape(status["text"]) == "Café & <b>bold</b>"


@pytest.mark.xmock(oauth1_token_get=False)
def test_sign_in_flow_fails_when_get_is_switched_off(x_mock, x_sim, x_app):
    with pytest.raises(twython.TwythonError) as raised:
        twython.Twython(x_app.consumer_key, x_app.consumer_secret).get_authentication_tokens(callback_url=CALLBACK)
    assert raised.value.error_code == 405
