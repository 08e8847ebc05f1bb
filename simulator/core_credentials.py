"""The simulator's control operations on credentials: mint, expire, revoke and list tokens, regenerate an app's
OAuth 2.0 client secret."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.ids import URLSAFE
from xmock.simulator.models import PERMISSIONS, App, OAuth1Token, OAuth2Token, User
from xmock.simulator.oauth2.issue import user_tokens
from xmock.simulator.oauth2.scopes import SCOPES, parse_scopes
from xmock.simulator.store import StoreConflict

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.ids import Randomness
    from xmock.simulator.store import Store


class CredentialOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock
    random: Randomness

    if TYPE_CHECKING:

        def app(self, app_id: str) -> App: ...
        def user(self, user_id: str) -> User: ...

    def regenerate_client_secret(self, app_id: str, *, client_secret: str | None = None) -> App:
        """A new OAuth 2.0 client secret, as the developer portal regenerates it: the client id stays, the old
        secret is refused at the token endpoint at once, and tokens already issued stay valid."""
        if client_secret is not None:
            check_text("client_secret", client_secret, max_length=200, empty=False)
        app = self.app(app_id)
        if app.client_type != "confidential":
            raise ControlError(409, f"app {app.id} is a public client: it authenticates with no client secret")
        app = replace(app, client_secret=client_secret or self.random.token(50, URLSAFE))
        self.store.replace_app(app)
        return app

    def mint_oauth1_token(
        self,
        app_id: str,
        user_id: str,
        *,
        token: str | None = None,
        secret: str | None = None,
        access_level: str | None = None,
    ) -> OAuth1Token:
        """An access token for (app, user) without the browser dance."""
        for label, value in (("token", token), ("secret", secret)):
            if value is not None:
                check_text(label, value, max_length=200, empty=False)
        app = self.app(app_id)
        user = self.user(user_id)
        level = access_level or app.permission
        if level not in PERMISSIONS:
            raise ControlError(400, f"access_level must be one of {', '.join(PERMISSIONS)}")
        if token is not None and not (isinstance(token, str) and token.startswith(f"{user.id}-")):
            raise ControlError(400, "an OAuth 1.0a access token has the form <user_id>-<random>")
        record = OAuth1Token(
            token=token or f"{user.id}-{self.random.token(40)}",
            secret=secret or self.random.token(45),
            app_id=app.id,
            user_id=user.id,
            access_level=level,
            created_at=self.clock.now(),
        )
        try:
            self.store.add_oauth1_token(record)
        except StoreConflict as exc:
            raise ControlError(409, str(exc)) from exc
        return record

    def invalidate_oauth1_token(self, token: str) -> bool:
        return self.store.invalidate_oauth1_token(token, self.clock.now())

    def mint_oauth2_token(
        self,
        app_id: str,
        user_id: str,
        scopes: list[str] | str = "tweet.read tweet.write users.read offline.access",
    ) -> tuple[OAuth2Token, OAuth2Token | None]:
        """A user access token (and a refresh token with offline.access) without the browser."""
        if isinstance(scopes, list | tuple):
            for i, scope in enumerate(scopes):
                check_text(f"scopes[{i}]", scope, max_length=100)
        else:
            check_text("scopes", scopes, max_length=2000)
        app = self.app(app_id)
        user = self.user(user_id)
        wanted = parse_scopes(scopes) if isinstance(scopes, str) else list(dict.fromkeys(scopes))
        unknown = [s for s in wanted if s not in SCOPES]
        if not wanted or unknown:
            raise ControlError(400, f"unknown or missing scope(s): {' '.join(unknown) or '(none given)'}")
        access, refresh = user_tokens(self, app, user.id, wanted)
        self.store.add_oauth2_tokens(*(t for t in (access, refresh) if t is not None))
        return access, refresh

    def expire_oauth2_token(self, token: str) -> bool:
        """End an access or refresh token's life now, as if its time had run out."""
        return self.store.expire_oauth2_token(token, self.clock.now())

    def revoke_oauth2_token(self, token: str) -> bool:
        tok = self.store.get_oauth2_token(token)
        return tok is not None and self.store.revoke_oauth2_token(
            token, self.clock.now(), whole_grant=tok.kind == "refresh"
        )

    def tokens(self, *, app: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Every OAuth 2.0 token's state, secrets shown as fingerprints only."""
        now = self.clock.now()
        out = []
        for tok in self.store.list_oauth2_tokens():
            if (app is None or tok.app_id == app) and (user is None or tok.user_id == user):
                out.append(tok.public(now))
        return out

    def oauth1_tokens(self, *, app: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Every OAuth 1.0a access token's life (issued, invalidated), fingerprints only, oldest first."""
        return [
            {**tok.public(), "state": "active" if tok.invalidated_at is None else "invalidated"}
            for tok in self.store.list_oauth1_tokens()
            if (app is None or tok.app_id == app) and (user is None or tok.user_id == user)
        ]
