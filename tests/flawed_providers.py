"""Providers that each break one rule, deliberately: certification must catch every one of them
(tests/test_certification.py). Each is the reference provider, or its adapter, with one flaw."""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path

from xmock.adapters.base import (
    LinkState,
    Outcome,
    Result,
)
from xmock.adapters.reference.adapter import ReferenceAdapter
from xmock.adapters.reference.provider import ReferenceProvider
from xmock.adapters.reference.service import create_service
from xmock.scenarios.world import keys_of
from xmock.simulator.server import AppThread


class Flawed(ReferenceAdapter):
    """The reference adapter in front of a deliberately flawed provider."""

    provider_class: type[ReferenceProvider] = ReferenceProvider

    def __init__(self, x_base_url: str) -> None:
        self._flawed_dir = tempfile.mkdtemp(prefix="xmock-flawed-")
        provider = self.provider_class(x_base_url, "https://provider.example/x/callback", data_dir=self._flawed_dir)
        self._flawed_server = AppThread(create_service(provider)).start()
        super().__init__(x_base_url, provider_url=self._flawed_server.base_url, data_dir=self._flawed_dir)
        self.provider = provider

    def close(self) -> None:
        super().close()
        self._flawed_server.stop()
        self.provider.x.close()
        shutil.rmtree(self._flawed_dir, ignore_errors=True)


def flawed(provider_class: type[ReferenceProvider], adapter_class: type[Flawed] = Flawed):
    adapter_class = type("Flawed", (adapter_class,), {"provider_class": provider_class})
    return lambda world: adapter_class(world.base_url)


class ExpiringScheduler(ReferenceProvider):
    def run_due(self) -> list[Result]:  # drops jobs whose user authorised over two hours ago
        with self.vault.lock:
            for job in self.vault.jobs.values():
                job["status"] = "expired"
        return [Result(Outcome.RELINK_REQUIRED, "token expired")]


class NoRetries(ReferenceProvider):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs, max_attempts=1)


class BlindRetry(ReferenceProvider):
    def _find_recent(self, *args, **kwargs):  # never looks before retrying
        return None


class Hammering(ReferenceProvider):
    def _blocked(self, *args, **kwargs):  # ignores the reset it was told
        return None


class RetriesOn402(ReferenceProvider):
    def post(self, *args, **kwargs) -> Result:
        result = super().post(*args, **kwargs)
        for _ in range(2):
            if result.outcome == Outcome.OUT_OF_CREDITS:
                result = super().post(*args, **kwargs)
        return Result(Outcome.TRANSIENT_FAILURE, "try later") if not result.ok else result


class NoAttribution(ReferenceProvider):
    def render(self, *args, **kwargs) -> Result:
        result = super().render(*args, **kwargs)
        result.data["html"] = result.data["html"].split("&mdash;")[0]
        return result


class RetriesDuplicates(ReferenceProvider):
    def post(self, *args, **kwargs) -> Result:
        result = super().post(*args, **kwargs)
        return super().post(*args, **kwargs) if result.outcome == Outcome.DUPLICATE else result


class AcceptsRss(ReferenceAdapter):
    def enable_rss(self, tenant_id, end_user_id, feed_url):
        return Result(Outcome.OK, "feed items will be posted")


class WhiteLabel(Flawed):
    """Registers one app per customer under the provider's own developer account."""

    def __init__(self, x_base_url: str, world) -> None:
        super().__init__(x_base_url)
        self.world = world

    def onboard_tenant(self, tenant_id, app):
        name = f"{tenant_id.title()} by Provider"
        own = self.world.control.app(
            self.world.provider_account["id"],
            name,
            use_case="Social media management platform for many businesses",
            callback_urls=["https://provider.example/x/callback"],
        )
        return super().onboard_tenant(tenant_id, keys_of(own))

    def set_tenant_credentials(self, tenant_id, app):
        return None


