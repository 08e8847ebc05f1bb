"""Pay-per-use credits, per app, in exact decimal dollars.

Writes are priced per request and reserved before the handler runs, so concurrent
writes can never overspend; a failed write is refunded (failed requests are free).
A post's price is taken by the store in the same atomic step that creates the post
(`Endpoint.pays_on_write`): whatever fails, a post and its charge exist together or not at all.
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

from xmock.simulator import admission, errors
from xmock.simulator.admission import Admission
from xmock.simulator.money import money_str
from xmock.simulator.pricing import PER_REQUEST, price_table
from xmock.simulator.store.base import Charge

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
    # The price the handler's store write takes with it (pays_on_write endpoints), and whether it
    # did: then it is never refunded, as the post it paid for exists.
    on_write: Decimal = ZERO
    paid: bool = False


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


def plan(call: Call, request_id: str, adm: Admission) -> Hold | None:
    """Put on the call's admission what its app's balance must allow (X's 402 when it does not):
    a write paid by its store write must be covered, a per-request price is taken, a read needs a
    positive balance. The Hold is what `settle` or `release` finish with."""
    sim, ep, app = call.sim, call.endpoint, call.auth.app
    if not sim.settings.billing or ep.price_class is None or app is None:
        return None
    price_class = ep.price_refine(call) if ep.price_refine else ep.price_class
    amount, unit = price_table(sim.settings.prices)[price_class]
    hold = Hold(app.id, request_id, ep.name, price_class)
    adm.app_id = app.id
    if unit == PER_REQUEST and ep.pays_on_write:
        adm.credits, adm.amount = admission.AFFORD, amount
        hold.on_write = amount
    elif unit == PER_REQUEST:
        adm.credits, adm.amount = admission.RESERVE, amount
        adm.entry = _entry(sim, hold, "charge")
    else:
        adm.credits = admission.POSITIVE
    return hold


def admitted(hold: Hold | None, adm: Admission) -> None:
    """The admission took what it reserved: a failure from here on gives it back."""
    if hold is not None and adm.credits == admission.RESERVE:
        hold.reserved = adm.amount


def read_charge(call: Call, hold: Hold | None, reply: Reply, adm: Admission) -> None:
    """Put a read's price on its admission, taken there with the rest of its books: a per-request
    price only if the read succeeded, else each resource it returned once per UTC day."""
    # A failed read pays nothing (the pipeline turns its reserve into a check); a per-request price is the reserve.
    if hold is None or reply.status >= 400 or adm.credits == admission.RESERVE:
        return
    sim = call.sim
    table = price_table(sim.settings.prices)
    adm.items = [(f"{kind}:{rid}", table[kind][0]) for kind, rid in returned_resources(call, hold.price_class, reply)]
    if adm.items:
        adm.day = utc_day(adm.now)
        adm.entry = _entry(sim, hold, "charge")


def write_charge(call: Call) -> Charge | None:
    """The price a pays_on_write handler hands to its store write, or None when nothing is owed."""
    hold = call.hold
    if hold is None or not hold.on_write:
        return None
    return Charge(hold.app_id, hold.on_write, _entry(call.sim, hold, "charge"))


def paid_on_write(call: Call, charge: Charge | None) -> None:
    """The store write took `charge`: the request has paid it."""
    if charge is not None and call.hold is not None:
        call.hold.paid = True


def depleted(call: Call) -> errors.XError:
    """The 402 of a write whose price the balance could no longer pay when it was made."""
    app = call.auth.app
    assert app is not None
    return errors.credits_depleted(call.sim.settings.credits_402_variant, app.account_id)


def release(sim: Simulator, hold: Hold | None) -> None:
    """A failed request is free: give back what was reserved."""
    if hold is not None and hold.reserved:
        sim.store.adjust_credits(hold.app_id, hold.reserved, _entry(sim, hold, "refund"))


def settle(call: Call, hold: Hold | None, reply: Reply) -> None:
    """Finish a request admitted before its handler: a successful one pays what its store write did
    not take, or for each resource it returned, once per resource per UTC day (reads settle through
    `read_charge` and their admission)."""
    if hold is None or hold.reserved or hold.paid or reply.status >= 400:
        return
    if hold.on_write:  # a handler that did not hand the price to its write still pays it
        call.sim.store.adjust_credits(hold.app_id, -hold.on_write, _entry(call.sim, hold, "charge"))
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
    key = "media_key" if price_class == "Media" else "id"  # media lookups: media objects carry no id
    out = [(price_class, str(item[key])) for item in items if isinstance(item, dict) and key in item]
    includes = body.get("includes")
    if not includes:  # most answers expand nothing
        return out
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
