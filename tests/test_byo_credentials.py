"""credentials-per-request for OAuth 2.0 providers: a sound BYO provider refreshes with the client secret the
tenant offers now, and providers that keep an old one, or refresh with withheld credentials, are caught."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

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
from xmock.scenarios.base import Verdict
from xmock.scenarios.runner import certify

# --- OAuth 2.0 client credentials per request: a sound BYO provider and two that are not ---------


SCOPES = "tweet.read tweet.write users.read offline.access"


class ByoOAuth2(ProviderAdapter):
    """A small OAuth 2.0 provider done right: each tenant's own client, authenticated with the credentials the
    tenant offers at the time (none offered: nothing is sent), and the refresh token X rotates into kept."""

    name = "byo-oauth2"
    capabilities = frozenset({Capability.OAUTH2, Capability.READ, Capability.DELETE})
    callback_url = "https://tenant.example/x/callback"

    def __init__(self, x_base_url: str) -> None:
        self.x = XClient(x_base_url)
        self.offered: dict[str, TenantApp] = {}
        self.users: dict[str, dict[str, str]] = {}  # tenant|end user -> access and refresh token
        self.pending: dict[str, str] = {}  # state -> PKCE verifier

    def close(self) -> None:
        self.x.close()

    def data_places(self) -> list[DataPlace]:
        return []  # keeps everything in memory

    def onboard_tenant(self, tenant_id, app):
        self.offered[tenant_id] = app
        return Result(Outcome.OK)

    def set_tenant_credentials(self, tenant_id, app):
        if app is None:
            self.offered.pop(tenant_id, None)
        else:
            self.offered[tenant_id] = app

    def client(self, tenant_id: str) -> tuple[str, str] | None:
        """The (client id, client secret) to authenticate at X's token endpoint with, if the tenant offers any."""
        app = self.offered.get(tenant_id)
        return (app.client_id, app.client_secret) if app else None

    def connect_user(self, tenant_id, end_user_id):
        verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(12)
        self.pending[state] = verifier
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        query = urlencode({"response_type": "code", "client_id": self.offered[tenant_id].client_id,
                           "redirect_uri": self.callback_url, "scope": SCOPES,
                           "state": state, "code_challenge": challenge, "code_challenge_method": "S256"})
        return ConnectStart(f"https://x.com/i/oauth2/authorize?{query}", state)

    def complete_connect(self, tenant_id, end_user_id, callback_url):
        query = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        verifier, client = self.pending.pop(query.get("state", ""), None), self.client(tenant_id)
        if verifier is None or client is None or "code" not in query:
            return Result(Outcome.REFUSED, "authorisation failed")
        r = self.x.request("POST", "/2/oauth2/token", basic=client,
                           form={"grant_type": "authorization_code", "code": query["code"],
                                 "redirect_uri": self.callback_url, "code_verifier": verifier})
        if r.status_code != 200:
            return self.x.outcome(r)
        self.users[f"{tenant_id}|{end_user_id}"] = r.json()
        return Result(Outcome.OK)

    def link_state(self, tenant_id, end_user_id):
        return LinkState.LINKED if f"{tenant_id}|{end_user_id}" in self.users else LinkState.NOT_LINKED

    def refresh(self, client: tuple[str, str], user: dict[str, str]) -> bool:
        r = self.x.request("POST", "/2/oauth2/token", basic=client,
                           form={"grant_type": "refresh_token", "refresh_token": user["refresh_token"]})
        if r.status_code == 200:
            user.update(r.json())  # the new refresh token too: the old one is spent
        return r.status_code == 200

    def call(self, tenant_id: str, end_user_id: str, method: str, path: str, **kwargs) -> Result:
        client, user = self.client(tenant_id), self.users.get(f"{tenant_id}|{end_user_id}")
        if client is None:
            return Result(Outcome.REFUSED, "the tenant offers no X credentials")
        if user is None:
            return Result(Outcome.REFUSED, "not linked")
        r = self.x.request(method, path, bearer=user["access_token"], **kwargs)
        if r.status_code == 401 and self.refresh(client, user):
            r = self.x.request(method, path, bearer=user["access_token"], **kwargs)
        return self.x.outcome(r)

    def post(self, tenant_id, end_user_id, text, media=None):
        result = self.call(tenant_id, end_user_id, "POST", "/2/tweets", json={"text": text})
        return Result(Outcome.OK, data={"post_id": result.data["data"]["id"]}) if result.ok else result

    def read(self, tenant_id, end_user_id, post_id):
        return self.call(tenant_id, end_user_id, "GET", f"/2/tweets/{post_id}")

    def delete(self, tenant_id, end_user_id, post_id):
        return self.call(tenant_id, end_user_id, "DELETE", f"/2/tweets/{post_id}")


class KeepsFirstClientSecret(ByoOAuth2):
    """Takes the client id the tenant offers, but keeps the client secret it was first given."""

    def client(self, tenant_id):
        offered = super().client(tenant_id)
        if offered is None:
            return None
        self.first = getattr(self, "first", {})
        return offered[0], self.first.setdefault(offered[0], offered[1])


class RefreshesWhenWithheld(ByoOAuth2):
    """Refuses to act without the tenant's credentials, but keeps the user's token fresh with the last ones it had
    (only once the token has expired, so no X call is made while it is still good)."""

    def set_tenant_credentials(self, tenant_id, app):
        if app is None and tenant_id in self.offered:
            self.last = {**getattr(self, "last", {}), tenant_id: self.offered[tenant_id]}
        super().set_tenant_credentials(tenant_id, app)

    def complete_connect(self, tenant_id, end_user_id, callback_url):
        result = super().complete_connect(tenant_id, end_user_id, callback_url)
        if result.ok:
            self.users[f"{tenant_id}|{end_user_id}"]["obtained_at"] = self.x.now()
        return result

    def refresh(self, client, user):
        fresh = super().refresh(client, user)
        if fresh:
            user["obtained_at"] = self.x.now()
        return fresh

    def call(self, tenant_id, end_user_id, method, path, **kwargs):
        user, last = self.users.get(f"{tenant_id}|{end_user_id}"), getattr(self, "last", {}).get(tenant_id)
        expired = user is not None and self.x.now() >= user["obtained_at"] + user["expires_in"]
        if tenant_id not in self.offered and expired and last:
            self.refresh((last.client_id, last.client_secret), user)
        return super().call(tenant_id, end_user_id, method, path, **kwargs)


def test_a_sound_oauth2_byo_provider_refreshes_with_the_regenerated_client_secret():
    run = certify("byo-oauth2", lambda w: ByoOAuth2(w.base_url), only=["credentials-per-request"])
    [result] = run.results
    assert run.seen.link == "oauth2"
    assert result.verdict == Verdict.PASS, result.reason
    assert "1 refresh(es), 0 refused, 0 with the old secret" in " ".join(e.summary for e in result.evidence)
    assert "OAuth 2.0 client secret" in result.answers["credentials"]


@pytest.mark.parametrize(
    ("adapter_class", "cause"),
    [
        (KeepsFirstClientSecret, "with the tenant's old, regenerated client secret"),
        (RefreshesWhenWithheld, "X call(s) without the tenant's client credentials (POST /2/oauth2/token)"),
    ],
)
def test_an_oauth2_provider_using_client_credentials_it_was_not_offered_is_caught(adapter_class, cause):
    run = certify("flawed", lambda w: adapter_class(w.base_url), only=["credentials-per-request"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL and cause in result.reason, result.reason
