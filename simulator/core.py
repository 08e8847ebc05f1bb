"""The simulator as a Python object: settings, clock, store and the control operations.

The control API under `/_xmock/` is a thin HTTP skin over these methods, so
in-process users (tests, scenarios) and remote ones get the same behaviour.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from faker import Faker

from simulator import billing, faults
from simulator.clock import Clock
from simulator.config import Settings
from simulator.findings import Findings
from simulator.ids import ALNUM, URLSAFE, Randomness, Snowflakes
from simulator.limits import parse_limits
from simulator.models import CLIENT_TYPES, PERMISSIONS, Account, App, OAuth1Token, OAuth2Token, User
from simulator.money import PLACES, fits
from simulator.oauth2.issue import user_tokens
from simulator.oauth2.scopes import SCOPES, parse_scopes
from simulator.shared import SharedClock, SharedState
from simulator.store import Store, StoreConflict, open_store
from simulator.store.redis_store import RedisStore

USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,19}$")


def _money(amount: Decimal | str | float) -> Decimal:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ControlError(400, 'an amount is a decimal number of US dollars, e.g. "7.50"') from None
    if not value.is_finite() or value < 0:
        raise ControlError(400, "an amount must be a non-negative number of US dollars")
    if not fits(value):
        raise ControlError(400, f"an amount has at most {PLACES} decimal places")
    return value


class ControlError(Exception):
    """A control-plane request that cannot be carried out; `status` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Simulator:
    """One simulated X. On a Redis store, every process built on the same store and namespace
    serves the same world: data, clock and settings (`join=True` adopts the stored settings
    instead of publishing its own)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: Store | None = None,
        clock: Clock | None = None,
        join: bool = False,
    ) -> None:
        self.settings = settings or Settings()
        self.store: Store = store or open_store(self.settings)
        self.shared: SharedState | None = None
        self._settings_version: str | None = None
        self.worker_id = self.settings.worker_id
        if isinstance(self.store, RedisStore):
            if (self.settings.store, self.settings.namespace) != (self.store.url, self.store.namespace):
                self.settings = self.settings.updated(store=self.store.url, namespace=self.store.namespace)
            self.shared = SharedState(self.store)
            clock = clock or SharedClock(self.shared)
        self.clock = clock or Clock()
        if self.shared is not None:
            if join and self.shared.load_settings() is not None:
                self.sync()
            else:
                self._settings_version = self.shared.publish_settings(self.settings)
            self.worker_id = self.shared.claim_worker_id()
        self.random = Randomness(self._seed())
        self.ids = Snowflakes(self.clock, self.worker_id)
        self.faker = Faker()
        self._seed_faker()
        self.findings = Findings(self)

    def _seed(self) -> int | None:
        # Processes sharing a store draw from distinct sequences, or their tokens would collide.
        seed = self.settings.seed
        return None if seed is None else seed * 1024 + self.worker_id

    def become_worker(self, worker_id: int | None = None) -> None:
        """Called in each process of a multi-process server: its own snowflake worker id and
        random sequence (from the shared store when there is one)."""
        if self.shared is not None:
            worker_id = self.shared.claim_worker_id()
        if worker_id is None or not 0 <= worker_id < 1024:
            raise ValueError("a worker id is between 0 and 1023")
        self.worker_id = worker_id
        self.ids = Snowflakes(self.clock, worker_id)
        self.random.reseed(self._seed())

    def begin_request(self) -> None:
        """Every request starts here: on a shared store, one read of the shared clock and settings,
        which then hold for the whole request (a no-op in memory)."""
        if self.shared is not None:
            self.sync()
            self.shared.enter_request()

    def sync(self) -> None:
        """Take up the shared clock and settings, as another process may have changed them."""
        shared = self.shared
        if shared is None:
            return
        offset, frozen, version = shared.read()
        assert isinstance(self.clock, SharedClock)
        self.clock.apply(offset, frozen)
        if version != self._settings_version:
            stored = shared.load_settings()
            if stored is not None:
                self.settings = Settings().updated(**stored)
            self._settings_version = version

    def _seed_faker(self) -> None:
        if self.settings.seed is not None:
            self.faker.seed_instance(self.settings.seed)

    # lifecycle ---------------------------------------------------------------
    def reset(self) -> None:
        """Forget every account, app, user, token, post and journal entry; clock back to real time."""
        self.sync()  # keep the settings in force, whichever process changed them last
        self.store.reset()
        self.clock.reset()
        if self.shared is not None:
            self._settings_version = self.shared.publish_settings(self.settings)
        self.ids.reset()
        self.random.reseed(self._seed())
        self._seed_faker()

    def configure(self, **changes: Any) -> Settings:
        for fixed in ("store", "namespace"):
            if fixed in changes and changes[fixed] != getattr(self.settings, fixed):
                raise ControlError(400, f"{fixed} is chosen when the simulator starts")
        try:
            self.settings = self.settings.updated(**changes)
        except (TypeError, ValueError) as exc:
            raise ControlError(400, str(exc)) from exc
        if self.shared is not None:
            self._settings_version = self.shared.publish_settings(self.settings)
        return self.settings

    # accounts and apps ---------------------------------------------------------
    def create_account(self, name: str, owner_user_id: str | None = None) -> Account:
        if not isinstance(name, str) or not name.strip():
            raise ControlError(400, "an account needs a non-empty name")
        if owner_user_id is not None:
            owner_user_id = self.user(owner_user_id).id
        account = Account(
            id=self.ids.next_id(), name=name.strip(), created_at=self.clock.now(), owner_user_id=owner_user_id
        )
        self.store.add_account(account)
        return account

    def account(self, account_id: str) -> Account:
        account = self.store.get_account(str(account_id))
        if account is None:
            raise ControlError(404, f"no developer account {account_id}")
        return account

    def create_app(
        self,
        account_id: str,
        name: str,
        *,
        use_case: str = "",
        callback_urls: list[str] | None = None,
        permission: str = "read-write",
        website: str = "",
        client_type: str = "confidential",
        consumer_key: str | None = None,
        consumer_secret: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> App:
        account = self.account(account_id)
        if not isinstance(name, str) or not name.strip():
            raise ControlError(400, "an app needs a non-empty name")
        if permission not in PERMISSIONS:
            raise ControlError(400, f"permission must be one of {', '.join(PERMISSIONS)}")
        if client_type not in CLIENT_TYPES:
            raise ControlError(400, f"client_type must be one of {', '.join(CLIENT_TYPES)}")
        urls = list(callback_urls or [])
        if not all(isinstance(u, str) and u for u in urls):
            raise ControlError(400, "callback_urls must be a list of non-empty strings")
        for label, value in (
            ("consumer_key", consumer_key),
            ("consumer_secret", consumer_secret),
            ("client_id", client_id),
            ("client_secret", client_secret),
        ):
            if value is not None and (not isinstance(value, str) or not value):
                raise ControlError(400, f"{label} must be a non-empty string")
        app = App(
            id=self.ids.next_id(),
            account_id=account.id,
            name=name.strip(),
            use_case=str(use_case or ""),
            callback_urls=tuple(urls),
            permission=permission,
            website=str(website or ""),
            client_type=client_type,
            consumer_key=consumer_key or self.random.token(25),
            consumer_secret=consumer_secret or self.random.token(50),
            client_id=client_id or self._client_id(),
            client_secret=client_secret or self.random.token(50, URLSAFE),
            created_at=self.clock.now(),
        )
        twin = self.findings.similar_use_case(account.id, app.use_case, self.store.list_apps(account.id))
        if twin is not None and self.settings.use_case_policy == "refuse":
            raise ControlError(
                403,
                f"account {account.id} already has app {twin.id} for a substantially similar "
                "use case (X Developer Policy: one app per use case)",
            )
        try:
            self.store.add_app(app)
        except StoreConflict as exc:
            raise ControlError(409, str(exc)) from exc
        if twin is not None:
            self.findings.record(
                "single-use-case",
                app=app,
                dedupe=f"{twin.id}|{app.id}",
                detail=f"app {app.id} repeats the use case of app {twin.id} in account {account.id}",
                evidence={"similar_app_id": twin.id},
            )
        initial = Decimal(self.settings.initial_credits)
        if initial:
            self.store.adjust_credits(
                app.id,
                initial,
                {"time": self.clock.now(), "kind": "grant", "request_id": None, "endpoint": None},
            )
        return app

    def _client_id(self) -> str:
        # X's client ids are base64 of `<20 chars>:1:ci`, unpadded.
        raw = f"{self.random.token(20, ALNUM + '-_')}:1:ci".encode()
        return base64.b64encode(raw).decode().rstrip("=")

    def app(self, app_id: str) -> App:
        app = self.store.get_app(str(app_id))
        if app is None:
            raise ControlError(404, f"no app {app_id}")
        return app

    def suspend_app(self, app_id: str, suspended: bool = True) -> App:
        """X's answer to a non-compliant app: its keys and tokens are refused from now on."""
        app = replace(self.app(app_id), suspended=suspended)
        self.store.replace_app(app)
        return app

    def regenerate_keys(
        self, app_id: str, *, consumer_key: str | None = None, consumer_secret: str | None = None
    ) -> App:
        """New consumer key and secret; the old pair stops working at once. User tokens stay valid."""
        app = replace(
            self.app(app_id),
            consumer_key=consumer_key or self.random.token(25),
            consumer_secret=consumer_secret or self.random.token(50),
        )
        try:
            self.store.replace_app(app)
        except StoreConflict as exc:
            raise ControlError(409, str(exc)) from exc
        return app

    # users and tokens ----------------------------------------------------------
    def create_user(
        self,
        *,
        id: str | None = None,
        username: str | None = None,
        name: str | None = None,
        account_id: str | None = None,
        **profile: Any,
    ) -> User:
        if id is not None and not NUMERIC_ID.match(str(id)):
            raise ControlError(400, "a user id is 1 to 19 digits")
        if username is not None and not (isinstance(username, str) and USERNAME.match(username)):
            raise ControlError(400, "a username is 1 to 15 letters, digits or underscores")
        if account_id is not None:
            account_id = self.account(account_id).id
        allowed = {"description", "location", "url", "protected", "verified", "profile_image_url"}
        unknown = sorted(set(profile) - allowed)
        if unknown:
            raise ControlError(400, f"unknown user field(s): {', '.join(unknown)}")
        user = User(
            id=str(id) if id is not None else self.ids.next_id(),
            username=username or self._free_username(),
            name=name if isinstance(name, str) and name else self.faker.name(),
            created_at=self.clock.now(),
            tenant_account_id=account_id,
            description=profile.get("description", self.faker.sentence(nb_words=8)),
            location=profile.get("location", self.faker.city()),
            url=profile.get("url", ""),
            protected=bool(profile.get("protected", False)),
            verified=bool(profile.get("verified", False)),
            profile_image_url=profile.get("profile_image_url", ""),
        )
        try:
            self.store.add_user(user)
        except StoreConflict as exc:
            raise ControlError(409, str(exc)) from exc
        return user

    def _free_username(self) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "", self.faker.user_name())[:11] or "user"
        candidate = base
        while self.store.user_by_username(candidate) is not None:
            candidate = f"{base}{self.random.token(4, '0123456789')}"
        return candidate

    def user(self, user_id: str) -> User:
        user = self.store.get_user(str(user_id))
        if user is None:
            raise ControlError(404, f"no user {user_id}")
        return user

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
        """Every token's state, secrets shown as fingerprints only."""
        now = self.clock.now()
        out = []
        for tok in self.store.list_oauth2_tokens():
            if (app is None or tok.app_id == app) and (user is None or tok.user_id == user):
                out.append(tok.public(now))
        return out

    # credits, limits, faults -----------------------------------------------------
    def balance(self, app_id: str) -> Decimal:
        return self.store.credit_balance(self.app(app_id).id)

    def top_up(self, app_id: str, amount: Decimal | str | float) -> Decimal:
        """Buy credits for an app (at least `minimum_purchase`)."""
        try:
            return billing.top_up(self, self.app(app_id).id, _money(amount))
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc

    def set_credits(self, app_id: str, amount: Decimal | str | float) -> Decimal:
        """Set an app's balance outright, for tests."""
        return billing.set_balance(self, self.app(app_id).id, _money(amount))

    def ledger(self, app: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.store.ledger() if app is None or e["app_id"] == app]

    def set_app_limits(
        self,
        app_id: str,
        *,
        enabled: bool | None = None,
        limits: dict[str, list[dict[str, Any]]] | None = None,
    ) -> dict[str, Any] | None:
        """Turn rate limits off for one app, or override some of its limits; no arguments restore defaults."""
        app = self.app(app_id)
        if enabled is None and limits is None:
            self.store.set_app_limits(app.id, None)
            return None
        try:
            for rate_class, raw in (limits or {}).items():
                parse_limits(raw, rate_class)
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc
        config = {"enabled": True if enabled is None else bool(enabled), "limits": dict(limits or {})}
        self.store.set_app_limits(app.id, config)
        return config

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        try:
            checked = faults.validate(rule)
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc
        checked["id"] = self.random.hex(8)
        self.store.add_fault(checked)
        return checked

    def remove_fault(self, fault_id: str) -> bool:
        return self.store.remove_fault(fault_id)

    def clear_faults(self) -> None:
        for rule in self.store.list_faults():
            self.store.remove_fault(rule["id"])

    # evidence ------------------------------------------------------------------
    def journal(
        self,
        *,
        app: str | None = None,
        user: str | None = None,
        path: str | None = None,
        status: int | None = None,
        method: str | None = None,
        endpoint: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Journal entries, oldest first, filtered; `path` matches a prefix, ending `*` optional."""
        prefix = path.rstrip("*") if path else None
        out = []
        for entry in self.store.journal():
            if app is not None and entry.get("app_id") != str(app):
                continue
            if user is not None and entry.get("user_id") != str(user):
                continue
            if prefix is not None and not (entry["path"] == path or entry["path"].startswith(prefix)):
                continue
            if status is not None and entry["status"] != int(status):
                continue
            if method is not None and entry["method"] != method.upper():
                continue
            if endpoint is not None and entry.get("endpoint") != endpoint:
                continue
            out.append(entry)
        return out[-limit:] if limit else out
