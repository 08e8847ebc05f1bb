"""US-dollar amounts: one canonical text form, and the integer units a shared store counts in."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

# Amounts are exact to 1e-8 dollars; a shared store keeps balances as integers of this unit.
PLACES = 8
SCALE = 10**PLACES
_CENT = Decimal("0.01")


def fits(amount: Decimal) -> bool:
    """Whether an amount has at most PLACES decimal places."""
    return amount == amount.quantize(Decimal(1).scaleb(-PLACES)) if amount.is_finite() else False


# Amounts equal as numbers (0.01 and 0.010) give the same text and units: the few a request path meets
# (prices, balances just read) are worked out once.
@lru_cache(maxsize=1024)
def money_str(amount: Decimal) -> str:
    """Canonical text: no trailing zeros beyond the cents, e.g. "10.00", "9.985", "-0.015"; zero is "0.00"
    whatever its sign (-0 and 0 are one key of the cache)."""
    if amount.is_zero():
        return "0.00"
    value = amount.normalize()
    if value.as_tuple().exponent > -2:  # type: ignore[operator]
        value = value.quantize(_CENT)
    return f"{value:f}"


@lru_cache(maxsize=1024)
def to_units(amount: Decimal) -> int:
    if not fits(amount):
        raise ValueError(f"an amount has at most {PLACES} decimal places")
    return int(amount.scaleb(PLACES))


@lru_cache(maxsize=1024)
def from_units(units: int) -> Decimal:
    return Decimal(money_str(Decimal(int(units)).scaleb(-PLACES)))
