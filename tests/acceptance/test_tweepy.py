"""tweepy 4.17, unmodified, against the simulator through the x_mock fixture."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import tweepy

CALLBACK = "https://app.example/callback"


def test_client_oauth1_post_read_like_repost_delete(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    post_id = client.create_tweet(text="Hello from tweepy").data["id"]
    got = client.get_tweet(post_id, expansions=["author_id"], user_auth=True)
    assert got.data.text == "Hello from tweepy" and got.includes["users"][0].id == int(x_user.id)
    assert client.get_me(user_auth=True).data.id == int(x_user.id)
    assert client.like(post_id).data == {"liked": True}
    assert client.retweet(post_id).data["retweeted"] is True
    assert client.unlike(post_id).data == {"liked": False}
    assert client.unretweet(post_id).data == {"retweeted": False}
    assert client.delete_tweet(post_id).data == {"deleted": True}
    x_sim.assert_requested("POST", "/2/tweets", status=201, user=x_user.id, count=1)


def test_client_with_an_oauth2_user_token(x_mock, x_sim, x_user_oauth2):
    client = tweepy.Client(bearer_token=x_user_oauth2.oauth2["access_token"])
    assert client.get_me(user_auth=False).data.id == int(x_user_oauth2.id)
    created = client.create_tweet(text="OAuth 2.0 user context", user_auth=False)
    assert created.data["text"] == "OAuth 2.0 user context"
    assert x_sim.journal(path="/2/tweets")[0]["auth"] == "oauth2-user"


def test_oauth1_user_handler_dance(x_mock, x_sim, x_app, x_user):
    x_sim.configure(consent_mode="approve", consent_user=x_user.user.username)
    handler = tweepy.OAuth1UserHandler(x_app.consumer_key, x_app.consumer_secret, callback=CALLBACK)
    url = handler.get_authorization_url()
    location = requests.get(url, allow_redirects=False).headers["location"]
    verifier = parse_qs(urlsplit(location).query)["oauth_verifier"][0]
    token, secret = handler.get_access_token(verifier)
    assert (token, secret) == (x_user.oauth1.token, x_user.oauth1.secret)


def test_oauth2_user_handler_pkce_with_refresh(x_mock, x_sim, x_app, x_user):
    handler = tweepy.OAuth2UserHandler(
        client_id=x_app.client_id,
        client_secret=x_app.client_secret,
        redirect_uri=CALLBACK,
        scope=["tweet.read", "users.read", "offline.access"],
    )
    url = handler.get_authorization_url()
    location = requests.post(x_sim.url("/_xmock/oauth2/authorize"), json={"url": url, "user": x_user.id}).json()[
        "location"
    ]
    token = handler.fetch_token(location)
    assert tweepy.Client(bearer_token=token["access_token"]).get_me(user_auth=False).data.id == int(x_user.id)
    new = handler.refresh_token("https://api.twitter.com/2/oauth2/token")
    assert new["refresh_token"] != token["refresh_token"]
    x_sim.clock.advance(7201)  # past the two hours
    with pytest.raises(tweepy.Unauthorized):
        tweepy.Client(bearer_token=new["access_token"]).get_me(user_auth=False)


def test_oauth2_app_handler_bearer(x_mock, x_app, x_user):
    handler = tweepy.OAuth2AppHandler(x_app.consumer_key, x_app.consumer_secret)
    client = tweepy.Client(bearer_token=handler._bearer_token)
    assert client.get_user(id=x_user.id).data.id == int(x_user.id)
    with pytest.raises(tweepy.Forbidden, match="Application-Only is forbidden"):
        client.get_me(user_auth=False)


def test_api_v1_update_status(x_mock, x_user):
    auth = tweepy.OAuth1UserHandler(
        x_user.app.consumer_key, x_user.app.consumer_secret, x_user.oauth1.token, x_user.oauth1.secret
    )
    status = tweepy.API(auth).update_status("Scheduled through v1.1")
    assert status.text == "Scheduled through v1.1"


@pytest.mark.xmock_credits("0.015")
def test_errors_tweepy_raises(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    client.create_tweet(text="the only post I can pay for")
    with pytest.raises(tweepy.HTTPException) as paid:  # tweepy has no class for 402
        client.create_tweet(text="and another")
    assert paid.value.response.status_code == 402
    x_sim.top_up(x_user.app.id, 5)
    with pytest.raises(tweepy.Forbidden, match="duplicate content"):
        client.create_tweet(text="the only post I can pay for")


@pytest.mark.xmock(limits={"users:me": [{"who": "user", "limit": 1, "window": 900}]})
def test_429_carries_the_reset_tweepy_reads(x_mock, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    client.get_me(user_auth=True)
    with pytest.raises(tweepy.TooManyRequests) as limited:
        client.get_me(user_auth=True)
    assert int(limited.value.response.headers["x-rate-limit-reset"]) > 0


def test_client_social_graph_follows_blocks_mutes(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    me = x_user.id
    friend = x_sim.create_user(username="friend")
    private = x_sim.create_user(username="private", protected=True)
    troll = x_sim.create_user(username="troll")
    x_sim.follow(friend.id, me)
    x_sim.block(me, troll.id)
    assert client.follow_user(friend.id).data == {"following": True, "pending_follow": False}
    assert client.follow_user(private.id).data == {"following": False, "pending_follow": True}
    x_sim.accept_follow_request(private.id, me)
    following = client.get_users_following(me, user_fields=["connection_status"], user_auth=True)
    assert [u.username for u in following.data] == ["private", "friend"]
    assert following.data[1].connection_status == ["followed_by", "following"]
    followers = client.get_users_followers(me, max_results=1, user_auth=True)
    assert [u.id for u in followers.data] == [int(friend.id)] and followers.meta["result_count"] == 1
    assert [u.id for u in client.get_blocked().data] == [int(troll.id)]
    assert client.mute(troll.id).data == {"muting": True}
    assert [u.username for u in client.get_muted().data] == ["troll"]
    assert client.unmute(troll.id).data == {"muting": False}
    assert client.get_muted().data is None
    assert client.unfollow_user(private.id).data == {"following": False}
    paginated = list(tweepy.Paginator(client.get_users_following, me, max_results=1, user_auth=True).flatten())
    assert [u.username for u in paginated] == ["friend"]
    x_sim.assert_requested("POST", f"/2/users/{me}/following", status=200, user=me, count=2)
