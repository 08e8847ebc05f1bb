"""Webhooks as X keeps them: registered by an app, checked with X's CRC challenge, signed deliveries.

X's CRC: a GET to the webhook URL with `crc_token`; the receiver answers 200 JSON
`{"response_token": "sha256=" + base64(HMAC-SHA256(app consumer secret, crc_token))}`. Deliveries carry
`x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the raw body under the same secret>`. A webhook
whose CRC fails is marked invalid and receives nothing until a PUT passes.

Only loopback hosts and hosts listed in the `webhook_hosts` setting are ever contacted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from xmock.simulator.clock import iso_utc
from xmock.simulator.relations import AAA_SUBSCRIPTIONS, APP_WEBHOOKS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import App

TABLE = "webhooks"
URL_MAX = 200  # X: at most 200 characters
LOOPBACK_NAMES = {"localhost"}


@dataclass
class Webhook:
    id: str
    app_id: str
    account_id: str
    url: str
    valid: bool
    created_at: float
    checked_at: float  # last CRC attempt, on the simulator clock
    passed_at: float | None = None  # last CRC that held

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "valid": self.valid, "created_at": iso_utc(self.created_at)}


def sign(secret: str, message: bytes) -> str:
    """X's `sha256=<base64 HMAC-SHA256>`: the CRC response token and the delivery signature."""
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def host_allowed(sim: Simulator, host: str) -> bool:
    host = host.lower().strip("[]")
    if host in LOOPBACK_NAMES or host in sim.settings.webhook_hosts:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(sim: Simulator, url: str) -> str | None:
    """Why X would refuse this URL (UrlValidationFailed), or None."""
    if len(url) > URL_MAX:
        return "The URL is longer than 200 characters."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "The URL is not well formed."
    strict = sim.settings.webhook_strict_urls
    if parts.scheme not in (("https",) if strict else ("https", "http")) or not parts.hostname:
        return "The URL must use https." if strict else "The URL must use http or https and name a host."
    if strict and port is not None:
        return "The URL must not name a port."
    if parts.username or parts.password:
        return "The URL must not carry credentials."
    if not host_allowed(sim, parts.hostname):
        return f"The host {parts.hostname} is neither loopback nor listed in the webhook_hosts setting."
    return None


# records ---------------------------------------------------------------------------


def load(sim: Simulator, webhook_id: str) -> Webhook | None:
    record = sim.store.get_record(TABLE, webhook_id)
    return None if record is None else Webhook(**record)


def save(sim: Simulator, hook: Webhook) -> None:
    sim.store.put_record(TABLE, hook.id, asdict(hook))


def of_account(sim: Simulator, account_id: str) -> list[Webhook]:
    found = (load(sim, hook_id) for hook_id, _ in sim.store.edges_from(APP_WEBHOOKS, account_id))
    return sorted((h for h in found if h is not None), key=lambda h: int(h.id))


def of_app(sim: Simulator, app: App) -> list[Webhook]:
    return [h for h in of_account(sim, app.account_id) if h.app_id == app.id]


def remove(sim: Simulator, hook: Webhook) -> None:
    now = sim.clock.now()
    for user_id, _ in sim.store.edges_from(AAA_SUBSCRIPTIONS, hook.id):
        sim.store.set_edge(AAA_SUBSCRIPTIONS, hook.id, user_id, False, now)
    sim.store.set_edge(APP_WEBHOOKS, hook.account_id, hook.id, False, now)
    sim.store.delete_record(TABLE, hook.id)


def webhook_limit(sim: Simulator) -> int:
    return 1 if sim.settings.access_tier == "self-serve" else sim.settings.max_webhooks


# the CRC challenge -----------------------------------------------------------------


@dataclass
class CrcOutcome:
    passed: bool
    status: int | None  # the receiver's HTTP status, None when it could not be reached
    reason: str  # why it failed, without any secret
    latency_ms: float


async def challenge(sim: Simulator, app: App, url: str) -> CrcOutcome:
    """Send X's CRC GET to `url` and check the answer against the app's consumer secret."""
    token = secrets.token_urlsafe(24)
    started = time.perf_counter()
    status: int | None = None
    try:
        async with httpx.AsyncClient(timeout=sim.settings.webhook_timeout, follow_redirects=False) as client:
            response = await client.get(url, params={"crc_token": token})
        status = response.status_code
        if not 200 <= status < 300:
            return CrcOutcome(False, status, f"the receiver answered {status}", _ms(started))
        try:
            answer = response.json()
        except ValueError:
            return CrcOutcome(False, status, "the answer is not JSON", _ms(started))
        expected = sign(app.consumer_secret, token.encode())
        got = answer.get("response_token") if isinstance(answer, dict) else None
        if not isinstance(got, str) or not hmac.compare_digest(got, expected):
            return CrcOutcome(False, status, "Invalid response_token", _ms(started))
        return CrcOutcome(True, status, "", _ms(started))
    except httpx.HTTPError as exc:
        return CrcOutcome(False, status, f"the receiver could not be reached ({type(exc).__name__})", _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


async def recheck(sim: Simulator, hook: Webhook) -> CrcOutcome:
    """A CRC check of a registered webhook (PUT, or the periodic check); its `valid` follows the answer."""
    app = sim.store.get_app(hook.app_id)
    if app is None:
        return CrcOutcome(False, None, "the app is gone", 0.0)
    outcome = await challenge(sim, app, hook.url)
    now = sim.clock.now()
    current = load(sim, hook.id)
    if current is None:  # deleted meanwhile
        return outcome
    current.checked_at = now
    current.valid = outcome.passed
    if outcome.passed:
        current.passed_at = now
    save(sim, current)
    sim.store.append_delivery(
        {"kind": "crc", "webhook_id": hook.id, "url": hook.url, "app_id": hook.app_id, "at": now,
         "status": outcome.status, "latency_ms": outcome.latency_ms, "crc_ok": outcome.passed,
         "error": outcome.reason or None}
    )
    return outcome


async def periodic_crc(sim: Simulator) -> int:
    """Re-check every webhook not checked within `webhook_crc_interval` on the clock; how many were checked."""
    now = sim.clock.now()
    due = []
    for account in sim.store.list_accounts():
        due += [h for h in of_account(sim, account.id) if now - h.checked_at >= sim.settings.webhook_crc_interval]
    for hook in due:
        await recheck(sim, hook)
    return len(due)
