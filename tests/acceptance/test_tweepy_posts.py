"""tweepy 4.17's post-family Client methods, unmodified, against the simulator through x_mock."""

from __future__ import annotations

import tweepy


def test_client_post_family_methods(x_mock, x_sim, x_app, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    x_sim.clock.freeze()
    post_id = client.create_tweet(text="tweepy cats").data["id"]
    fan = x_sim.create_user(username="tweepyfan")
    x_sim.like(fan.id, post_id)
    x_sim.repost(fan.id, post_id)
    quote = client.create_tweet(text="quoting cats", quote_tweet_id=post_id).data["id"]
    reply = x_sim.create_user(username="replier")
    reply_client = tweepy.Client(**{**x_user.tweepy_kwargs, **_oauth1(x_sim, x_app, reply)})
    reply_id = reply_client.create_tweet(text="a reply", in_reply_to_tweet_id=post_id).data["id"]
    x_sim.clock.advance(1)
    assert client.like(post_id).data == {"liked": True}

    likers = client.get_liking_users(post_id, user_auth=True)
    assert [u.username for u in likers.data] == [x_user.user.username, "tweepyfan"] and likers.meta["result_count"] == 2
    liked = client.get_liked_tweets(x_user.id, user_auth=True)
    assert [t.id for t in liked.data] == [int(post_id)]
    assert [u.id for u in client.get_retweeters(post_id, user_auth=True).data] == [int(fan.id)]
    assert [t.id for t in client.get_quote_tweets(post_id, user_auth=True).data] == [int(quote)]
    assert client.hide_reply(reply_id).data == {"hidden": True}
    assert client.unhide_reply(reply_id).data == {"hidden": False}

    bearer = tweepy.OAuth2AppHandler(x_app.consumer_key, x_app.consumer_secret)._bearer_token
    app_client = tweepy.Client(bearer_token=bearer)
    recent = app_client.get_recent_tweets_count("cats", granularity="day")
    assert recent.meta["total_tweet_count"] == 3  # the post, the quote, and the repost's RT text
    archive = app_client.get_all_tweets_count("cats", granularity="day")
    assert archive.meta["total_tweet_count"] == 3
    found = app_client.search_all_tweets("cats -is:retweet")
    assert {t.id for t in found.data} == {int(post_id), int(quote)}


def _oauth1(x_sim, x_app, user):
    token = x_sim.mint_oauth1_token(x_app.id, user.id)
    return {"access_token": token.token, "access_token_secret": token.secret}
