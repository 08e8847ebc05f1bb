"""The examples in the README's "Use it in your tests", verbatim: they must keep working."""

from pathlib import Path

import pytest
import tweepy
from docs_support import ROOT, code_blocks, section

from xmock.simulator.interception import mock_x


# --- example: fixtures --------------------------------------------------------------------
def test_posting_a_scheduled_update(x_mock, x_sim, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)  # unmodified client, real X URLs

    client.create_tweet(text="Our spring menu is here")

    x_sim.assert_requested("POST", "/2/tweets", status=201, user=x_user.id)
    assert x_sim.findings() == []


# --- example: arranging a world ---------------------------------------------------------------
def test_a_digest_of_a_thread_and_its_audience(x_mock, x_sim, x_user):
    fans = x_sim.add_followers(x_user.id, 3)
    thread = x_sim.create_thread(x_user.id, ["Our spring menu, a thread", "Starters first"])
    x_sim.like(fans[0].id, thread[0].id)
    regulars = x_sim.create_list(x_user.id, "regulars", members=[f.id for f in fans])

    client = tweepy.Client(**x_user.tweepy_kwargs)
    followers = client.get_users_followers(x_user.id, user_auth=True)
    assert {u.id for u in followers.data} == {int(f.id) for f in fans}
    post = client.get_tweet(thread[1].id, tweet_fields=["conversation_id"], user_auth=True).data
    assert post.conversation_id == int(thread[0].id)
    members = client.get_list_members(regulars.id, user_auth=True)
    assert len(members.data) == 3


# --- example: the audience -------------------------------------------------------------------
def test_replies_arrive_in_the_next_minute(x_mock, x_sim, x_clock, x_user, x_audience):
    x_clock.freeze()
    post = x_sim.create_post(x_user.id, "Our spring menu is here")
    x_audience.replies(to=post, count=3, within=60)
    x_audience.follows(x_user.id, count=2)

    client = tweepy.Client(**x_user.tweepy_kwargs)
    assert client.get_users_mentions(x_user.id, user_auth=True).data is None
    x_clock.advance(60)
    mentions = client.get_users_mentions(x_user.id, user_auth=True).data
    assert [m.text.startswith("@" + x_user.user.username) for m in mentions] == [True] * 3
    assert len(client.get_users_followers(x_user.id, user_auth=True).data) == 2


# --- example: markers ---------------------------------------------------------------------
@pytest.mark.xmock_fault(path="/2/tweets", status=503, count=1)
def test_a_503_is_retried_once(x_mock, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    with pytest.raises(tweepy.TwitterServerError):
        client.create_tweet(text="hello")
    assert client.create_tweet(text="hello").data["text"] == "hello"


# --- example: what was sent ------------------------------------------------------------------
def test_what_was_sent(x_mock, x_sim, x_app, x_user):
    client = tweepy.Client(**x_user.tweepy_kwargs)
    client.create_tweet(text="Our spring menu is here")
    client.get_users_tweets(x_user.id, user_auth=True)

    x_sim.assert_requested("POST", "/2/tweets", json={"text": "Our spring menu is here"}, user=x_user)
    x_sim.assert_requested("GET", "/2/users/:id/tweets", app=x_app, count=1)
    x_sim.assert_not_requested("DELETE", "/2/tweets/*")
    assert [p.text for p in x_sim.posts(author=x_user)] == ["Our spring menu is here"]


# --- example: mock_x as a decorator ------------------------------------------------------------
@mock_x()
def test_mock_x_as_a_decorator(x):
    client = tweepy.Client(**x.user().tweepy_kwargs)
    client.create_tweet(text="hello from a decorated test")
    x.assert_requested("POST", "/2/tweets", text_contains="decorated", count=1)


# --- example: mock_x without the plugin -----------------------------------------------------
def test_mock_x_in_process():
    with mock_x() as x:
        sim = x.simulator
        account = sim.create_account("Acme")
        app = sim.create_app(account.id, "Acme Scheduler")
        user = sim.create_user(username="acme", account_id=account.id)
        token = sim.mint_oauth1_token(app.id, user.id)

        client = tweepy.Client(
            consumer_key=app.consumer_key,
            consumer_secret=app.consumer_secret,
            access_token=token.token,
            access_token_secret=token.secret,
        )
        assert client.get_me(user_auth=True).data.username == "acme"


def test_the_readme_shows_these_examples_verbatim():
    readme = (ROOT / "README.md").read_text()
    blocks = code_blocks(section(readme, "## Use it in your tests", "## Time that clients feel"))
    source = Path(__file__).read_text()
    assert len(blocks) == 7
    for block in blocks:
        assert block in source, block[:60]


# --- example: stubs (the time recipes run in tests/test_guide_examples.py) ------------------
def test_an_outage_on_one_call(x_mock, x_sim, x_user):
    x_sim.stub("GET", "/2/users/:id/mentions", status=503, body={"title": "Service Unavailable"}, count=1)
    client = tweepy.Client(**x_user.tweepy_kwargs)
    with pytest.raises(tweepy.TwitterServerError):
        client.get_users_mentions(x_user.id, user_auth=True)
    assert client.get_users_mentions(x_user.id, user_auth=True).data is None  # X's own answer again


def test_the_time_and_stubs_section_shows_these_examples_verbatim():
    readme = (ROOT / "README.md").read_text()
    blocks = code_blocks(section(readme, "## Time that clients feel", "## Pointing a client"))
    source = Path(__file__).read_text()
    assert len(blocks) == 1
    for block in blocks:
        assert block in source, block[:60]
