"""Raw X API traffic from many tenants, each with its own app and users: post, read, timeline, search, like.

    .venv/bin/locust -f loadtests/x_api.py --headless -H http://127.0.0.1:8000 -u 20 -r 10 -t 30s

Tenants and users are created through the control API when the test starts (XMOCK_TENANTS,
XMOCK_USERS, XMOCK_CREDITS); add `--class-picker`-free shapes with XMOCK_SHAPE (see shapes.py,
used when XMOCK_SHAPE is set). X's refusals that a real integration meets under load (429, 402,
403 duplicate) count as expected answers; anything else is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, events, task

from xmock.loadtests.signing import Credentials, authorization
from xmock.loadtests.world import begin_run, prepare, reset_asked, settings_from_env, summary

if os.environ.get("XMOCK_SHAPE"):
    from xmock.loadtests.shapes import XShape  # noqa: F401 - locust picks up the shape class

POOL: list[Credentials] = []
EXPECTED = {200, 201, 402, 429}
_counter = itertools.count()


@events.test_start.add_listener
def _prepare(environment, **kwargs) -> None:
    from locust.runners import LocalRunner, MasterRunner, WorkerRunner

    if not isinstance(environment.runner, WorkerRunner):  # the process that reports counts this run only
        begin_run(environment.host, reset=reset_asked() and isinstance(environment.runner, LocalRunner))
    if isinstance(environment.runner, MasterRunner):
        return  # workers create their own tenants
    settings = settings_from_env()
    POOL[:] = prepare(environment.host, **settings)


@events.test_stop.add_listener
def _report(environment, **kwargs) -> None:
    from locust.runners import WorkerRunner

    if not isinstance(environment.runner, WorkerRunner):
        print(summary(environment.host, getattr(environment.parsed_options, "html_file", None)))


class XApiUser(FastHttpUser):
    wait_time = between(0.0, 0.05)

    def on_start(self) -> None:
        self.creds = random.choice(POOL)
        self.posts: list[str] = []

    def _send(self, method: str, path: str, name: str, body: dict | None = None) -> dict | None:
        url = self.host + path
        headers = {"Authorization": authorization(self.creds, method, url)}
        if body is not None:
            headers["Content-Type"] = "application/json"
        with self.client.request(
            method, path, headers=headers, data=json.dumps(body) if body else None, name=name, catch_response=True
        ) as response:
            if response.status_code in EXPECTED or (response.status_code == 403 and "duplicate" in response.text):
                response.success()
                return response.json() if response.status_code < 300 else None
            response.failure(f"unexpected {response.status_code}: {response.text[:200]}")
        return None

    @task(3)
    def post(self) -> None:
        answer = self._send(
            "POST", "/2/tweets", "POST /2/tweets", {"text": f"load post {next(_counter)} {random.random()}"}
        )
        if answer:
            self.posts.append(answer["data"]["id"])

    @task(3)
    def read(self) -> None:
        if self.posts:
            self._send("GET", f"/2/tweets/{random.choice(self.posts)}?expansions=author_id", "GET /2/tweets/:id")

    @task(2)
    def timeline(self) -> None:
        self._send("GET", f"/2/users/{self.creds.user_id}/tweets?max_results=10", "GET /2/users/:id/tweets")

    @task(1)
    def search(self) -> None:
        self._send("GET", "/2/tweets/search/recent?query=load", "GET /2/tweets/search/recent")

    @task(1)
    def like(self) -> None:
        if self.posts:
            self._send(
                "POST",
                f"/2/users/{self.creds.user_id}/likes",
                "POST /2/users/:id/likes",
                {"tweet_id": random.choice(self.posts)},
            )
