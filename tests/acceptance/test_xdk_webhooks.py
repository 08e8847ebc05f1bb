"""xdk 0.10's webhooks and account-activity clients, unmodified, given the simulator's base URL.

Each method is called against a receiver that answers X's CRC with the app's consumer secret (its own HMAC code),
or listed as not simulated yet (and must still get X's 404 with `x-xmock-not-simulated`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from webhook_receiver import Receiver
from world_support import assert_answered
from xdk import Client

from xmock.simulator.models import App, User
from xmock.simulator.pytest_plugin import XSim

README = Path(__file__).resolve().parents[2] / "README.md"
FAMILIES = ("webhooks", "account_activity")
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
}


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
    assert len(methods) == 13, "xdk's clients changed: look at what they added or dropped"
    assert methods == CALLS.keys()  # every method answers; one xdk adds shows up here


@pytest.mark.parametrize("method", sorted(CALLS))
def test_method_answers(method, ctx, x_sim):
    before = len(x_sim.journal())
    assert CALLS[method](ctx) is True
    assert_answered(x_sim, before, method)


def test_readme_states_the_measured_count():
    answered, total = len(CALLS), len(api_methods())
    claim = f"xdk 0.10's webhooks and account-activity clients: xmock answers {answered} of their {total} methods"
    assert claim in README.read_text(encoding="utf-8")
