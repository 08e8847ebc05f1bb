"""The adapter interface: what a social-media API provider under test implements.

It speaks in the provider's terms, for a tenant (the provider's customer, who brings its
own X app) and the tenant's end users. Every result says what happened in the provider's
own terms, without X's raw errors or any secret. Adapters talk to the simulator over HTTP
like any real provider; they never reach into its store.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import entry_points
from typing import Any

ENTRY_POINT_GROUP = "xmock.adapters"


class Capability(StrEnum):
    OAUTH1_BYO = "oauth1-byo"  # posts with OAuth 1.0a under the tenant's own app
    OAUTH2 = "oauth2"  # links users with OAuth 2.0 user tokens
    SCHEDULING = "scheduling"
    MEDIA = "media"
    RSS_TO_X = "rss-to-x"
    RENDER = "render"  # renders posts for display
    UNLINK_RELINK = "unlink-relink"
    READ = "read"
    DELETE = "delete"
    MULTI_ACCOUNT = "multi-account"  # manages many end users' accounts for a tenant
    RETRIES = "retries"  # retries transient failures itself
    RECEIVE = "receive"  # receives mentions and DMs for a tenant's users (webhooks, Account Activity)


class Outcome(StrEnum):
    OK = "ok"
    RATE_LIMITED = "rate-limited"
    OUT_OF_CREDITS = "out-of-credits"
    DUPLICATE = "duplicate"
    RELINK_REQUIRED = "relink-required"
    TRANSIENT_FAILURE = "transient-failure"
    REFUSED = "refused"  # the provider declined (missing credentials, a policy, an unsupported feature)
    NOT_FOUND = "not-found"
    ERROR = "error"


class LinkState(StrEnum):
    LINKED = "linked"
    RELINK_REQUIRED = "relink-required"
    NOT_LINKED = "not-linked"


@dataclass(frozen=True)
class TenantApp:
    """A tenant's own X app credentials, as the tenant hands them to a provider."""

    consumer_key: str
    consumer_secret: str
    client_id: str = ""
    client_secret: str = ""

    def __repr__(self) -> str:  # never print a secret
        return f"TenantApp(consumer_key={self.consumer_key!r}, consumer_secret='***', client_id={self.client_id!r})"


@dataclass
class Result:
    outcome: Outcome
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None  # seconds, when rate limited

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


@dataclass(frozen=True)
class DataPlace:
    """A place where the provider keeps data, declared so certification can scan it for credentials in clear.

    kind: `file`, `log` (a file), `directory` (every file below it), `database` (a SQLite path or
    `sqlite:///path` URL) or `url` (fetched with a plain GET, no credentials: what anyone could read).
    """

    kind: str
    location: str
    description: str = ""

    KINDS = ("file", "log", "directory", "database", "url")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"a data place is one of {', '.join(self.KINDS)}, not {self.kind!r}")


@dataclass(frozen=True)
class ConnectStart:
    """Where the end user's browser is sent to authorise, and the provider's handle for it."""

    authorization_url: str
    handle: str


class ProviderAdapter(ABC):
    """Implement what your provider offers; declare it in `capabilities` so scenarios skip the rest."""

    name: str = "provider"
    capabilities: frozenset[Capability] = frozenset()

    @abstractmethod
    def onboard_tenant(self, tenant_id: str, app: TenantApp) -> Result: ...

    def set_tenant_credentials(self, tenant_id: str, app: TenantApp | None) -> None:
        """The tenant's current keys as it offers them from now on; None: it offers none."""
        if app is not None:
            self.onboard_tenant(tenant_id, app)

    @abstractmethod
    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        """Start linking an end user: the URL their browser is sent to."""

    @abstractmethod
    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        """Finish linking with the callback URL X redirected the browser to."""

    @abstractmethod
    def link_state(self, tenant_id: str, end_user_id: str) -> LinkState: ...

    @abstractmethod
    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result: ...

    def schedule(self, tenant_id: str, end_user_id: str, text: str, at: float) -> Result:
        return Result(Outcome.REFUSED, "scheduling is not offered")

    def run_due(self) -> list[Result]:
        """Fire scheduled work that is due (the provider's scheduler tick)."""
        return []

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return Result(Outcome.REFUSED, "deleting is not offered")

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return Result(Outcome.REFUSED, "reading is not offered")

    def render(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return Result(Outcome.REFUSED, "rendering is not offered")

    def unlink(self, tenant_id: str, end_user_id: str) -> Result:
        return Result(Outcome.REFUSED, "unlinking is not offered")

    def force_relogin(self, tenant_id: str, end_user_id: str) -> Result:
        return Result(Outcome.REFUSED, "forced re-login is not offered")

    def enable_rss(self, tenant_id: str, end_user_id: str, feed_url: str) -> Result:
        return Result(Outcome.REFUSED, "RSS auto-posting is not offered")

    def start_receiving(self, tenant_id: str) -> Result:
        """Receive X's events (mentions, replies, DMs) for the tenant's linked users from now on."""
        return Result(Outcome.REFUSED, "receiving is not offered")

    def stop_receiving(self, tenant_id: str) -> Result:
        return Result(Outcome.REFUSED, "receiving is not offered")

    def inbox(self, tenant_id: str, end_user_id: str | None = None) -> Result:
        """What the tenant received: `data["items"]`, each with `kind` (mention, reply, dm), `end_user_id`,
        `text` and `from`."""
        return Result(Outcome.REFUSED, "receiving is not offered")

    def offboard_tenant(self, tenant_id: str) -> Result:
        """The tenant leaves the provider: what the provider does with its data (its users' X tokens stay the
        tenant's: handed over on linking, they must keep working without the provider)."""
        return Result(Outcome.REFUSED, "offboarding is not offered")

    def user_tokens(self, tenant_id: str, end_user_id: str) -> dict[str, str] | None:
        """The user's X tokens as the provider would hand them to the tenant on leaving (portability)."""
        return None

    def data_places(self) -> list[DataPlace] | None:
        """Where the provider keeps data (files, directories, its database, its logs, readable URLs).

        None: not declared, so certification cannot show what happens to credentials; an empty list: the
        provider keeps nothing at rest (an in-process client library, say).
        """
        return None

    def answers_seen(self) -> list[bytes]:
        """The bodies of every HTTP answer the provider gave this adapter, scanned for credentials in clear."""
        return []

    def close(self) -> None:  # noqa: B027 - an optional hook, not an abstract one
        """Stop whatever the adapter started."""


BUNDLED = {
    "reference": "xmock.adapters.reference.adapter:ReferenceAdapter",
    "legacy-shared": "xmock.adapters.legacy_shared:LegacySharedAdapter",
    "tweepy": "xmock.adapters.direct:TweepyAdapter",
    "xdk": "xmock.adapters.direct:XdkAdapter",
    "http": "xmock.adapters.http_adapter:HttpAdapter",
}


def adapter_class(name: str) -> type[ProviderAdapter]:
    """A bundled adapter, one registered under the `xmock.adapters` entry point, or a `module:Class` path."""
    target = BUNDLED.get(name)
    if target is None:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
        if found:
            return found[0].load()
        target = name
    module_name, sep, class_name = target.partition(":")
    if not sep:
        known = ", ".join(sorted(BUNDLED))
        raise ValueError(f"unknown adapter {name!r}: use one of {known}, an entry point, or module:Class")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, ProviderAdapter)):
        raise ValueError(f"{target} is not a ProviderAdapter")
    return cls


def load_adapter(name: str, **kwargs: Any) -> ProviderAdapter:
    return adapter_class(name)(**kwargs)
