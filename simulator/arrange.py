"""The common arrangement in one line: a developer account with an app, and users of it holding tokens.

Used by the pytest fixtures (x_app, x_user, x_user_oauth2) and by `mock_x()`'s handle (`x.user()`), so
both hand out the same `XUser`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import App, OAuth1Token, User

CALLBACK = "https://app.example/callback"


@dataclass
class XUser:
    """A user of `app` with credentials, ready to hand to a client.

    Attributes:
        user          the `User` (id, username, name, ...); `id` and `username` are shortcuts
        app           the `App` whose tokens these are (consumer_key/secret, client_id/secret)
        oauth1        an `OAuth1Token` (`.token`, `.secret`), or None for an OAuth 2.0 user
        oauth2        X's token answer for an OAuth 2.0 user: access_token, refresh_token, expires_in,
                      scope, token_type (empty for an OAuth 1.0a user)
        tweepy_kwargs keyword arguments for `tweepy.Client` (OAuth 1.0a user context)
        bearer        the OAuth 2.0 user access token (for `tweepy.Client(bearer_token)` or an
                      `Authorization: Bearer` header)

    Its repr shows ids only: a failed assertion or `--showlocals` prints no secret.
    """

    user: User
    app: App
    oauth1: OAuth1Token | None = field(default=None, repr=False)
    oauth2: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def tweepy_kwargs(self) -> dict[str, str]:
        """Keyword arguments for `tweepy.Client` (OAuth 1.0a user context)."""
        if self.oauth1 is None:
            raise AttributeError("this user has OAuth 2.0 tokens only: use .bearer or .oauth2")
        return {
            "consumer_key": self.app.consumer_key,
            "consumer_secret": self.app.consumer_secret,
            "access_token": self.oauth1.token,
            "access_token_secret": self.oauth1.secret,
        }

    @property
    def bearer(self) -> str:
        """The OAuth 2.0 user access token."""
        if not self.oauth2:
            raise AttributeError("this user has OAuth 1.0a tokens only: use .tweepy_kwargs or .oauth1")
        return str(self.oauth2["access_token"])


def developer_app(sim: Simulator, *, extra_callbacks: tuple[str, ...] = ()) -> App:
    """A developer account and its app, as the x_app fixture makes them."""
    account = sim.create_account("Test Developer")
    return sim.create_app(
        account.id,
        "Test App",
        use_case="Automated tests",
        website="https://app.example",
        callback_urls=[CALLBACK, *extra_callbacks],
    )


def oauth1_user(sim: Simulator, app: App, **profile: Any) -> XUser:
    """A user of `app`'s account with an OAuth 1.0a access token."""
    user = sim.create_user(account_id=app.account_id, **profile)
    return XUser(user, app, oauth1=sim.mint_oauth1_token(app.id, user.id))


def oauth2_user(sim: Simulator, app: App, scopes: list[str] | str | None = None, **profile: Any) -> XUser:
    """A user of `app`'s account with OAuth 2.0 tokens (access, and refresh with offline.access)."""
    from xmock.simulator.oauth2.issue import token_response

    user = sim.create_user(account_id=app.account_id, **profile)
    access, refresh = (
        sim.mint_oauth2_token(app.id, user.id) if scopes is None else sim.mint_oauth2_token(app.id, user.id, scopes)
    )
    return XUser(user, app, oauth2=token_response(sim, access, refresh))
