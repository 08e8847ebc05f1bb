"""Pay-per-use credits, per app, in exact decimal dollars.

Writes are priced per request and reserved before the handler runs, so concurrent
writes can never overspend; a failed write is refunded (failed requests are free).
Reads are priced per resource returned, expansions included, each resource at most
once per UTC day per app; a read needs a positive balance and may leave it slightly
negative, as X's does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xmock.simulator import errors
from xmock.simulator.money import money_str
from xmock.simulator.pricing import PER_REQUEST, price_table

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.pipeline import Call
    from xmock.simulator.xrequest import Reply

ZERO = Decimal(0)


@dataclass(slots=True)
class Hold:
    """What `before` decided for one call, for `settle` or `release` to finish."""

    app_id: str
    request_id: str
    endpoint: str
    price_class: str
    reserved: Decimal = ZERO


def utc_day(ts: float) -> str:
    return _day(int(ts // 86400))


@lru_cache(maxsize=64)
def _day(index: int) -> str:
    return datetime.fromtimestamp(index * 86400, tz=UTC).strftime("%Y-%m-%d")


def _entry(sim: Simulator, hold: Hold, kind: str) -> dict[str, Any]:
    return {
        "time": sim.clock.now(),
        "kind": kind,
        "request_id": hold.request_id,
        "endpoint": hold.endpoint,
        "price_class": hold.price_class,
    }


def before(call: Call, request_id: str) -> Hold | None:
    """Refuse with 402 when the app cannot pay; reserve a write's price."""
    sim, ep, app = call.sim, call.endpoint, call.auth.app
    if not sim.settings.billing or ep.price_class is None or app is None:
        return None
    price_class = ep.price_refine(call) if ep.price_refine else ep.price_class
    amount, unit = price_table(sim.settings.prices)[price_class]
    hold = Hold(app.id, request_id, ep.name, price_class)
    if unit == PER_REQUEST:
        balance = sim.store.adjust_credits(app.id, -amount, _entry(sim, hold, "charge"), floor=ZERO)
        if balance is None:
            raise errors.credits_depleted(sim.settings.credits_402_variant, app.account_id)
        hold.reserved = amount
    elif sim.store.credit_balance(app.id) <= ZERO:
        raise errors.credits_depleted(sim.settings.credits_402_variant, app.account_id)
    return hold


def release(sim: Simulator, hold: Hold | None) -> None:
    """A failed request is free: give back what was reserved."""
    if hold is not None and hold.reserved:
        sim.store.adjust_credits(hold.app_id, hold.reserved, _entry(sim, hold, "refund"))


def settle(call: Call, hold: Hold | None, reply: Reply) -> None:
    """Charge a successful read for each resource it returned, once per resource per UTC day."""
    if hold is None or hold.reserved or reply.status >= 400:
        return
    sim = call.sim
    table = price_table(sim.settings.prices)
    items = [(f"{kind}:{rid}", table[kind][0]) for kind, rid in returned_resources(call, hold.price_class, reply)]
    if items:
        amount, _ = sim.store.charge_resources(
            hold.app_id, utc_day(sim.clock.now()), items, _entry(sim, hold, "charge")
        )
        if amount:  # journalled only when this read cost something
            reply.note["charged"] = money_str(amount)


def returned_resources(call: Call, price_class: str, reply: Reply) -> list[tuple[str, str]]:
    """(price class, id) for every post and user in `data` and `includes`."""
    body = reply.body if isinstance(reply.body, dict) else {}
    data = body.get("data")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    out = [(price_class, str(item["id"])) for item in items if isinstance(item, dict) and "id" in item]
    includes = body.get("includes") or {}
    out += [("Post", str(p["id"])) for p in includes.get("tweets", [])]
    out += [("User", str(u["id"])) for u in includes.get("users", [])]
    out += [("Media", str(m["media_key"])) for m in includes.get("media", []) if "media_key" in m]
    return out


def top_up(sim: Simulator, app_id: str, amount: Decimal) -> Decimal:
    """A credit purchase, at least the configured minimum."""
    minimum = Decimal(sim.settings.minimum_purchase)
    if amount < minimum:
        raise ValueError(f"the minimum credit purchase is ${minimum}")
    entry = {"time": sim.clock.now(), "kind": "top-up", "request_id": None, "endpoint": None}
    balance = sim.store.adjust_credits(app_id, amount, entry)
    assert balance is not None
    return balance


def set_balance(sim: Simulator, app_id: str, amount: Decimal) -> Decimal:
    """Set a balance outright (for tests), recorded as an adjustment."""
    entry = {"time": sim.clock.now(), "kind": "adjustment", "request_id": None, "endpoint": None}
    balance = sim.store.adjust_credits(app_id, amount - sim.store.credit_balance(app_id), entry)
    assert balance is not None
    return balance
