"""A provider built the pre-mandate way, to show what certification catches.

- One provider-owned X app serves every tenant (a service bureau); the consent screen
  shows the provider's app, not the tenant's.
- Tenants' X app secrets are kept in its database (SQLite, declared as a data place), though never used.
- End users are linked with OAuth 2.0; tokens are stored and used without refresh
  discipline: an expired token is refreshed, but the new refresh token is not kept.
- Announcements are pushed to every linked account of a tenant, word for word.
- Everything is retried the same way, duplicates included.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

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
from xmock.adapters.xclient import XClient

SCOPES = "tweet.read tweet.write users.read offline.access"


class LegacySharedAdapter(ProviderAdapter):
    name = "legacy-shared"
    capabilities = frozenset(
        {
            Capability.OAUTH2,
            Capability.MULTI_ACCOUNT,
            Capability.RETRIES,
            Capability.SCHEDULING,
            Capability.READ,
            Capability.DELETE,
            Capability.RSS_TO_X,
            Capability.UNLINK_RELINK,
        }
    )

    def __init__(
        self,
        x_base_url: str,
        provider_app: TenantApp,
        callback_url: str = "https://legacy.example/cb",
        retries: int = 2,
    ) -> None:
        self.x = XClient(x_base_url)
        self.app = provider_app  # the provider's own app, for everyone
        self.callback_url = callback_url
        self.retries = retries
        self.db: dict[str, Any] = {"tenants": {}, "users": {}, "jobs": [], "feeds": []}
        self._pending: dict[str, str] = {}  # state -> code verifier
        self._dir = tempfile.mkdtemp(prefix="xmock-legacy-")
        self.database = Path(self._dir) / "legacy.db"
        with sqlite3.connect(self.database) as db:
            db.execute("CREATE TABLE tenants (id TEXT PRIMARY KEY, consumer_key TEXT, consumer_secret TEXT)")

    def close(self) -> None:
        self.x.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def data_places(self) -> list[DataPlace]:
        # sqlite:/// and an absolute path: four slashes, as SQLAlchemy writes it
        return [DataPlace("database", f"sqlite:///{self.database}", "the provider's database")]

    def onboard_tenant(self, tenant_id: str, app: TenantApp) -> Result:
        # Kept "in case we need it": the tenant's secrets end up in the provider's database.
        self.db["tenants"][tenant_id] = {"consumer_key": app.consumer_key, "consumer_secret": app.consumer_secret}
        with sqlite3.connect(self.database) as db:
            db.execute(
                "INSERT OR REPLACE INTO tenants VALUES (?, ?, ?)", (tenant_id, app.consumer_key, app.consumer_secret)
            )
        return Result(Outcome.OK)

    def set_tenant_credentials(self, tenant_id: str, app: TenantApp | None) -> None:
        # Whatever the tenant offers, the shared app is used; new keys are filed away.
        if app is not None:
            self.onboard_tenant(tenant_id, app)

    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        verifier = secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(12)
        self._pending[state] = verifier
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.app.client_id,
                "redirect_uri": self.callback_url,
                "scope": SCOPES,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return ConnectStart(f"https://x.com/i/oauth2/authorize?{query}", state)

    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        query = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        verifier = self._pending.pop(query.get("state", ""), None)
        if verifier is None or "code" not in query:
            return Result(Outcome.REFUSED, "authorisation failed")
        r = self.x.request(
            "POST",
            "/2/oauth2/token",
            basic=(self.app.client_id, self.app.client_secret),
            form={
                "grant_type": "authorization_code",
                "code": query["code"],
                "redirect_uri": self.callback_url,
                "code_verifier": verifier,
            },
        )
        if r.status_code != 200:
            return self.x.outcome(r)
        tokens = r.json()
        self.db["users"][f"{tenant_id}|{end_user_id}"] = {
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token"),
        }
        return Result(Outcome.OK, data={"access_token": tokens["access_token"]})

    def link_state(self, tenant_id: str, end_user_id: str) -> LinkState:
        # It has no idea: whatever is in the database counts as linked.
        return LinkState.LINKED if f"{tenant_id}|{end_user_id}" in self.db["users"] else LinkState.NOT_LINKED

    def _call(self, tenant_id: str, end_user_id: str, method: str, path: str, **kwargs: Any) -> Result:
        user = self.db["users"].get(f"{tenant_id}|{end_user_id}")
        if user is None:
            return Result(Outcome.REFUSED, "not linked")
        result = Result(Outcome.ERROR)
        for _ in range(self.retries + 1):
            r = self.x.request(method, path, bearer=user["access_token"], **kwargs)
            if r.status_code == 401 and user.get("refresh_token"):
                refreshed = self.x.request(
                    "POST",
                    "/2/oauth2/token",
                    basic=(self.app.client_id, self.app.client_secret),
                    form={"grant_type": "refresh_token", "refresh_token": user["refresh_token"]},
                )
                if refreshed.status_code == 200:
                    user["access_token"] = refreshed.json()["access_token"]  # the new refresh token is dropped
                    r = self.x.request(method, path, bearer=user["access_token"], **kwargs)
            result = self.x.outcome(r)
            if result.ok:
                return result
        return result

    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result:
        result = self._call(tenant_id, end_user_id, "POST", "/2/tweets", json={"text": text})
        return Result(Outcome.OK, data={"post_id": result.data["data"]["id"]}) if result.ok else result

    def announce(self, tenant_id: str, text: str) -> list[Result]:
        """The same announcement to every linked account of the tenant."""
        users = [key.split("|", 1)[1] for key in self.db["users"] if key.startswith(f"{tenant_id}|")]
        return [self.post(tenant_id, user, text) for user in users]

    def schedule(self, tenant_id: str, end_user_id: str, text: str, at: float) -> Result:
        self.db["jobs"].append({"tenant": tenant_id, "user": end_user_id, "text": text, "at": at, "done": False})
        return Result(Outcome.OK, data={"job_id": str(len(self.db["jobs"]))})

    def run_due(self) -> list[Result]:
        now = self.x.now()
        results = []
        for job in self.db["jobs"]:
            if not job["done"] and job["at"] <= now:
                job["done"] = True
                results.append(self.post(job["tenant"], job["user"], job["text"]))
        return results

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        result = self._call(tenant_id, end_user_id, "GET", f"/2/tweets/{post_id}")
        return (
            Result(Outcome.OK, data={"post_id": post_id, "text": result.data["data"]["text"]}) if result.ok else result
        )

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        result = self._call(tenant_id, end_user_id, "DELETE", f"/2/tweets/{post_id}")
        return Result(Outcome.OK, data={"post_id": post_id, "deleted": True}) if result.ok else result

    def unlink(self, tenant_id: str, end_user_id: str) -> Result:
        self.db["users"].pop(f"{tenant_id}|{end_user_id}", None)
        return Result(Outcome.OK)

    def force_relogin(self, tenant_id: str, end_user_id: str) -> Result:
        return self.unlink(tenant_id, end_user_id)

    def enable_rss(self, tenant_id: str, end_user_id: str, feed_url: str) -> Result:
        self.db["feeds"].append({"tenant": tenant_id, "user": end_user_id, "feed": feed_url})
        return Result(Outcome.OK, "feed items will be posted with the stored tokens")

    def user_tokens(self, tenant_id: str, end_user_id: str) -> dict[str, str] | None:
        user = self.db["users"].get(f"{tenant_id}|{end_user_id}")
        return {"access_token": user["access_token"]} if user else None
