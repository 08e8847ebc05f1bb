"""What a request asks of the store's books, settled in one atomic step.

A signed request consumes its nonce, counts in its rate windows, needs or takes credits, pays for
the resources a read returned and leaves its journal entry. Done one by one, that is a store call
each (six round trips to a shared Redis); gathered here, it is one `Store.admit`, checked in X's
order: a replayed nonce first, then the rate limits, then the balance. A step refused stops the
ones after it, and the journal entry is left for the refusal's own answer.

Reads gather everything and are admitted once, after the handler: a read changes nothing, so a
refused one (or one that ran on a stale view of a shared clock, `stale`) is as if it never ran.
Writes are admitted before their handler, which must not act for a replayed or limited request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)

# What an admission needs of the app's balance.
NO_CREDITS = ""
POSITIVE = "positive"  # a read: the balance must be above zero (it may then go slightly below)
AFFORD = "afford"  # a write whose store write takes the price: the balance must cover it
RESERVE = "reserve"  # a per-request price taken now, refunded if the request fails

# Why an admission was refused.
NONCE = "nonce"
LIMITED = "limited"
CREDITS = "credits"
STALE = "stale"  # the shared clock, settings or caches moved since the request read them


@dataclass(slots=True)
class Admission:
    now: float
    nonce: str | None = None  # the OAuth 1.0a nonce key to consume
    nonce_expires: float = 0.0
    buckets: Sequence[tuple[str, int, int]] = ()  # rate windows: key, limit, seconds
    app_id: str | None = None
    credits: str = NO_CREDITS
    amount: Decimal = ZERO  # what AFFORD needs or RESERVE takes
    entry: dict[str, Any] | None = None  # the ledger entry of a RESERVE or of the read's charge
    items: Sequence[tuple[str, Decimal]] = ()  # resources a read returned, and prices
    day: str = ""  # the UTC day resources are charged once in
    journal: dict[str, Any] | None = None  # the request's journal entry, kept when admitted
    count: bool = False  # count the entry in the per-app status counters
    control: tuple[Any, ...] | None = None  # the shared control state the request ran on (Redis only)


@dataclass(slots=True)
class Admitted:
    refused: str | None
    states: list[tuple[int, float]]  # each bucket's calls used and window start, as rate_hit gives them
    charged: Decimal = ZERO  # what the read's resources cost (their first time today)
    control: tuple[Any, ...] | None = None  # the fresh control state, when `refused` is STALE
