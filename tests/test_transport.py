"""The redirecting transport for one requests session (mock_x() does the same process-wide)."""

from __future__ import annotations

import requests
import tweepy

from xmock.simulator.transport import RedirectAdapter, mount


def test_mounted_tweepy_session_reaches_the_simulator(world):
    client = tweepy.Client(
        consumer_key=world.app.consumer_key,
        consumer_secret=world.app.consumer_secret,
        access_token=world.token.token,
        access_token_secret=world.token.secret,
    )
    mount(client.session, world.base)
    post_id = client.create_tweet(text="through the mounted adapter").data["id"]
    assert client.get_tweet(post_id, user_auth=True).data.text == "through the mounted adapter"


def test_other_hosts_are_untouched(world):
    with requests.Session() as s:
        mount(s, world.base)
        assert s.get(world.base + "/_xmock/health").json()["status"] == "ok"
        assert isinstance(s.get_adapter("https://api.x.com/2/users/me"), RedirectAdapter)
        assert not isinstance(s.get_adapter("https://example.com/"), RedirectAdapter)
