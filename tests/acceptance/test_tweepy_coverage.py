"""Every API method of tweepy 4.17's `Client` and `StreamingClient`, unmodified, through x_mock, against one
arranged world.

Each method is called here and must give a real answer. tweepy 4.17 has no method whose endpoint X's spec 2.167
dropped (its block and unblock went earlier): every call below is checked to reach an operation of the spec.
`Client` has 68 names for 65 methods: `create_dm`, `create_dm_conversation` and `get_dm_events` are aliases.
"""

from __future__ import annotations

import inspect
import queue
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import tweepy
from stream_support import WAIT, wait_open
from world_support import SCOPES, World, arrange, assert_answered

README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass
class Ctx:
    w: World
    c: tweepy.Client  # OAuth 1.0a user context for writes and user_auth=True, the app's bearer token for reads
    o2: tweepy.Client  # an OAuth 2.0 user token (bookmarks take nothing else; DMs, with the dm.* scopes)


def ids(items) -> list[int]:
    return [item.id for item in items or ()]


def n(value) -> int:
    return int(value.id)


CALLS: dict[str, Callable[[Ctx], bool]] = {
    # posts
    "create_tweet": lambda x: x.c.create_tweet(text="a new post").data["text"] == "a new post",
    "delete_tweet": lambda x: x.c.delete_tweet(x.w.mine.id).data == {"deleted": True},
    "get_tweet": lambda x: x.c.get_tweet(x.w.post.id).data.text == "cats are the best",
    "get_tweets": lambda x: ids(x.c.get_tweets([x.w.post.id, x.w.mine.id]).data) == [n(x.w.post), n(x.w.mine)],
    "get_users_tweets": lambda x: n(x.w.mine) in ids(x.c.get_users_tweets(x.w.me.id).data),
    "get_users_mentions": lambda x: ids(x.c.get_users_mentions(x.w.me.id).data) == [n(x.w.mention)],
    "get_home_timeline": lambda x: n(x.w.post) in ids(x.c.get_home_timeline().data),
    "search_recent_tweets": lambda x: n(x.w.post) in ids(x.c.search_recent_tweets("cats -is:retweet").data),
    "search_all_tweets": lambda x: n(x.w.post) in ids(x.c.search_all_tweets("cats").data),
    "get_recent_tweets_count": lambda x: x.c.get_recent_tweets_count("cats").meta["total_tweet_count"] >= 4,
    "get_all_tweets_count": lambda x: x.c.get_all_tweets_count("cats").meta["total_tweet_count"] >= 4,
    "get_quote_tweets": lambda x: ids(x.c.get_quote_tweets(x.w.mine.id).data) == [n(x.w.quote)],
    "hide_reply": lambda x: x.c.hide_reply(x.w.reply.id).data == {"hidden": True},
    "unhide_reply": lambda x: x.c.unhide_reply(x.w.reply.id).data == {"hidden": False},
    # likes and reposts
    "like": lambda x: x.c.like(x.w.mine.id).data == {"liked": True},
    "unlike": lambda x: x.c.unlike(x.w.post.id).data == {"liked": False},
    "get_liking_users": lambda x: ids(x.c.get_liking_users(x.w.mine.id, user_auth=True).data) == [n(x.w.fans[0])],
    "get_liked_tweets": lambda x: ids(x.c.get_liked_tweets(x.w.me.id, user_auth=True).data) == [n(x.w.post)],
    "retweet": lambda x: x.c.retweet(x.w.post.id).data["retweeted"] is True,
    "unretweet": lambda x: x.c.unretweet(x.w.post.id).data == {"retweeted": False},
    "get_retweeters": lambda x: ids(x.c.get_retweeters(x.w.mine.id).data) == [n(x.w.fans[0])],
    # users and the graph
    "get_me": lambda x: x.c.get_me().data.username == x.w.me.username,
    "get_user": lambda x: x.c.get_user(username="friendly").data.id == n(x.w.friend),
    "get_users": lambda x: ids(x.c.get_users(ids=[x.w.friend.id, x.w.protected.id]).data)
    == [n(x.w.friend), n(x.w.protected)],
    "get_users_followers": lambda x: sorted(ids(x.c.get_users_followers(x.w.me.id).data))
    == sorted(n(f) for f in x.w.fans),
    "get_users_following": lambda x: ids(x.c.get_users_following(x.w.me.id).data) == [n(x.w.friend)],
    "follow_user": lambda x: x.c.follow_user(x.w.protected.id).data == {"following": False, "pending_follow": True},
    "follow": lambda x: x.c.follow(x.w.fans[0].id).data == {"following": True, "pending_follow": False},
    "unfollow_user": lambda x: x.c.unfollow_user(x.w.friend.id).data == {"following": False},
    "unfollow": lambda x: x.c.unfollow(x.w.friend.id).data == {"following": False},
    "get_blocked": lambda x: ids(x.c.get_blocked().data) == [n(x.w.blocked)],
    "get_muted": lambda x: ids(x.c.get_muted().data) == [n(x.w.muted)],
    "mute": lambda x: x.c.mute(x.w.friend.id).data == {"muting": True},
    "unmute": lambda x: x.c.unmute(x.w.muted.id).data == {"muting": False},
    # lists
    "create_list": lambda x: x.c.create_list("dog people").data["name"] == "dog people",
    "get_list": lambda x: x.c.get_list(x.w.lst.id).data.name == "cat people",
    "update_list": lambda x: x.c.update_list(x.w.lst.id, name="cat folk").data == {"updated": True},
    "delete_list": lambda x: x.c.delete_list(x.w.lst.id).data == {"deleted": True},
    "get_owned_lists": lambda x: [lst.id for lst in x.c.get_owned_lists(x.w.me.id).data] == [x.w.lst.id],
    "get_list_members": lambda x: ids(x.c.get_list_members(x.w.lst.id).data) == [n(x.w.friend)],
    "add_list_member": lambda x: x.c.add_list_member(x.w.lst.id, x.w.protected.id).data == {"is_member": True},
    "remove_list_member": lambda x: x.c.remove_list_member(x.w.lst.id, x.w.friend.id).data == {"is_member": False},
    "get_list_memberships": lambda x: [lst.id for lst in x.c.get_list_memberships(x.w.friend.id).data]
    == [x.w.lst.id],
    "get_list_tweets": lambda x: n(x.w.post) in ids(x.c.get_list_tweets(x.w.lst.id).data),
    "follow_list": lambda x: x.c.follow_list(x.w.lst.id).data == {"following": True},
    "unfollow_list": lambda x: x.c.follow_list(x.w.lst.id) and x.c.unfollow_list(x.w.lst.id).data
    == {"following": False},
    "get_list_followers": lambda x: x.c.follow_list(x.w.lst.id)
    and ids(x.c.get_list_followers(x.w.lst.id).data) == [n(x.w.me)],
    "get_followed_lists": lambda x: x.c.follow_list(x.w.lst.id)
    and [lst.id for lst in x.c.get_followed_lists(x.w.me.id).data] == [x.w.lst.id],
    "pin_list": lambda x: x.c.pin_list(x.w.lst.id).data == {"pinned": True},
    "unpin_list": lambda x: x.c.pin_list(x.w.lst.id) and x.c.unpin_list(x.w.lst.id).data == {"pinned": False},
    "get_pinned_lists": lambda x: x.c.pin_list(x.w.lst.id)
    and [lst.id for lst in x.c.get_pinned_lists().data] == [x.w.lst.id],
    # bookmarks
    "bookmark": lambda x: x.o2.bookmark(x.w.mine.id).data == {"bookmarked": True},
    "remove_bookmark": lambda x: x.o2.remove_bookmark(x.w.post.id).data == {"bookmarked": False},
    "get_bookmarks": lambda x: ids(x.o2.get_bookmarks().data) == [n(x.w.post)],
    # direct messages (OAuth 2.0: the world's app lacks the DM permission its OAuth 1.0a tokens would need)
    "create_direct_message": lambda x: x.o2.create_direct_message(
        participant_id=x.w.friend.id, text="hi", user_auth=False
    ).data["dm_conversation_id"] == x.w.dm.dm_conversation_id,
    "create_dm": lambda x: x.o2.create_dm(
        dm_conversation_id=x.w.dm.dm_conversation_id, text="again", user_auth=False
    ).data["dm_conversation_id"] == x.w.dm.dm_conversation_id,
    "create_direct_message_conversation": lambda x: x.o2.create_direct_message_conversation(
        text="all of us", participant_ids=[x.w.friend.id, x.w.fans[0].id], user_auth=False
    ).data["dm_conversation_id"].isdigit(),
    "create_dm_conversation": lambda x: len(x.o2.create_dm_conversation(
        text="group", participant_ids=[x.w.friend.id, x.w.fans[1].id], user_auth=False
    ).data["dm_event_id"]) > 0,
    "get_direct_message_events": lambda x: [
        (e.text, e.sender_id) for e in x.o2.get_direct_message_events(
            participant_id=x.w.friend.id, dm_event_fields=["sender_id", "created_at"], user_auth=False
        ).data
    ] == [("hello from friend", n(x.w.friend))],
    "get_dm_events": lambda x: [e.id for e in x.o2.get_dm_events(
        dm_conversation_id=x.w.dm.dm_conversation_id, expansions="sender_id", user_auth=False
    ).data] == [n(x.w.dm)],
    # batch compliance (the app's bearer token)
    "create_compliance_job": lambda x: x.c.create_compliance_job("users", name="nightly").data["status"]
    == "created",
    "get_compliance_job": lambda x: x.c.get_compliance_job(
        job := x.c.create_compliance_job("tweets").data["id"]
    ).data["id"] == job,
    "get_compliance_jobs": lambda x: (job := x.c.create_compliance_job("tweets").data["id"])
    and [j["id"] for j in x.c.get_compliance_jobs("tweets").data] == [job],
    # Spaces (the app's bearer token; a Space's buyers: its creator's OAuth 2.0 user token only)
    "get_space": lambda x: x.c.get_space(x.w.space["id"], space_fields=["title"]).data.title == "all about cats",
    "get_spaces": lambda x: [s.id for s in x.c.get_spaces(ids=[x.w.space["id"], "1DXxyRYNejbKM"]).data]
    == [x.w.space["id"]]
    and [s.id for s in x.c.get_spaces(user_ids=[x.w.me.id]).data] == [x.w.space["id"]],
    "get_space_buyers": lambda x: ids(x.o2.get_space_buyers(x.w.space["id"]).data)
    == [n(x.w.fans[0])],
    "get_space_tweets": lambda x: ids(x.c.get_space_tweets(x.w.space["id"]).data) == [n(x.w.post)],
    "search_spaces": lambda x: [s.id for s in x.c.search_spaces("cats", state="live").data] == [x.w.space["id"]],
}


