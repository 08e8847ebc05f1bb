"""Assertions on what was sent (x_sim's and mock_x()'s): one path rule, objects as filters, bodies, no secrets."""

from __future__ import annotations

import pytest
import tweepy

from xmock.simulator.interception import mock_x


def _posted(x, text="hello evidence"):
    user = x.user()
    client = tweepy.Client(**user.tweepy_kwargs)
    client.create_tweet(text=text)
    client.get_users_tweets(user.id, user_auth=True)
    return user


def test_paths_match_exactly_by_wildcard_or_template_and_never_by_prefix():
    with mock_x() as x:
        user = _posted(x)
        assert len(x.assert_requested("POST", "/2/tweets", count=1)) == 1
        x.assert_requested("GET", "/2/users/:id/tweets")
        x.assert_requested("GET", "/2/users/{id}/tweets", count=1)
        x.assert_requested("GET", f"/2/users/{user.id}/*")
        with pytest.raises(AssertionError, match="expected POST /2/tw at least once, found 0"):
            x.assert_requested("POST", "/2/tw")
        x.assert_not_requested("POST", "/2/tw")
        assert x.journal(path="/2/users") == []
        with pytest.raises(AssertionError, match="expected GET /2/users/:id/tweets 0 time"):
            x.assert_not_requested("GET", "/2/users/:id/tweets")


def test_body_assertions():
    with mock_x() as x:
        _posted(x, "the body we sent")
        x.assert_requested("POST", "/2/tweets", json={"text": "the body we sent"})
        x.assert_requested("POST", "/2/tweets", text_contains="we sent")
        with pytest.raises(AssertionError, match=r"(?s)json=\{'text': 'other'\}.*body='\{\"text\": \"the body we sent"):
            x.assert_requested("POST", "/2/tweets", json={"text": "other"})
        with pytest.raises(AssertionError, match="text_contains='nope'"):
            x.assert_requested("POST", "/2/tweets", text_contains="nope")


def test_fixture_objects_are_filters_and_anything_else_is_refused():
    with mock_x() as x:
        user = _posted(x)
        other = x.user()
        app = x.app()
        assert x.journal(app=app) == x.journal(app=app.id) != []
        assert x.journal(user=user) == x.journal(user=user.user) == x.journal(user=int(user.id)) != []
        assert x.journal(user=other) == []
        x.assert_requested("POST", "/2/tweets", user=user, app=app, count=1)
        x.assert_not_requested("POST", "/2/tweets", user=other)
        assert x.ledger(app) == x.ledger(app.id) != []
        assert [p.text for p in x.posts(author=user)] == ["hello evidence"]
        assert x.posts(author=other) == [] and len(x.posts(app=app, text_contains="evidence")) == 1
        with pytest.raises(TypeError, match=r"app=: expected an id \(text or integer\) or App, got XUser"):
            x.journal(app=user)
        with pytest.raises(TypeError, match=r"user=: expected .* or User, or an XUser, got dict"):
            x.assert_requested("POST", "/2/tweets", user={"id": user.id})
        with pytest.raises(TypeError, match=r"app=: .* got float"):
            x.ledger(1.5)


def test_a_failed_assertion_never_shows_a_secret():
    with mock_x() as x:
        user = _posted(x)
        secrets = [
            user.oauth1.token,
            user.oauth1.secret,
            user.app.consumer_secret,
            user.app.client_secret,
        ]
        with pytest.raises(AssertionError) as failure:
            x.assert_requested("POST", "/2/tweets", count=3, user=user, app=user.app, text_contains="x")
        shown = str(failure.value) + repr(user) + repr(user.app) + repr(user.oauth1)
        assert f"user={user.id}" in str(failure.value)
        for secret in secrets:
            assert secret not in shown


def test_a_remote_handle_says_where_the_evidence_is():
    with mock_x(url="http://127.0.0.1:9") as x, pytest.raises(RuntimeError, match="/_xmock/journal"):
        x.journal()
