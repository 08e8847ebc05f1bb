"""The adapter for the reference provider: a tenant's backend calling the provider's HTTP API.

The tenant keeps its own X app credentials and sends them with each call, as the
provider requires. Without `provider_url` the provider service is started in-process, keeping its data
(audit log, snapshot of its vault) in `data_dir` or a temporary directory removed on close.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

import httpx

from xmock.adapters.base import (
    Capability,
    ConnectStart,
    DataPlace,
    LinkState,
    Outcome,
    ProviderAdapter,
    Result,
    TenantApp,
)
from xmock.adapters.reference.provider import ReferenceProvider
from xmock.adapters.reference.service import create_service


class ReferenceAdapter(ProviderAdapter):
    name = "reference"
    capabilities = frozenset(
        {
            Capability.OAUTH1_BYO,
            Capability.MULTI_ACCOUNT,
            Capability.RETRIES,
            Capability.SCHEDULING,
            Capability.RENDER,
            Capability.READ,
            Capability.DELETE,
            Capability.UNLINK_RELINK,
            Capability.RSS_TO_X,
            Capability.RECEIVE,
        }
    )

    def __init__(
        self,
        x_base_url: str,
        provider_url: str | None = None,
        callback_url: str = "https://provider.example/x/callback",
        data_dir: str | None = None,
    ) -> None:
        self.provider: ReferenceProvider | None = None
        self._server: Any = None
        self._temporary: str | None = None
        if provider_url is None:
            from xmock.simulator.server import AppThread

            if data_dir is None:
                data_dir = self._temporary = tempfile.mkdtemp(prefix="xmock-reference-")
            self.provider = ReferenceProvider(x_base_url, callback_url, data_dir=data_dir)
            self._server = AppThread(create_service(self.provider), name="reference-provider").start()
            provider_url = self._server.base_url
        self.callback_url = callback_url
        self.data_dir = data_dir
        self.provider_url = provider_url
        self.answers: list[bytes] = []  # every body the provider answered with, for the secrets scan
        self.http = httpx.Client(base_url=provider_url, timeout=30, event_hooks={"response": [self._keep_answer]})
        self.tenants: dict[str, TenantApp] = {}  # the tenant's side: its own keys
        self.links: dict[tuple[str, str], str] = {}
        self.tokens: dict[tuple[str, str], dict[str, str]] = {}

    def close(self) -> None:
        self.http.close()
        if self._server is not None:
            self._server.stop()
        if self.provider is not None:
            self.provider.x.close()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)

    def _keep_answer(self, response: httpx.Response) -> None:
        self.answers.append(response.read())

    def data_places(self) -> list[DataPlace]:
        places = [DataPlace("url", f"{self.provider_url.rstrip('/')}/v1/audit", "the provider's audit endpoint")]
        if self.data_dir is not None:
            places.append(DataPlace("directory", self.data_dir, "the provider's data: vault snapshot and audit log"))
        return places

    def answers_seen(self) -> list[bytes]:
        return list(self.answers)

    def _headers(self, tenant_id: str, with_keys: bool = True) -> dict[str, str]:
        headers = {"X-Tenant-Id": tenant_id}
        app = self.tenants.get(tenant_id)
        if with_keys and app is not None:
            headers["X-Twitter-OAuth1-Api-Key"] = app.consumer_key
            headers["X-Twitter-OAuth1-Api-Secret"] = app.consumer_secret
        return headers

    def _call(self, method: str, path: str, tenant_id: str, **kwargs: Any) -> Result:
        r = self.http.request(method, path, headers=self._headers(tenant_id), **kwargs)
        try:
            body = r.json()
        except ValueError:
            return Result(Outcome.ERROR, f"the provider answered {r.status_code} without JSON")
        return Result(
            Outcome(body.get("outcome", "error")),
            body.get("detail", ""),
            body.get("data") or {},
            body.get("retry_after"),
        )

    def onboard_tenant(self, tenant_id: str, app: TenantApp) -> Result:
        # BYO: the provider keeps nothing; the tenant sends its keys with every request.
        self.tenants[tenant_id] = app
        return Result(Outcome.OK)

    def set_tenant_credentials(self, tenant_id: str, app: TenantApp | None) -> None:
        # The tenant's backend sends whatever keys it has now, or none, and tells the provider so that
        # pending scheduled posts fire with the current keys (or not at all).
        if app is None:
            self.tenants.pop(tenant_id, None)
            self._call("DELETE", "/v1/credentials", tenant_id)
        else:
            self.tenants[tenant_id] = app
            self._call("PUT", "/v1/credentials", tenant_id)

    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        result = self._call("POST", "/v1/connect-links", tenant_id, json={"end_user_id": end_user_id})
        if not result.ok:
            raise RuntimeError(f"connect failed: {result.outcome} {result.detail}")
        self.links[(tenant_id, end_user_id)] = result.data["link_id"]
        return ConnectStart(result.data["url"], result.data["link_id"])

    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        link_id = self.links.pop((tenant_id, end_user_id), "")
        result = self._call(
            "POST", f"/v1/connect-links/{link_id}/complete", tenant_id, json={"callback_url": callback_url}
        )
        if result.ok:
            self.tokens[(tenant_id, end_user_id)] = {k: result.data[k] for k in ("oauth_token", "oauth_token_secret")}
        return result

    def link_state(self, tenant_id: str, end_user_id: str) -> LinkState:
        return LinkState(self._call("GET", f"/v1/users/{end_user_id}", tenant_id).data.get("state", "not-linked"))

    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result:
        return self._call("POST", "/v1/posts", tenant_id, json={"end_user_id": end_user_id, "text": text})

    def schedule(self, tenant_id: str, end_user_id: str, text: str, at: float) -> Result:
        return self._call("POST", "/v1/schedules", tenant_id, json={"end_user_id": end_user_id, "text": text, "at": at})

    def run_due(self) -> list[Result]:
        fired = self._call("POST", "/v1/scheduler/run", "scheduler").data.get("fired", [])
        return [Result(Outcome(f.pop("outcome")), f.pop("detail", ""), f) for f in fired]

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("GET", f"/v1/posts/{post_id}", tenant_id, params={"end_user_id": end_user_id})

    def render(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("GET", f"/v1/posts/{post_id}/render", tenant_id, params={"end_user_id": end_user_id})

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("DELETE", f"/v1/posts/{post_id}", tenant_id, params={"end_user_id": end_user_id})

    def unlink(self, tenant_id: str, end_user_id: str) -> Result:
        return self._call("POST", f"/v1/users/{end_user_id}/unlink", tenant_id)

    def force_relogin(self, tenant_id: str, end_user_id: str) -> Result:
        return self._call("POST", f"/v1/users/{end_user_id}/relogin", tenant_id)

    def enable_rss(self, tenant_id: str, end_user_id: str, feed_url: str) -> Result:
        return self._call("POST", "/v1/rss", tenant_id, json={"end_user_id": end_user_id, "feed_url": feed_url})

    def start_receiving(self, tenant_id: str) -> Result:
        return self._call("POST", "/v1/receiving", tenant_id)

    def stop_receiving(self, tenant_id: str) -> Result:
        return self._call("DELETE", "/v1/receiving", tenant_id)

    def inbox(self, tenant_id: str, end_user_id: str | None = None) -> Result:
        params = {"end_user_id": end_user_id} if end_user_id is not None else None
        return self._call("GET", "/v1/inbox", tenant_id, params=params)

    def offboard_tenant(self, tenant_id: str) -> Result:
        return self._call("DELETE", "/v1/tenant", tenant_id)

    def user_tokens(self, tenant_id: str, end_user_id: str) -> dict[str, str] | None:
        return self.tokens.get((tenant_id, end_user_id))
