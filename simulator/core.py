"""The simulator as a Python object: settings, clock, store and the control operations.

The control API under `/_xmock/` is a thin HTTP skin over these methods, so
in-process users (tests, scenarios) and remote ones get the same behaviour. Operations on
credentials and on accounting live in core_credentials.py and core_accounting.py, on the social graph
in core_graph.py.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from faker import Faker

from xmock.simulator import snapshot
from xmock.simulator.bus import EventBus
from xmock.simulator.clock import Clock
from xmock.simulator.config import Settings
from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.core_accounting import AccountingOperations
from xmock.simulator.core_audience import AudienceOperations
from xmock.simulator.core_broadcasts import BroadcastOperations  # broadcasts
from xmock.simulator.core_chat import ChatOperations
from xmock.simulator.core_communities import CommunityOperations
from xmock.simulator.core_compliance import ComplianceOperations
from xmock.simulator.core_credentials import CredentialOperations
from xmock.simulator.core_dms import DmOperations
from xmock.simulator.core_graph import GraphOperations
from xmock.simulator.core_lists import ListOperations
from xmock.simulator.core_notes import NoteOperations
from xmock.simulator.core_post_fields import PostFieldOperations
from xmock.simulator.core_posts import PostOperations
from xmock.simulator.core_profiles import ProfileOperations
from xmock.simulator.core_spaces import SpaceOperations  # spaces
from xmock.simulator.core_stubs import StubOperations
from xmock.simulator.core_users import UserOperations
from xmock.simulator.core_world import WorldOperations
from xmock.simulator.findings import Findings
from xmock.simulator.ids import ALNUM, URLSAFE, Randomness, Snowflakes
from xmock.simulator.models import CLIENT_TYPES, PERMISSIONS, Account, App, User
from xmock.simulator.profiles import check_profile
from xmock.simulator.shared import SharedClock, SharedState
from xmock.simulator.store import Store, StoreConflict, open_store
from xmock.simulator.store.redis_store import RedisStore
from xmock.simulator.stream_match import forget as forget_compiled_rules
from xmock.simulator.streaming import forget_rendered

USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
NUMERIC_ID = re.compile(r"^[0-9]{1,19}$")
# Generous bounds (profiles' lengths are X's own, in profiles.py), only so that no single value can swell the store.
NAME_LENGTH = 200
TEXT_LENGTH = 2000
URL_LENGTH = 2048
KEY_LENGTH = 200


__all__ = ["ControlError", "Simulator"]


class Simulator(
    CredentialOperations,
    AccountingOperations,
    GraphOperations,
    UserOperations,
    PostOperations,
    ListOperations,
    WorldOperations,
    PostFieldOperations,
    ProfileOperations,
    AudienceOperations,
    DmOperations,
    ChatOperations,
    StubOperations,
    SpaceOperations,  # spaces
    BroadcastOperations,  # broadcasts
    CommunityOperations,  # communities and news
    NoteOperations,  # Community Notes and articles
    ComplianceOperations,  # compliance jobs and account states
):
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
        self.bus = EventBus(self.store)

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

    def begin_request(self, *, optimistic: bool = False) -> None:
        """Every request starts here: on a shared store, one read of the shared clock and settings,
        which then hold for the whole request (a no-op in memory). An `optimistic` request runs on
        them as last read, and its admission checks they still hold (simulator/admission.py)."""
        if self.shared is not None:
            if not optimistic or self.shared.control is None:
                self.sync()
            else:
                self.shared.store.check_reachable()
            self.shared.enter_request()

    def sync(self) -> None:
        """Take up the shared clock and settings, as another process may have changed them."""
        if self.shared is not None:
            self._take_up(*self.shared.read())

    def adopt(self, control: tuple[str, ...] | None) -> None:
        """Take up the shared state an admission found (see SharedState.adopt)."""
        if self.shared is not None and control is not None:
            self._take_up(*self.shared.adopt(control))

    def _take_up(self, offset: float, frozen: float | None, version: str | None) -> None:
        shared = self.shared
        assert shared is not None and isinstance(self.clock, SharedClock)
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
        if "_audience" in self.__dict__:
            self.audience.clear()  # before the store, so no audience action lands in the fresh world
        self.store.reset()
        self.bus.reset()
        forget_rendered()  # event cursors start again
        forget_compiled_rules()
        self.clock.reset()
        if self.shared is not None:
            self._settings_version = self.shared.publish_settings(self.settings)
        self.ids.reset()
        self.random.reseed(self._seed())
        self._seed_faker()

    def snapshot(self, *, journal: bool = True) -> dict[str, Any]:
        """The whole world as one JSON-ready document (simulator/snapshot.py). It holds every key and token."""
        return snapshot.take(self, journal=journal)

    def restore(self, document: dict[str, Any]) -> None:
        """Replace the world with a `snapshot()`'s; a document refused (SnapshotError) changes nothing."""
        snapshot.restore(self, document)

    def configure(self, **changes: Any) -> Settings:
        for fixed in ("store", "namespace"):
            if fixed in changes and changes[fixed] != getattr(self.settings, fixed):
                raise ControlError(400, f"{fixed} is chosen when the simulator starts")
        # Checked whole before anything changes: a refused request leaves every setting as it was,
        # and nothing unchecked reaches a shared store.
        self.settings = self.settings.updated(**changes)
        if self.shared is not None:
            self._settings_version = self.shared.publish_settings(self.settings)
        return self.settings

    # accounts and apps ---------------------------------------------------------
    def create_account(self, name: str, owner_user_id: str | None = None) -> Account:
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
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
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
        check_text("use_case", use_case, max_length=TEXT_LENGTH)
        check_text("website", website, max_length=URL_LENGTH)
        if permission not in PERMISSIONS:
            raise ControlError(400, f"permission must be one of {', '.join(PERMISSIONS)}")
        if client_type not in CLIENT_TYPES:
            raise ControlError(400, f"client_type must be one of {', '.join(CLIENT_TYPES)}")
        if callback_urls is not None and not isinstance(callback_urls, list | tuple):
            raise ControlError(400, "callback_urls must be a list of non-empty strings")
        urls = list(callback_urls or [])
        if not all(isinstance(u, str) and u for u in urls):
            raise ControlError(400, "callback_urls must be a list of non-empty strings")
        for i, url in enumerate(urls):
            check_text(f"callback_urls[{i}]", url, max_length=URL_LENGTH)
        for label, value in (
            ("consumer_key", consumer_key),
            ("consumer_secret", consumer_secret),
            ("client_id", client_id),
            ("client_secret", client_secret),
        ):
            if value is not None and (not isinstance(value, str) or not value):
                raise ControlError(400, f"{label} must be a non-empty string")
            if value is not None:
                check_text(label, value, max_length=KEY_LENGTH)
        account = self.account(account_id)
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
        for label, value in (("consumer_key", consumer_key), ("consumer_secret", consumer_secret)):
            if value is not None:
                check_text(label, value, max_length=KEY_LENGTH, empty=False)
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
        profile = check_profile({**profile, **({} if name is None else {"name": name})})
        if account_id is not None:
            account_id = self.account(account_id).id
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
            profile_banner_url=profile.get("profile_banner_url", ""),
            verified_type=profile.get("verified_type", "none"),
            subscription_type=profile.get("subscription_type", "None"),
            dm_setting=profile.get("dm_setting", "everyone"),
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
