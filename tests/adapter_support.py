"""Arranging a tenant, its app and end users, and playing an end user on X's consent screen."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests

from xmock.adapters.base import ProviderAdapter, TenantApp
from xmock.simulator import Simulator
from xmock.simulator.models import Account, App, User

CALLBACKS = ["https://provider.example/x/callback", "https://legacy.example/cb", "https://tenant.example/x/callback"]


@dataclass
class Tenant:
    id: str
    account: Account
    app: App
    users: list[User]

    @property
    def keys(self) -> TenantApp:
        return TenantApp(self.app.consumer_key, self.app.consumer_secret, self.app.client_id, self.app.client_secret)


def make_tenant(sim: Simulator, name: str = "Tenant One", users: int = 2) -> Tenant:
    account = sim.create_account(name)
    app = sim.create_app(
        account.id, f"{name} App", use_case=f"{name} posts for its own customers", callback_urls=CALLBACKS
    )
    people = [sim.create_user(username=f"{name.split()[0].lower()}{n}", account_id=account.id) for n in range(users)]
    return Tenant(name.lower().replace(" ", "-"), account, app, people)


def approve(base: str, authorization_url: str, user: User) -> str:
    """Play the end user on X's consent screen; the callback URL X sends the browser to."""
    query = parse_qs(urlsplit(authorization_url).query)
    if "oauth_token" in query:
        r = requests.post(
            base + "/_xmock/oauth1/authorize", json={"oauth_token": query["oauth_token"][0], "user": user.id}
        )
    else:
        r = requests.post(base + "/_xmock/oauth2/authorize", json={"url": authorization_url, "user": user.id})
    r.raise_for_status()
    return r.json()["location"]


def link(adapter: ProviderAdapter, base: str, tenant: Tenant, end_user: str, user: User) -> None:
    start = adapter.connect_user(tenant.id, end_user)
    result = adapter.complete_connect(tenant.id, end_user, approve(base, start.authorization_url, user))
    assert result.ok, result
