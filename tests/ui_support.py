"""The dashboard's browser tests: Debian's chromium driven by playwright, one browser and one simulator
server per test module (import the fixtures: `from ui_support import browser, ui, page  # noqa: F401`)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from xmock.simulator import Simulator
from xmock.simulator.server import ServerThread

CHROMIUM = "/usr/bin/chromium"
TOKEN = "ui-test-control-token"
UI = "/_xmock/ui"


def _wait_for_chromium(timeout: float = 600.0) -> None:
    """apt may still be installing it on a fresh machine: wait rather than fail at once."""
    deadline = time.monotonic() + timeout
    while not os.access(CHROMIUM, os.X_OK):
        if time.monotonic() > deadline:
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        time.sleep(2)


@dataclass
class UiServer:
    """A simulator with a control token, and where its dashboard is."""

    server: ServerThread
    token: str

    @property
    def simulator(self) -> Simulator:
        return self.server.simulator

    @property
    def base(self) -> str:
        return self.server.base_url

    def url(self, path: str = "/") -> str:
        return self.base + UI + path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
def ui() -> Iterator[UiServer]:
    with ServerThread(Simulator(), control_token=TOKEN) as server:
        yield UiServer(server, TOKEN)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    _wait_for_chromium()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, ui: UiServer) -> Iterator[object]:
    """A fresh browser context on a reset world, signed in to the dashboard as a person would."""
    ui.simulator.reset()
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto(ui.url("/"))
    tab.get_by_label("Control token").fill(ui.token)
    tab.get_by_role("button", name="Open the dashboard").click()
    tab.wait_for_url(ui.url("/"))
    yield tab
    context.close()


@dataclass
class UiWorld:
    """An app with a user and tokens of both kinds, and every secret of it a page must never show."""

    app: object
    user: object
    oauth1: object
    oauth2_access: str
    secrets: list[str]


def make_world(sim: Simulator) -> UiWorld:
    account = sim.create_account("Acme Social")
    app = sim.create_app(
        account.id, "Acme Scheduler", callback_urls=["https://acme.example/cb"], permission="read-write"
    )
    user = sim.create_user(username="acme", name="Acme Inc", account_id=account.id)
    oauth1 = sim.mint_oauth1_token(app.id, user.id)
    access, refresh = sim.mint_oauth2_token(app.id, user.id)
    secrets = [app.consumer_secret, app.client_secret, oauth1.secret, oauth1.token, access.token]
    if refresh is not None:
        secrets.append(refresh.token)
    return UiWorld(app, user, oauth1, access.token, [s for s in secrets if s])


def assert_no_secrets(html: str, world: UiWorld) -> None:
    for secret in world.secrets:
        assert secret not in html, "a secret of the world shows in the page"


def bad_signature(base: str, world: UiWorld, path: str = "/2/users/me") -> int:
    """A request signed with the wrong consumer secret, as a misconfigured client sends it: its status."""
    from requests_oauthlib import OAuth1Session

    session = OAuth1Session(
        world.app.consumer_key,  # type: ignore[attr-defined]
        client_secret="not-the-consumer-secret",
        resource_owner_key=world.oauth1.token,  # type: ignore[attr-defined]
        resource_owner_secret=world.oauth1.secret,  # type: ignore[attr-defined]
    )
    return session.get(base + path).status_code