class SharedAppWebhooks(Flawed):
    """Receives for every tenant on a webhook of the provider's own app (a service bureau)."""

    def __init__(self, x_base_url: str, world) -> None:
        super().__init__(x_base_url)
        self.shared = keys_of(world.provider_app)

    def start_receiving(self, tenant_id):
        headers = {
            "X-Tenant-Id": tenant_id,
            "X-Twitter-OAuth1-Api-Key": self.shared.consumer_key,
            "X-Twitter-OAuth1-Api-Secret": self.shared.consumer_secret,
        }
        body = self.http.post("/v1/receiving", headers=headers).json()
        return Result(Outcome(body["outcome"]), body["detail"], body["data"])


class LogsSecrets(ReferenceProvider):
    def post(self, tenant, keys, end_user, text) -> Result:  # a debug log with the tenant's secret in it
        with open(Path(self.vault.data_dir) / "debug.log", "a") as log:
            log.write(f"posting for {tenant} with {keys.consumer_key}:{keys.consumer_secret}\n")
        return super().post(tenant, keys, end_user, text)


class ServesSecrets(ReferenceProvider):
    def post(self, tenant, keys, end_user, text) -> Result:  # kept in memory, shown on the open audit endpoint
        basic = base64.b64encode(f"{keys.consumer_key}:{keys.consumer_secret}".encode()).decode()
        with self.vault.lock:
            self.vault.audit.append({"event": "post", "authorization": f"Basic {basic}"})
        return super().post(tenant, keys, end_user, text)


class EchoesSecrets(ReferenceProvider):
    def post(self, tenant, keys, end_user, text) -> Result:  # "what we used", echoed in the answer
        result = super().post(tenant, keys, end_user, text)
        result.data["credentials_used"] = {"key": keys.consumer_key, "secret": keys.consumer_secret}
        return result


class _Remembers(ReferenceProvider):
    """Keeps the keys a tenant linked a user with (a provider that stores what it should not)."""

    def complete_link(self, tenant, keys, link_id, callback_url) -> Result:
        self.remembered = {**getattr(self, "remembered", {}), tenant: keys}
        return super().complete_link(tenant, keys, link_id, callback_url)


class PostsFromRss(_Remembers):
    """Says RSS is refused, yet its scheduler posts the feed with the tokens it holds."""

    def run_due(self) -> list[Result]:
        with self.vault.lock:
            users = [(key.split("|", 1), user) for key, user in self.vault.users.items()]
        for (tenant, end_user), user in users:
            self.x.request(
                "POST",
                "/2/tweets",
                oauth1=self._keys(self.remembered[tenant], user),
                json={"text": f"New on the blog for {end_user}"},
            )
        return super().run_due()


class KeepsUnlinkedTokens(ReferenceProvider):
    """Reports the user as unlinked but keeps (and uses) the token."""

    def unlink(self, tenant, keys, end_user) -> Result:
        self.gone = {*getattr(self, "gone", set()), f"{tenant}|{end_user}"}
        return Result(Outcome.OK)

    def state(self, tenant, end_user) -> LinkState:
        return (
            LinkState.NOT_LINKED
            if f"{tenant}|{end_user}" in getattr(self, "gone", set())
            else super().state(tenant, end_user)
        )

    def post(self, tenant, keys, end_user, text) -> Result:
        result = super().post(tenant, keys, end_user, text)
        return (
            Result(Outcome.REFUSED, "not linked") if f"{tenant}|{end_user}" in getattr(self, "gone", set()) else result
        )


class ExactDuplicatesOnly(ReferenceProvider):
    def _alike(self, a: str, b: str) -> bool:  # a near copy slips through
        return a == b


class IgnoresReadDelete429(ReferenceProvider):
    def _blocked(self, tenant, end_user, endpoint):
        return None if endpoint in ("read", "delete") else super()._blocked(tenant, end_user, endpoint)


class SchedulerRetries402(ReferenceProvider):
    def run_due(self) -> list[Result]:  # a failed post goes back in the queue, with the keys it had
        fired = super().run_due()
        with self.vault.lock:
            for job in self.vault.jobs.values():
                if job["status"] == f"failed: {Outcome.OUT_OF_CREDITS}":
                    job["status"], job["sealed"] = "scheduled", job.get("kept") or job["sealed"]
        return fired

    def schedule(self, tenant, keys, end_user, text, at) -> Result:
        result = super().schedule(tenant, keys, end_user, text, at)
        with self.vault.lock:
            job = self.vault.jobs[result.data["job_id"]]
            job["kept"] = job["sealed"]
        return result


