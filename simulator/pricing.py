"""X's pay-per-use price table (April 2026), by price class.

Reads are charged per resource returned, writes per request. Every figure can be
overridden through `Settings.prices`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from xmock.simulator.money import PLACES, fits, money_str

PER_RESOURCE = "resource"
PER_REQUEST = "request"

DEFAULT_PRICES: dict[str, tuple[str, str]] = {
    # reads, per resource returned (expansions included)
    "Post": ("0.005", PER_RESOURCE),
    "User": ("0.010", PER_RESOURCE),
    "OwnedRead": ("0.001", PER_RESOURCE),  # a user's own timeline, read by the app's owner
    "Media": ("0.005", PER_RESOURCE),
    "Like": ("0.001", PER_RESOURCE),
    # writes, per request
    "ContentCreate": ("0.015", PER_REQUEST),
    "ContentCreateWithUrl": ("0.200", PER_REQUEST),
    "ContentCreateSummonedReply": ("0.010", PER_REQUEST),
    "ContentManage": ("0.005", PER_REQUEST),
    "UserInteractionCreate": ("0.015", PER_REQUEST),
    "InteractionDelete": ("0.010", PER_REQUEST),
    "MediaMetadata": ("0.005", PER_REQUEST),
    "MediaUpload": ("0.015", PER_REQUEST),  # X's console prices upload requests as ContentCreate
    # social graph (follows, blocks, mutes): the price list's Following/Followers, Block and Mute reads
    # (sliders.js maps blocking and muting reads to User at 0.010: override Block/Mute to follow it)
    "Following": ("0.010", PER_RESOURCE),
    "Block": ("0.001", PER_RESOURCE),
    "Mute": ("0.001", PER_RESOURCE),
    "PrivacyUpdate": ("0.010", PER_REQUEST),  # mute
    "MuteDelete": ("0.005", PER_REQUEST),  # unmute
    # post family: counts per request; analytics (an enterprise contract) at April 2026's listed price
    "CountsRecent": ("0.005", PER_REQUEST),
    "CountsAll": ("0.010", PER_REQUEST),
    "AnalyticsRead": ("0.005", PER_RESOURCE),
    # lists and bookmarks: lists read per list returned; writes per request (folder reads and folder creation are
    # not published: priced as Bookmark)
    "List": ("0.005", PER_RESOURCE),
    "ListCreate": ("0.010", PER_REQUEST),
    "ListManage": ("0.005", PER_REQUEST),
    "Bookmark": ("0.005", PER_REQUEST),
    # direct messages: DM events read per event returned; each send per request (deletes are ContentManage, DM
    # blocks PrivacyUpdate, as sliders.js maps them)
    "DmEvent": ("0.010", PER_RESOURCE),
    "DmInteractionCreate": ("0.015", PER_REQUEST),
    # spaces: per Space returned (buyers are priced as User reads, posts shared in a Space as Post reads)
    "Space": ("0.005", PER_RESOURCE),
    # communities and trends (x-api-surface.md §14): communities per community returned, trends per request
    "Community": ("0.005", PER_RESOURCE),
    "Trends": ("0.010", PER_REQUEST),
}


@lru_cache(maxsize=32)
def _table(overrides: tuple[tuple[str, str], ...]) -> dict[str, tuple[Decimal, str]]:
    table = {name: (Decimal(amount), unit) for name, (amount, unit) in DEFAULT_PRICES.items()}
    for name, amount in overrides:
        if name not in table:
            raise ValueError(f"unknown price class {name}; known: {', '.join(sorted(table))}")
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise ValueError(f"price of {name} must be a decimal amount") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"price of {name} must not be negative")
        if not fits(value):
            raise ValueError(f"price of {name} has at most {PLACES} decimal places")
        table[name] = (value, table[name][1])
    return table


def check_price_table(label: str, table: Any) -> dict[str, str]:
    """Overrides of the price table, checked: known price classes (the closest one is suggested for a
    typo) to amounts in US dollars, kept as canonical text."""
    from xmock.simulator.control.errors import InvalidInput, check_names, money_amount, shown

    if not isinstance(table, dict):
        raise InvalidInput(f"{label}: expected a table of price class to an amount, got {shown(table)}")
    check_names("price class", table, DEFAULT_PRICES)
    return {name: money_str(money_amount(amount, f"{label}.{name}")) for name, amount in table.items()}


def price_table(overrides: dict[str, str]) -> dict[str, tuple[Decimal, str]]:
    """The effective table: X's prices with the configured overrides applied."""
    if not overrides:  # the usual case, asked on every priced request
        return _table(())
    return _table(tuple(sorted(overrides.items())))
