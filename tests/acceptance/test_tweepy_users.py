"""tweepy 4.17's user lookups and timelines, unmodified, through the x_mock fixture."""

from __future__ import annotations

import tweepy

from xmock.simulator.relations import FOLLOWS, MUTES


def test_tweepy_users_mentions_and_home_timeline(x_mock, x_sim, x_app, x_user):
    me = tweepy.Client(**x_user.tweepy_kwargs)
    friend = x_sim.create_user(username="friend", name="Friend", account_id=x_app.account_id)
    muted = x_sim.create_user(username="muted", name="Muted", account_id=x_app.account_id)
    friend_client = tweepy.Client(**{**x_user.tweepy_kwargs, **_tokens(x_sim, x_app, friend)})
    muted_client = tweepy.Client(**{**x_user.tweepy_kwargs, **_tokens(x_sim, x_app, muted)})
    now = x_sim.clock.now()
    x_sim.store.set_edge(FOLLOWS, x_user.id, friend.id, True, now)
    x_sim.store.set_edge(FOLLOWS, x_user.id, muted.id, True, now)
    x_sim.store.set_edge(MUTES, x_user.id, muted.id, True, now)
    mention = friend_client.create_tweet(text=f"hi @{x_user.user.username}").data["id"]
    muted_client.create_tweet(text="you will not see this")

    users = me.get_users(ids=[friend.id, "42"], user_auth=True)
    assert [u.username for u in users.data] == ["friend"] and users.errors[0]["value"] == "42"
    by_name = me.get_users(usernames=["friend", "muted"], user_fields=["created_at"], user_auth=True)
    assert {u.username for u in by_name.data} == {"friend", "muted"}

    mentions = me.get_users_mentions(x_user.id, expansions=["author_id"], user_auth=True)
    assert [t.id for t in mentions.data] == [int(mention)] and mentions.includes["users"][0].username == "friend"
    home = me.get_home_timeline(tweet_fields=["author_id"])
    assert [t.author_id for t in home.data] == [int(friend.id)]  # the muted account's post is left out
    pages = list(tweepy.Paginator(me.get_home_timeline, max_results=1).flatten(limit=10))
    assert len(pages) == 1


def _tokens(x_sim, x_app, user):
    token = x_sim.mint_oauth1_token(x_app.id, user.id)
    return {"access_token": token.token, "access_token_secret": token.secret}
