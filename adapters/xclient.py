"""A small X API client for the bundled providers: OAuth 1.0a signing with oauthlib, httpx for
transport, and X's answers classified into provider outcomes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from oauthlib.oauth1 import Client as OAuth1Signer

from xmock.adapters.base import Outcome, Result
from xmock.simulator.control.guard import control_headers


@dataclass(frozen=True)
class OAuth1Keys:
    consumer_key: str
    consumer_secret: str
    token: str | None = None
    token_secret: str | None = None

    def __repr__(self) -> str:
        return f"OAuth1Keys(consumer_key={self.consumer_key!r}, ***)"


class XClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        oauth1: OAuth1Keys | None = None,
        bearer: str | None = None,
        json: Any = None,
        form: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        basic: tuple[str, str] | None = None,
    ) -> httpx.Response:
        url = self.base_url + path
        if params:
            url += "?" + urlencode(params)
        headers: dict[str, str] = {}
        body: bytes | None = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            import json as json_module

            body = json_module.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        if oauth1 is not None:
            signer = OAuth1Signer(
                oauth1.consumer_key,
                client_secret=oauth1.consumer_secret,
                resource_owner_key=oauth1.token,
                resource_owner_secret=oauth1.token_secret,
            )
            # Only form bodies are part of the signature; JSON bodies are signed as empty.
            signed_body = body.decode() if form is not None and body else None
            _, signed, _ = signer.sign(url, method, body=signed_body, headers=dict(headers) if signed_body else {})
            headers["Authorization"] = signed["Authorization"]
        elif bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        return self.http.request(method, url, content=body, headers=headers, auth=basic)

    def now(self) -> float:
        """The simulator's clock: scheduled work and waits follow it, not the host's."""
        try:
            answer = self.http.get(self.base_url + "/_xmock/clock", headers=control_headers())
            return float(answer.json()["now"])
        except (httpx.HTTPError, KeyError, ValueError):
            return time.time()

    def outcome(self, response: httpx.Response) -> Result:
        """X's answer in the provider's terms; X's raw bodies are not passed on."""
        if response.status_code < 300:
            return Result(Outcome.OK, data=_json(response))
        return classify(response.status_code, response.headers.get("x-rate-limit-reset"), response.text, self.now)


def classify(status: int, reset_header: str | None, text: str, now: Any) -> Result:
    """An X error status in a provider's terms (`now` is called only for a 429's wait)."""
    if status < 300:
        return Result(Outcome.OK)
    if status == 429:
        reset = float(reset_header or 0)
        return Result(Outcome.RATE_LIMITED, "X rate limit reached", retry_after=max(0.0, reset - now()))
    if status == 402:
        return Result(Outcome.OUT_OF_CREDITS, "the tenant's X app has no credits left")
    if status == 401:
        return Result(Outcome.RELINK_REQUIRED, "X no longer accepts this user's authorisation")
    if status == 403 and "duplicate" in text.lower():
        return Result(Outcome.DUPLICATE, "X refused the post as a duplicate")
    if status == 403:
        return Result(Outcome.REFUSED, "X refused the request")
    if status == 404:
        return Result(Outcome.NOT_FOUND, "not found at X")
    if status >= 500:
        return Result(Outcome.TRANSIENT_FAILURE, f"X answered {status}")
    return Result(Outcome.ERROR, f"X answered {status}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
