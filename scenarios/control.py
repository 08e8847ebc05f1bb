"""The simulator's control API, as scenarios use it: arrange a world, steer it, read evidence."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from xmock.simulator.control.guard import control_headers


class ControlError(Exception):
    pass


class Control:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=30, headers=control_headers(token))

    def close(self) -> None:
        self.http.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        r = self.http.request(method, "/_xmock" + path, **kwargs)
        if r.status_code >= 400:
            raise ControlError(f"{method} /_xmock{path}: {r.status_code} {r.text}")
        return r.json()

    def reset(self) -> None:
        self._send("POST", "/reset")

    def settings(self, **changes: Any) -> dict[str, Any]:
        return self._send("PATCH", "/settings", json=changes)

    def account(self, name: str) -> dict[str, Any]:
        return self._send("POST", "/accounts", json={"name": name})

    def app(self, account_id: str, name: str, **fields: Any) -> dict[str, Any]:
        return self._send("POST", "/apps", json={"account_id": account_id, "name": name, **fields})

    def apps(self) -> list[dict[str, Any]]:
        return self._send("GET", "/apps")["apps"]

    def user(self, **fields: Any) -> dict[str, Any]:
        return self._send("POST", "/users", json=fields)

    def regenerate_keys(self, app_id: str, **keys: str) -> dict[str, Any]:
        """New consumer key and secret (given ones, e.g. canaries, or random)."""
        return self._send("POST", f"/apps/{app_id}/keys", json=keys)

    def regenerate_client_secret(self, app_id: str, **secret: str) -> dict[str, Any]:
        """A new OAuth 2.0 client secret (a given one, e.g. a canary, or random); the client id stays."""
        return self._send("POST", f"/apps/{app_id}/client-secret", json=secret)

    def suspend(self, app_id: str) -> None:
        self._send("POST", f"/apps/{app_id}/suspend")

    def set_credits(self, app_id: str, amount: str) -> None:
        self._send("POST", f"/apps/{app_id}/credits", json={"set": amount})

    def limits(self, app_id: str, limits: dict[str, list[dict[str, Any]]]) -> None:
        self._send("PATCH", f"/apps/{app_id}/limits", json={"limits": limits})

    def fault(self, **rule: Any) -> dict[str, Any]:
        return self._send("POST", "/faults", json=rule)

    def certification(self, report: dict[str, Any], html: str) -> dict[str, Any]:
        """Tell the simulator of a run it took part in: its JSON and HTML reports."""
        return self._send("POST", "/certifications", json={"report": report, "html": html})

    def clock(self) -> dict[str, Any]:
        return self._send("GET", "/clock")

    def advance(self, seconds: float) -> dict[str, Any]:
        return self._send("POST", "/clock", json={"advance": seconds})

    def freeze(self) -> dict[str, Any]:
        return self._send("POST", "/clock", json={"freeze": True})

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        return self._send("GET", "/journal", params=filters)["entries"]

    def findings(self, **filters: Any) -> list[dict[str, Any]]:
        return self._send("GET", "/findings", params=filters)["findings"]

    def posts(self, **filters: Any) -> list[dict[str, Any]]:
        return self._send("GET", "/posts", params=filters)["posts"]

    def create_post(self, user_id: str, text: str) -> dict[str, Any]:
        """A post by a user of the world (not through any provider): what the tenant's users receive."""
        return self._send("POST", "/posts", json={"user_id": user_id, "text": text})

    def webhooks(self, **filters: Any) -> dict[str, list[dict[str, Any]]]:
        """X's record of webhooks (with their subscriptions) and X Activity subscriptions, per app."""
        return self._send("GET", "/webhooks", params=filters)

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        return self._send("GET", "/deliveries", params=filters)

    def approve(self, authorization_url: str, user_id: str) -> str:
        """Play the end user on X's consent screen; the callback URL X redirects to."""
        query = dict(p.split("=", 1) for p in urlsplit(authorization_url).query.split("&") if "=" in p)
        if "oauth_token" in query and "code_challenge" not in query:
            answer = self._send(
                "POST", "/oauth1/authorize", json={"oauth_token": query["oauth_token"], "user": user_id}
            )
        else:
            answer = self._send("POST", "/oauth2/authorize", json={"url": authorization_url, "user": user_id})
        return answer["location"]

    def consent_page(self, authorization_url: str) -> str:
        """The consent screen an end user sees for this authorisation URL (any X host)."""
        parts = urlsplit(authorization_url)
        return self.http.get(parts.path + ("?" + parts.query if parts.query else "")).text
