"""A small world for the dashboard's page tests: an account, an app with credits, a user with an OAuth 1.0a
and an OAuth 2.0 token, and every secret in it (no page may show any)."""

from __future__ import annotations

from dataclasses import dataclass

from xmock.simulator import Simulator
from xmock.simulator.models import App, OAuth1Token, OAuth2Token, User


@dataclass
class PageWorld:
    app: App
    user: User
    oauth1: OAuth1Token
    access: OAuth2Token
    refresh: OAuth2Token | None

    @property
    def secrets(self) -> list[str]:
        out = [self.app.consumer_secret, self.app.client_secret, self.oauth1.token, self.oauth1.secret]
        out += [self.access.token] + ([self.refresh.token] if self.refresh else [])
        return out


def make_world(sim: Simulator) -> PageWorld:
    account = sim.create_account("Acme Social")
    app = sim.create_app(account.id, "Acme Scheduler", use_case="Schedule Acme's posts", permission="read-write")
    user = sim.create_user(username="acme")
    oauth1 = sim.mint_oauth1_token(app.id, user.id)
    access, refresh = sim.mint_oauth2_token(app.id, user.id)
    return PageWorld(app, user, oauth1, access, refresh)


def all_secrets(sim: Simulator, world: PageWorld) -> list[str]:
    """The world's secrets as they are now (keys may have been rotated since)."""
    app = sim.app(world.app.id)
    return [*world.secrets, app.consumer_secret, app.client_secret]
