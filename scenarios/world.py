"""The world a scenario arranges for itself through the control API, and the context it runs in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xmock.adapters.base import Capability, Outcome, ProviderAdapter, Result, TenantApp
from xmock.scenarios.base import Evidence, Failed
from xmock.scenarios.control import Control
from xmock.scenarios.secrets_scan import canary

if TYPE_CHECKING:
    from xmock.scenarios.probe import Observed

CALLBACKS = ["https://provider.example/x/callback", "https://legacy.example/cb", "https://tenant.example/x/callback"]


@dataclass
class Tenant:
    id: str
    account: dict[str, Any]
    app: dict[str, Any]
    users: dict[str, dict[str, Any]]  # end-user id -> X user

    @property
    def keys(self) -> TenantApp:
        return keys_of(self.app)


def keys_of(app: dict[str, Any]) -> TenantApp:
    return TenantApp(app["consumer_key"], app["consumer_secret"], app["client_id"], app["client_secret"])


@dataclass
class World:
    control: Control
    base_url: str
    tenant: Tenant
    other_tenant: Tenant
    provider_account: dict[str, Any]
    provider_app: dict[str, Any]  # the provider's own app: the shared app of the pre-mandate days
    canaries: dict[str, str] = field(default_factory=dict)  # what a secret is, in words -> its canary value

    def add_canaries(self, tenant: Tenant) -> None:
        owner = tenant.account["name"]
        for label, value in (
            (f"{owner}'s app consumer secret ({tenant.app['consumer_key'][:6]}...)", tenant.app["consumer_secret"]),
            (f"{owner}'s app OAuth 2.0 client secret ({tenant.app['client_id'][:6]}...)", tenant.app["client_secret"]),
        ):
            if value in self.canaries.values():
                continue
            # a secret regenerated under the same id (the client id stays): the old one stays a canary too
            again = sum(1 for known in self.canaries if known.startswith(label))
            self.canaries[f"{label}, regenerated {again}x" if again else label] = value


def _tenant(control: Control, name: str, slug: str, users: tuple[str, ...]) -> Tenant:
    account = control.account(name)
    app = control.app(
        account["id"],
        f"{name} Scheduler",
        use_case=f"{name} publishes posts for its own brands",
        callback_urls=CALLBACKS,
        permission="read-write",
        # canaries: secrets of this world only, so a trace of them anywhere is the provider's doing
        consumer_secret=canary("cs"),
        client_secret=canary("ocs"),
    )
    people = {
        u: control.user(username=f"{slug}_{u}"[:15], name=f"{u.title()} of {name}", account_id=account["id"])
        for u in users
    }
    return Tenant(slug, account, app, people)


def arrange(control: Control) -> World:
    tenant = _tenant(control, "Bakery Tenant", "bakery", ("alice", "bob", "carol"))
    other = _tenant(control, "Florist Tenant", "florist", ("dana",))
    provider_account = control.account("Provider Inc")
    provider_app = control.app(
        provider_account["id"],
        "Provider Platform",
        use_case="Social media management platform for many businesses",
        callback_urls=CALLBACKS,
        permission="read-write",
    )
    world = World(control, control.base_url, tenant, other, provider_account, provider_app)
    world.add_canaries(tenant)
    world.add_canaries(other)
    return world


AdapterFactory = Callable[[World], ProviderAdapter]


_PROBED = {  # capabilities the probe (scenarios/probe.py) finds out, by the Observed field that says so
    Capability.SCHEDULING: "schedules",
    Capability.RENDER: "renders",
    Capability.MULTI_ACCOUNT: "multi_account",
    Capability.RETRIES: "retries",
    Capability.RECEIVE: "receives",
}


@dataclass
class Context:
    world: World
    adapter: ProviderAdapter
    evidence: list[Evidence] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    seen: Observed | None = None  # what the run's probe saw the provider do (scenarios/probe.py)

    @property
    def control(self) -> Control:
        return self.world.control

    @property
    def tenant(self) -> Tenant:
        return self.world.tenant

    def note(self, kind: str, summary: str, **detail: Any) -> None:
        self.evidence.append(Evidence(kind, summary, detail))

    def has(self, capability: Capability) -> bool:
        """What the run's probe saw the provider do decides; the adapter's declaration only where it could not tell."""
        fact = _PROBED.get(capability)
        seen = getattr(self.seen, fact, None) if self.seen is not None and fact else None
        if capability is Capability.OAUTH2 and self.seen is not None and self.seen.link is not None:
            return self.seen.link == "oauth2"
        if seen is not None:
            return bool(seen)
        return capability in self.adapter.capabilities

    def fail(self, reason: str) -> None:
        raise Failed(reason)

    def onboard(self, tenant: Tenant | None = None) -> None:
        tenant = tenant or self.tenant
        result = self.adapter.onboard_tenant(tenant.id, tenant.keys)
        if not result.ok:
            self.fail(f"onboarding the tenant failed: {result.outcome} {result.detail}")

    def link(self, end_user: str, tenant: Tenant | None = None) -> None:
        """Link an end user through the provider, the user approving on X's consent screen."""
        tenant = tenant or self.tenant
        start = self.adapter.connect_user(tenant.id, end_user)
        callback = self.control.approve(start.authorization_url, tenant.users[end_user]["id"])
        result = self.adapter.complete_connect(tenant.id, end_user, callback)
        if not result.ok:
            self.fail(f"linking {end_user} failed: {result.outcome} {result.detail}")

    def post(self, end_user: str, text: str, tenant: Tenant | None = None) -> Result:
        tenant = tenant or self.tenant
        result = self.adapter.post(tenant.id, end_user, text)
        self.note(
            "adapter",
            f"post for {end_user}: {result.outcome}" + (f" ({result.detail})" if result.detail else ""),
            outcome=str(result.outcome),
        )
        return result

    def require_ok(self, result: Result, what: str) -> Result:
        if result.outcome != Outcome.OK:
            self.fail(f"{what} failed: {result.outcome}" + (f" ({result.detail})" if result.detail else ""))
        return result

    def require_tenant_app(self, what: str) -> None:
        """The last X post was made with the tenant's app (else the tenant's limits and credits never applied)."""
        posts = [e for e in self.control.journal(path="/2/tweets", method="POST") if e.get("app_id")]
        if posts and posts[-1]["app_id"] != self.tenant.app["id"]:
            name = self.app_names().get(posts[-1]["app_id"], posts[-1]["app_id"])
            self.fail(
                f"{what}: the provider posts with {name}, not the tenant's own app, so the tenant's "
                "limits and credits never applied"
            )

    def rotate_keys(self, tenant: Tenant | None = None) -> TenantApp:
        """The tenant regenerates its app's consumer key and secret at X (new canaries); the old pair dies at once."""
        tenant = tenant or self.tenant
        tenant.app = self.control.regenerate_keys(tenant.app["id"], consumer_secret=canary("cs"))
        self.world.add_canaries(tenant)
        return tenant.keys

    def rotate_client_secret(self, tenant: Tenant | None = None) -> TenantApp:
        """The tenant regenerates its app's OAuth 2.0 client secret at X (a new canary); the client id stays and the
        old secret is refused at the token endpoint at once."""
        tenant = tenant or self.tenant
        tenant.app = self.control.regenerate_client_secret(tenant.app["id"], client_secret=canary("ocs"))
        self.world.add_canaries(tenant)
        return tenant.keys

    def x_calls(self, since: int, **filters: Any) -> list[dict[str, Any]]:
        """X calls journalled since position `since` of the whole journal (made by anyone, the provider included)."""
        return [e for e in self.control.journal()[since:] if all(e.get(k) == v for k, v in filters.items())]

    def x_user(self, end_user: str, tenant: Tenant | None = None) -> str:
        return (tenant or self.tenant).users[end_user]["id"]

    def app_names(self) -> dict[str, str]:
        return {a["id"]: f"{a['name']} (account {a['account_id']})" for a in self.control.apps()}
