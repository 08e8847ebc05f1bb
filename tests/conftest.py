"""Shared fixtures: one simulator server for the session, reset before each test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator, core
from xmock.simulator.config import Settings
from xmock.simulator.models import Account, App, OAuth1Token, User
from xmock.simulator.server import ServerThread
from xmock.simulator.store import Store

_REDIS = pytest.StashKey[object]()


def pytest_configure(config: pytest.Config) -> None:
    # XMOCK_TEST_STORE=redis runs the whole suite with every simulator on a Redis store; =cluster, on a
    # three-master Redis Cluster (each simulator's namespace on the master that holds its slot).
    kind = os.environ.get("XMOCK_TEST_STORE")
    if kind in ("redis", "cluster"):
        from redis_support import RedisCluster, RedisServer

        redis_server = RedisServer() if kind == "redis" else RedisCluster()
        config.stash[_REDIS] = redis_server
        opened_by_settings = core.open_store

        def open_store(settings: Settings) -> Store:  # a test that names its own store keeps it
            if settings.store != "memory":
                return opened_by_settings(settings)
            return redis_server.store(settings.journal_size)

        core.open_store = open_store


def pytest_unconfigure(config: pytest.Config) -> None:
    redis_server = config.stash.get(_REDIS, None)
    if redis_server is not None:
        redis_server.stop()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[object]:
    """A real redis-server for a test module (each test takes namespaces of its own)."""
    from redis_support import RedisServer

    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    with ServerThread(Simulator()) as srv:
        yield srv


@pytest.fixture
def sim(server: ServerThread) -> Simulator:
    server.simulator.settings = type(server.simulator.settings)()
    server.simulator.reset()
    return server.simulator


@pytest.fixture
def base(server: ServerThread, sim: Simulator) -> str:
    return server.base_url


@dataclass
class World:
    account: Account
    app: App
    user: User
    token: OAuth1Token
    base: str

    def session(self, token: OAuth1Token | None = None, *, consumer_secret: str | None = None) -> OAuth1Session:
        tok = token or self.token
        return OAuth1Session(
            self.app.consumer_key,
            client_secret=consumer_secret or self.app.consumer_secret,
            resource_owner_key=tok.token,
            resource_owner_secret=tok.secret,
        )

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def world(sim: Simulator, base: str) -> World:
    account = sim.create_account("Acme Social")
    app = sim.create_app(
        account.id,
        "Acme Scheduler",
        use_case="Schedule posts for Acme's own account",
        callback_urls=["https://acme.example/cb"],
        permission="read-write",
    )
    user = sim.create_user(username="acme", name="Acme Inc", account_id=account.id)
    token = sim.mint_oauth1_token(app.id, user.id)
    return World(account, app, user, token, base)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


@pytest.fixture
def bearer(world) -> str:
    """The world's app-only bearer token (OAuth 2.0 client credentials)."""
    from oauth2_support import app_bearer

    return app_bearer(world).json()["access_token"]