def api_methods() -> set[str]:
    """tweepy's Client methods that call the API: every public function but the raw `request`."""
    return {
        name for name, _ in inspect.getmembers(tweepy.Client, inspect.isfunction) if not name.startswith("_")
    } - {"request"}


def distinct(names: set[str]) -> int:
    """How many methods these names are (an alias is the same function under another name)."""
    return len({getattr(tweepy.Client, name) for name in names})


def streaming_methods() -> set[str]:
    """StreamingClient's methods that call the API (not its `on_*` callbacks, `request` or `disconnect`)."""
    return {
        name for name, _ in inspect.getmembers(tweepy.StreamingClient, inspect.isfunction)
        if not name.startswith(("_", "on_")) and name not in ("request", "disconnect")
    }  # fmt: skip


@pytest.fixture
def ctx(x_mock, x_sim, x_app, x_user) -> Ctx:
    world = arrange(x_sim, x_app, x_user.user)
    bearer = tweepy.OAuth2AppHandler(x_app.consumer_key, x_app.consumer_secret)._bearer_token
    access, _ = x_sim.mint_oauth2_token(x_app.id, x_user.id, SCOPES)
    return Ctx(world, tweepy.Client(bearer_token=bearer, **x_user.tweepy_kwargs), tweepy.Client(access.token))


