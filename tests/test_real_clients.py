"""Unmodified real clients against the simulator, redirected at the transport only."""

from __future__ import annotations

import pytest
import tweepy

from simulator.transport import mount


@pytest.fixture
def client(world):
    c = tweepy.Client(
        consumer_key=world.app.consumer_key,
        consumer_secret=world.app.consumer_secret,
        access_token=world.token.token,
        access_token_secret=world.token.secret,
    )
    mount(c.session, world.base)
    return c


def test_tweepy_client_post_read_delete(client, world):
    created = client.create_tweet(text="Hello Ladies + Gentlemen, a signed OAuth request!")
    post_id = created.data["id"]
    got = client.get_tweet(post_id, tweet_fields=["created_at", "author_id"], expansions=["author_id"], user_auth=True)
    assert got.data.text == "Hello Ladies + Gentlemen, a signed OAuth request!"
    assert got.includes["users"][0].username == "acme"
    me = client.get_me(user_auth=True, user_fields=["created_at"])
    assert me.data.id == int(world.user.id)
    assert client.like(post_id).data == {"liked": True}
    assert client.retweet(post_id).data == {"retweeted": True}
    assert client.unlike(post_id).data == {"liked": False}
    timeline = client.get_users_tweets(world.user.id, user_auth=True)
    assert [t.id for t in timeline.data] == [int(post_id)]
    assert client.search_recent_tweets("Gentlemen", user_auth=True).meta["result_count"] == 1
    assert client.delete_tweet(post_id).data == {"deleted": True}


def test_tweepy_client_errors(client, world, sim):
    client.create_tweet(text="once")
    with pytest.raises(tweepy.Forbidden, match="duplicate content"):
        client.create_tweet(text="once")
    sim.invalidate_oauth1_token(world.token.token)
    with pytest.raises(tweepy.Unauthorized):
        client.get_me(user_auth=True)


def test_tweepy_api_v1_update_status(world):
    auth = tweepy.OAuth1UserHandler(
        world.app.consumer_key, world.app.consumer_secret, world.token.token, world.token.secret
    )
    api = tweepy.API(auth)
    mount(api.session, world.base)
    status = api.update_status("Scheduled via v1.1")
    assert status.text == "Scheduled via v1.1" and status.user.screen_name == "acme"
    with pytest.raises(tweepy.Forbidden, match="187"):
        api.update_status("Scheduled via v1.1")


def test_tweepy_oauth1_user_handler_dance(world, sim):
    sim.configure(consent_mode="approve", consent_user="acme")
    handler = tweepy.OAuth1UserHandler(
        world.app.consumer_key, world.app.consumer_secret, callback="https://acme.example/cb"
    )
    mount(handler.oauth, world.base)
    url = handler.get_authorization_url()
    assert url.startswith("https://api.twitter.com/oauth/authorize?oauth_token=")
    import requests

    with requests.Session() as browser:
        location = mount(browser, world.base).get(url, allow_redirects=False).headers["location"]
    verifier = location.split("oauth_verifier=")[1]
    # get_access_token builds a fresh session; point its URL builder at the simulator.
    handler._get_oauth_url = lambda endpoint: f"{world.base}/oauth/{endpoint}"
    token, secret = handler.get_access_token(verifier)
    assert (token, secret) == (world.token.token, world.token.secret)
