"""Request bodies in the journal: kept as sent, cut to the setting, credentials redacted when read."""

from __future__ import annotations

import json

import requests
import tweepy

from xmock.simulator import Simulator
from xmock.simulator.interception import mock_x
from xmock.simulator.journal_body import parsed, readable, render
from xmock.simulator.redact import fingerprint


def test_json_bodies_are_journalled_and_readable():
    with mock_x() as x:
        user = x.user()
        tweepy.Client(**user.tweepy_kwargs).create_tweet(text="hello journal")
        entry = x.journal(method="POST", path="/2/tweets")[-1]
        assert json.loads(entry["body"]) == {"text": "hello journal"}
        assert entry["body_size"] == len(entry["body"].encode()) and "json" in entry["content_type"]
        tweepy.Client(**user.tweepy_kwargs).get_me(user_auth=True)
        assert "body" not in x.journal(method="GET", path="/2/users/me")[-1]  # no body, nothing kept


def test_form_credentials_are_redacted_when_read():
    with mock_x() as x:
        app = x.app()
        body = f"grant_type=refresh_token&refresh_token=R3FRESH&client_id={app.client_id}&client_secret=S3CRET"
        headers = {"content-type": "application/x-www-form-urlencoded"}
        requests.post("https://api.x.com/2/oauth2/token", data=body, headers=headers)
        entry = x.journal(path="/2/oauth2/token")[-1]
        text = json.dumps(x.journal())
        assert "R3FRESH" not in text and "S3CRET" not in text
        assert f"refresh_token={fingerprint('R3FRESH')}" in entry["body"]
        assert f"client_id={app.client_id}" in entry["body"] and "grant_type=refresh_token" in entry["body"]


def test_json_credentials_and_binary_bodies():
    sent = b'{"password": "hunter2", "a": [{"api_key": "k"}], "text": "t"}'
    assert json.loads(render(sent, "application/json")) == {
        "password": fingerprint("hunter2"),
        "a": [{"api_key": fingerprint("k")}],
        "text": "t",
    }
    assert render(b'{"text": "unchanged"}', "application/json") == '{"text": "unchanged"}'
    assert render(b"\xff\xfe\x00", "image/png") == "<image/png, 3 bytes>"
    assert render(b"--b\r\n...", "multipart/form-data; boundary=b") == "<multipart/form-data, 8 bytes>"


def test_bodies_are_cut_to_the_setting_and_can_be_switched_off():
    sim = Simulator()
    sim.configure(journal_body_bytes=16)
    with mock_x(sim) as x:
        tweepy.Client(**x.user().tweepy_kwargs).create_tweet(text="x" * 100)
        entry = x.journal(method="POST", path="/2/tweets")[-1]
    assert entry["body"] == '{"text": "xxxxxx' and entry["body_truncated"] and entry["body_size"] == 112
    assert parsed(entry) is None and readable(entry) is entry  # a cut body is not taken for JSON
    sim.configure(journal_body_bytes=0)
    with mock_x(sim) as x:
        tweepy.Client(**x.user().tweepy_kwargs).create_tweet(text="not kept")
        assert "body" not in x.journal(method="POST", path="/2/tweets")[-1]


def test_the_control_api_serves_bodies_as_text(base, sim):
    # `base` and `sim` are a served simulator (tests/conftest.py): the body crosses JSON as text
    from xmock.simulator.arrange import developer_app, oauth1_user

    user = oauth1_user(sim, developer_app(sim))
    with mock_x(url=base):
        tweepy.Client(**user.tweepy_kwargs).create_tweet(text="over the wire")
    entries = requests.get(base + "/_xmock/journal", params={"path": "/2/tweets"}).json()["entries"]
    assert json.loads(entries[-1]["body"]) == {"text": "over the wire"}


def test_a_shared_store_keeps_bodies_as_redacted_text(redis_server):
    sim = Simulator(store=redis_server.store())
    with mock_x(sim) as x:
        app = x.app()
        form = {"grant_type": "refresh_token", "refresh_token": "R3FRESH", "client_id": app.client_id}
        requests.post("https://api.x.com/2/oauth2/token", data=form)
        tweepy.Client(**x.user().tweepy_kwargs).create_tweet(text="shared")
        x.assert_requested("POST", "/2/tweets", json={"text": "shared"}, count=1)
        (entry,) = x.journal(path="/2/oauth2/token")
        assert f"refresh_token={fingerprint('R3FRESH')}" in entry["body"] and "R3FRESH" not in json.dumps(entry)


def test_json_nested_past_what_can_be_searched_is_described_not_kept():
    deep = b"[" * 50_000 + b"]" * 50_000
    assert render(deep, "application/json") == "<JSON nested too deeply to redact, 100000 bytes>"