def test_every_method_is_called():
    methods = api_methods()
    assert (len(methods), distinct(methods)) == (68, 65), "tweepy's Client changed: look at what it added or dropped"
    assert methods == CALLS.keys()


@pytest.mark.filterwarnings("ignore:Client.(un)?follow is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", sorted(CALLS))
def test_method_answers(method, ctx, x_sim):
    before = len(x_sim.journal())
    assert CALLS[method](ctx) is True
    assert_answered(x_sim, before, method)


def test_every_streaming_method_answers(x_mock, x_sim, x_app, x_user):
    """add_rules, get_rules, delete_rules, filter and sample, each for real."""
    assert streaming_methods() == {"add_rules", "delete_rules", "filter", "get_rules", "sample"}
    token = requests.post(
        x_sim.url("/oauth2/token"), data={"grant_type": "client_credentials"},
        auth=(x_app.consumer_key, x_app.consumer_secret),
    ).json()["access_token"]  # fmt: skip
    class Collect(tweepy.StreamingClient):
        got: queue.Queue

        def on_response(self, response):
            self.got.put(response)

    before = len(x_sim.journal())
    client = Collect(token, max_retries=1)
    added = client.add_rules([tweepy.StreamRule("cats"), tweepy.StreamRule("dogs")])
    assert {r.value for r in client.get_rules().data} == {"cats", "dogs"}
    client.delete_rules([added.data[1].id])
    assert [r.value for r in client.get_rules().data] == ["cats"]
    for connect, endpoint in ((client.filter, "filtered_stream"), (client.sample, "sample_stream")):
        client.got = queue.Queue()  # what the last connection read after its test post stays there
        thread = connect(threaded=True)
        try:
            wait_open(x_sim.simulator, x_app.id, endpoint)
            x_sim.create_post(x_user.id, f"cats on the {endpoint}")
            assert client.got.get(timeout=WAIT).data.text == f"cats on the {endpoint}"
        finally:
            client.disconnect()
            x_sim.create_post(x_user.id, "cats to wake the reader")
            thread.join(WAIT)
    assert_answered(x_sim, before, "StreamingClient")


def test_readme_states_the_measured_count(capsys):
    answered, total = distinct(set(CALLS)), distinct(api_methods())
    claim = f"tweepy 4.17's `Client`: xmock answers {answered} of its {total} API methods"
    streaming = f"`StreamingClient`: {len(streaming_methods())} of its 5"
    with capsys.disabled():
        print(f"\n{claim}, {streaming}")
    text = README.read_text(encoding="utf-8")
    assert claim in text and streaming in text
