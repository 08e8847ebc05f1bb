"""xdk 0.10's webhooks, account-activity and activity clients, unmodified, given the simulator's base URL.

Each method is called against a receiver that answers X's CRC with the app's consumer secret (its own HMAC code),
and must give a real answer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from webhook_receiver import Receiver
from world_support import assert_answered
from xdk import Client

from xmock.simulator.models import App, User
from xmock.simulator.pytest_plugin import XSim

README = Path(__file__).resolve().parents[2] / "README.md"
FAMILIES = ("webhooks", "account_activity", "activity")
AAA_SCOPES = "dm.read dm.write tweet.read users.read"


@dataclass
class Ctx:
    sim: XSim
    app: App
    me: User
    c: Client  # the caller's OAuth 2.0 user token (with the Account Activity scopes) and the app's bearer token
    receiver: Receiver

    @property
    def url(self) -> str:
        return self.receiver.thread.base_url + "/hook"

    def hook(self) -> str:
        """The app's webhook at the receiver, registered through xdk; its id."""
        return self.c.webhooks.create(body={"url": self.url}).data.id

    def activity(self) -> str:
        """An activity subscription to my new followers, delivered to the app's webhook, made through xdk; its id."""
        body = {"event_type": "follow.follow", "filter": {"user_id": self.me.id}, "tag": "fans"}
        body["webhook_id"] = self.hook()
        return self.c.activity.create_subscription(body=body).data.subscription.subscription_id

    def subscribed(self) -> str:
        hook = self.hook()
        self.c.account_activity.create_subscription(hook, body={})
        return hook


def _minute(at: float) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y%m%d%H%M")


def _replay(x: Ctx) -> bool:
    hook = x.hook()
    now = x.sim.clock.now()
    job = x.c.webhooks.create_webhook_replay_job(
        body={"webhook_id": hook, "from_date": _minute(now - 3600), "to_date": _minute(now - 60)}
    )
    return job.data.job_id.isdigit()


def _linked(x: Ctx) -> str:
    hook = x.hook()
    x.c.webhooks.create_stream_link(hook)
    return hook

CALLS: dict[str, Callable[[Ctx], bool]] = {
    "webhooks.create": lambda x: x.c.webhooks.create(body={"url": x.url}).data.valid is True,
    "webhooks.get": lambda x: (hook := x.hook())
    and [(h.id, h.url) for h in x.c.webhooks.get(webhook_config_fields=["url", "valid"]).data] == [(hook, x.url)],
    "webhooks.validate": lambda x: x.c.webhooks.validate(x.hook()).data.valid is True,
    "webhooks.delete": lambda x: x.c.webhooks.delete(x.hook()).data.deleted is True
    and not x.c.webhooks.get().data,
    "webhooks.create_webhook_replay_job": _replay,
    "webhooks.create_stream_link": lambda x: x.c.webhooks.create_stream_link(x.hook()).data.provisioned is True,
    "webhooks.get_stream_links": lambda x: (hook := _linked(x))
    and [link.webhook_id for link in x.c.webhooks.get_stream_links().data] == [hook],
    "webhooks.delete_stream_link": lambda x: x.c.webhooks.delete_stream_link(_linked(x)).data.deleted is True
    and not x.c.webhooks.get_stream_links().data,
    "account_activity.create_subscription": lambda x: x.c.account_activity.create_subscription(x.hook(), body={})
    .data.subscribed
    is True
    and _delivered_after_subscribing(x),
    "account_activity.validate_subscription": lambda x: x.c.account_activity.validate_subscription(x.subscribed())
    .data.subscribed
    is True,
    "account_activity.get_subscriptions": lambda x: [
        s.user_id for s in x.c.account_activity.get_subscriptions(x.subscribed()).data.subscriptions
    ]
    == [x.me.id],
    "account_activity.get_subscription_count": lambda x: bool(x.subscribed())
    and x.c.account_activity.get_subscription_count().data.subscriptions_count_all == "1",
    "account_activity.delete_subscription": lambda x: x.c.account_activity.delete_subscription(
        hook := x.subscribed(), x.me.id
    ).data.subscribed
    is False
    and not x.c.account_activity.get_subscriptions(hook).data.subscriptions,
    "activity.create_subscription": lambda x: bool(x.activity()) and _follow_delivered(x),
    "activity.get_subscriptions": lambda x: (made := x.activity())
    and [s.subscription_id for s in first(x.c.activity.get_subscriptions()).data] == [made],
    "activity.update_subscription": lambda x: x.c.activity.update_subscription(x.activity(), body={"tag": "renamed"})
    .data.subscription.tag
    == "renamed",
    "activity.delete_subscription": lambda x: x.c.activity.delete_subscription(x.activity()).data.deleted is True
    and not first(x.c.activity.get_subscriptions()).data,
    "activity.delete_subscriptions_by_ids": lambda x: (made := x.activity())
    and [(d.subscription_id, d.deleted) for d in x.c.activity.delete_subscriptions_by_ids([made]).data]
    == [(made, True)],
}


def first(pages: Any) -> Any:
    """The first page of a paginating method (xdk yields pages), or the answer of one that does not."""
    return next(iter(pages)) if inspect.isgenerator(pages) else pages


def _follow_delivered(x: Ctx) -> bool:
    fan = x.sim.create_user(username="xdkfollower", name="Fan")
    x.sim.follow(fan.id, x.me.id)
    got = x.receiver.wait_for(1)
    return bool(got) and got[0]["data"]["event_type"] == "follow.follow" and got[0]["data"]["tag"] == "fans"


def _delivered_after_subscribing(x: Ctx) -> bool:
    fan = x.sim.create_user(username="xdkfan", name="Fan")
    x.sim.follow(fan.id, x.me.id)
    got = x.receiver.wait_for(1)
    return bool(got) and got[0]["for_user_id"] == x.me.id and "follow_events" in got[0]


def api_methods() -> set[str]:
    client = Client(base_url="http://127.0.0.1:9")
    return {
        f"{family}.{name}"
        for family in FAMILIES
        for name, _ in inspect.getmembers(type(getattr(client, family)), inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.fixture
def ctx(x_sim, x_app, x_user):
    token = requests.post(
        x_sim.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(x_app.consumer_key, x_app.consumer_secret),
    )
    access, _ = x_sim.mint_oauth2_token(x_app.id, x_user.id, AAA_SCOPES)
    client = Client(base_url=x_sim.base_url, access_token=access.token, bearer_token=token.json()["access_token"])
    receiver = Receiver(x_app.consumer_secret)
    with receiver.thread:
        yield Ctx(x_sim, x_app, x_user.user, client, receiver)


def test_every_method_is_called():
    methods = api_methods()
    assert len(methods) == 18, "xdk's clients changed: look at what they added or dropped"
    assert methods == CALLS.keys()  # every method answers; one xdk adds shows up here


@pytest.mark.parametrize("method", sorted(CALLS))
def test_method_answers(method, ctx, x_sim):
    before = len(x_sim.journal())
    assert CALLS[method](ctx) is True
    assert_answered(x_sim, before, method)


def test_readme_states_the_measured_count():
    answered, total = len(CALLS), len(api_methods())
    clients = "xdk 0.10's webhooks, account-activity and activity clients"
    claim = f"{clients}: xmock answers {answered} of their {total} methods"
    assert claim in README.read_text(encoding="utf-8")
