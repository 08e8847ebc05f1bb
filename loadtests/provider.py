"""Provider-driven load: tenants' backends calling the reference provider's HTTP API, which calls X.

    .venv/bin/xmock serve --no-demo --port 8000 &
    .venv/bin/xmock provider reference --x-url http://127.0.0.1:8000 --port 9000 &
    XMOCK_SIMULATOR_URL=http://127.0.0.1:8000 .venv/bin/locust -f loadtests/provider.py --headless \\
        -H http://127.0.0.1:9000 -u 10 -r 5 -t 30s

Shows how a provider behaves when X answers 429 and 402 at scale: set XMOCK_CREDITS low (e.g.
"0.30") or XMOCK_POST_LIMIT (posts per user per 15 minutes) to provoke them. The provider's own
answers (ok, rate-limited, out-of-credits, duplicate) count as expected; others fail.
"""

from __future__ import annotations

import itertools
import os
import random
from dataclasses import dataclass

import requests
from locust import FastHttpUser, between, events, task

from xmock.loadtests.world import begin_run, reset_asked, summary

SIMULATOR = os.environ.get("XMOCK_SIMULATOR_URL", "http://127.0.0.1:8000")
CALLBACK = "https://provider.example/x/callback"
EXPECTED = {200, 402, 409, 429}
_counter = itertools.count()


@dataclass(frozen=True)
class Seat:
    tenant: str
    headers: dict[str, str]
    end_user: str


SEATS: list[Seat] = []


def _link(provider: str, seat: Seat, x_user_id: str) -> None:
    started = requests.post(
        f"{provider}/v1/connect-links", json={"end_user_id": seat.end_user}, headers=seat.headers
    ).json()
    token = started["data"]["url"].split("oauth_token=")[1]
    location = requests.post(
        f"{SIMULATOR}/_xmock/oauth1/authorize", json={"oauth_token": token, "user": x_user_id}
    ).json()["location"]
    requests.post(
        f"{provider}/v1/connect-links/{started['data']['link_id']}/complete",
        json={"callback_url": location},
        headers=seat.headers,
    ).raise_for_status()


@events.test_start.add_listener
def _prepare(environment, **kwargs) -> None:
    from locust.runners import LocalRunner, MasterRunner, WorkerRunner

    if not isinstance(environment.runner, WorkerRunner):  # the process that reports counts this run only
        begin_run(SIMULATOR, reset=reset_asked() and isinstance(environment.runner, LocalRunner))
    if isinstance(environment.runner, MasterRunner):
        return
    tenants = int(os.environ.get("XMOCK_TENANTS", "2"))
    users = int(os.environ.get("XMOCK_USERS", "3"))
    credits = os.environ.get("XMOCK_CREDITS")
    limit = os.environ.get("XMOCK_POST_LIMIT")
    prefix = os.environ.get("XMOCK_PREFIX", f"prov-{random.randrange(10**6)}")
    for t in range(tenants):
        account = requests.post(f"{SIMULATOR}/_xmock/accounts", json={"name": f"{prefix} tenant {t}"}).json()
        app = requests.post(
            f"{SIMULATOR}/_xmock/apps",
            json={"account_id": account["id"], "name": f"{prefix} {t}", "callback_urls": [CALLBACK]},
        ).json()
        if credits is not None:
            requests.post(f"{SIMULATOR}/_xmock/apps/{app['id']}/credits", json={"set": credits})
        if limit is not None:
            requests.patch(
                f"{SIMULATOR}/_xmock/apps/{app['id']}/limits",
                json={"limits": {"posts:create": [{"who": "user", "limit": int(limit), "window": 900}]}},
            )
        headers = {
            "X-Tenant-Id": f"{prefix}-{t}",
            "X-Twitter-OAuth1-Api-Key": app["consumer_key"],
            "X-Twitter-OAuth1-Api-Secret": app["consumer_secret"],
        }
        for u in range(users):
            x_user = requests.post(f"{SIMULATOR}/_xmock/users", json={"account_id": account["id"]}).json()
            seat = Seat(f"{prefix}-{t}", headers, f"user-{u}")
            _link(environment.host, seat, x_user["id"])
            SEATS.append(seat)


@events.test_stop.add_listener
def _report(environment, **kwargs) -> None:
    from locust.runners import WorkerRunner

    if not isinstance(environment.runner, WorkerRunner):
        print(summary(SIMULATOR, getattr(environment.parsed_options, "html_file", None)))


class TenantBackend(FastHttpUser):
    wait_time = between(0.0, 0.1)

    def on_start(self) -> None:
        self.seat = random.choice(SEATS)

    @task
    def post(self) -> None:
        body = {"end_user_id": self.seat.end_user, "text": f"provider post {next(_counter)} {random.random()}"}
        with self.client.post(
            "/v1/posts", json=body, headers=self.seat.headers, name="POST /v1/posts", catch_response=True
        ) as response:
            if response.status_code in EXPECTED:
                response.success()
            else:
                response.failure(f"unexpected {response.status_code}: {response.text[:200]}")