class RevokesOnLeaving(_Remembers):
    def offboard(self, tenant) -> Result:  # "cleans up" by revoking the users' tokens at X
        keys = self.remembered[tenant]
        with self.vault.lock:
            users = [u for k, u in self.vault.users.items() if k.startswith(f"{tenant}|")]
        for user in users:
            self.x.request("POST", "/1.1/oauth/invalidate_token", oauth1=self._keys(keys, user))
        return super().offboard(tenant)


class FiresWithOldKeys(Flawed):
    """The reference provider's old bug: pending posts keep the keys they were scheduled with."""

    def set_tenant_credentials(self, tenant_id, app):
        if app is None:
            self.tenants.pop(tenant_id, None)
        else:
            self.tenants[tenant_id] = app


class ReadsWithRememberedKeys(Flawed):
    """Posts only with the keys the tenant offers, but reads with the keys it was onboarded with."""

    def onboard_tenant(self, tenant_id, app):
        self.remembered = app
        return super().onboard_tenant(tenant_id, app)

    def read(self, tenant_id, end_user_id, post_id):
        self.tenants.setdefault(tenant_id, self.remembered)
        return super().read(tenant_id, end_user_id, post_id)


class CopiedAppName(Flawed):
    """Links users under an app of its own account that copies the tenant's app name."""

    def __init__(self, x_base_url: str, world) -> None:
        super().__init__(x_base_url)
        self.world = world

    def onboard_tenant(self, tenant_id, app):
        tenant = self.world.tenant if tenant_id == self.world.tenant.id else self.world.other_tenant
        copy = self.world.control.app(
            self.world.provider_account["id"],
            tenant.app["name"],
            use_case=f"Posting for {tenant_id}",
            callback_urls=["https://provider.example/x/callback"],
        )
        return super().onboard_tenant(tenant_id, keys_of(copy))

    def set_tenant_credentials(self, tenant_id, app):
        return None


class LooksUpWithSharedApp(ReferenceProvider):
    """After a lost answer, looks for the post with the provider's own app (an app-only bearer token)."""

    shared = None  # the provider's own app's keys, set by the test

    def _find_recent(self, user, oauth, text, since):
        r = self.x.request(
            "POST",
            "/oauth2/token",
            basic=(self.shared.consumer_key, self.shared.consumer_secret),
            form={"grant_type": "client_credentials"},
        )
        answer = self.x.request("GET", f"/2/users/{user['x_user_id']}/tweets", bearer=r.json()["access_token"])
        found = [p["id"] for p in answer.json().get("data") or [] if p.get("text") == text]
        return found[0] if found else None


def shared_lookup(world):
    provider = type("Shared", (LooksUpWithSharedApp,), {"shared": keys_of(world.provider_app)})
    return flawed(provider)(world)


class ClearsFaults(ReferenceProvider):
    """Clears the simulator's faults before posting: steering the test bed instead of handling X's answers."""

    def post(self, *args, **kwargs) -> Result:
        self.x.http.delete(self.x.base_url + "/_xmock/faults")
        return super().post(*args, **kwargs)


class SpinsText(ReferenceProvider):
    """Dodges its own identical-text guard by varying the text a little per account."""

    def _alike(self, a: str, b: str) -> bool:  # its guard compares exact text only
        return a == b

    def post(self, tenant, keys, end_user, text) -> Result:
        return super().post(tenant, keys, end_user, f"{text} ~{end_user}")


def undeclared(cls):
    """The adapter declaring nothing at all: probing must find out what it does."""
    return type("Undeclared", (cls,), {"capabilities": frozenset()})


class NoConnect(ReferenceAdapter):
    def connect_user(self, tenant_id, end_user_id):
        raise NotImplementedError("connect_user")


class KeepsPlacesSecret(Flawed):
    def data_places(self):  # declares nothing: what it keeps cannot be scanned
        return None
