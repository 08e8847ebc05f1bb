"""tweepy 4.17's list and bookmark methods, unmodified, against the simulator through the x_mock fixture."""

from __future__ import annotations

import tweepy

LIST_METHODS = {
    "create_list", "get_list", "update_list", "delete_list", "get_owned_lists", "get_list_members",
    "add_list_member", "remove_list_member", "get_list_memberships", "get_list_followers", "follow_list",
    "unfollow_list", "get_followed_lists", "pin_list", "unpin_list", "get_pinned_lists", "get_list_tweets",
}  # fmt: skip
BOOKMARK_METHODS = {"bookmark", "remove_bookmark", "get_bookmarks"}


def test_tweepy_has_the_methods_called_here():
    assert set(dir(tweepy.Client)) >= LIST_METHODS | BOOKMARK_METHODS


def test_client_list_methods_over_oauth1(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    member = x_sim.create_user(username="tweepymember")
    member_post = x_sim.mint_oauth1_token(x_user.app.id, member.id)
    poster = tweepy.Client(
        consumer_key=x_user.app.consumer_key,
        consumer_secret=x_user.app.consumer_secret,
        access_token=member_post.token,
        access_token_secret=member_post.secret,
    )
    post_id = poster.create_tweet(text="on the list").data["id"]

    created = client.create_list("tweepy list", description="made by tweepy", private=False)
    list_id = created.data["id"]
    assert created.data == {"id": list_id, "name": "tweepy list"}
    got = client.get_list(list_id, list_fields=["description", "owner_id"], expansions="owner_id", user_auth=True)
    assert got.data.description == "made by tweepy" and got.includes["users"][0].id == int(x_user.id)
    assert client.update_list(list_id, name="renamed").data == {"updated": True}
    assert client.add_list_member(list_id, member.id).data == {"is_member": True}
    assert [u.id for u in client.get_list_members(list_id, user_auth=True).data] == [int(member.id)]
    assert [p.id for p in client.get_list_tweets(list_id, user_auth=True).data] == [int(post_id)]
    assert client.get_list_memberships(member.id, user_auth=True).data[0].name == "renamed"
    owned = client.get_owned_lists(x_user.id, user_auth=True).data
    assert [x.id for x in owned] == [list_id]  # tweepy keeps a list's id as text

    assert client.follow_list(list_id).data == {"following": True}
    assert client.get_followed_lists(x_user.id, user_auth=True).data[0].id == list_id
    assert client.get_list_followers(list_id, user_auth=True).data[0].id == int(x_user.id)
    assert client.unfollow_list(list_id).data == {"following": False}
    assert client.pin_list(list_id).data == {"pinned": True}
    assert client.get_pinned_lists(list_fields="private").data[0].private is False
    assert client.unpin_list(list_id).data == {"pinned": False}
    assert client.remove_list_member(list_id, member.id).data == {"is_member": False}
    assert client.delete_list(list_id).data == {"deleted": True}
    x_sim.assert_requested("POST", "/2/lists", status=201, user=x_user.id, count=1)


def test_client_bookmark_methods_over_oauth2(x_mock, x_sim, x_user):
    scopes = "tweet.read tweet.write users.read bookmark.read bookmark.write offline.access"
    access, _ = x_sim.mint_oauth2_token(x_user.app.id, x_user.id, scopes)
    client = tweepy.Client(bearer_token=access.token)
    post_id = client.create_tweet(text="keep this", user_auth=False).data["id"]
    assert client.bookmark(post_id).data == {"bookmarked": True}
    got = client.get_bookmarks(tweet_fields=["public_metrics"])
    assert got.data[0].id == int(post_id) and got.data[0].public_metrics["bookmark_count"] == 1
    assert client.remove_bookmark(post_id).data == {"bookmarked": False}
    assert client.get_bookmarks().meta == {"result_count": 0}
