"""How the control plane refuses: ControlError with its HTTP status, and amounts it accepts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from xmock.simulator.money import PLACES, fits


def money_amount(amount: Decimal | str | float) -> Decimal:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ControlError(400, 'an amount is a decimal number of US dollars, e.g. "7.50"') from None
    if not value.is_finite() or value < 0:
        raise ControlError(400, "an amount must be a non-negative number of US dollars")
    if not fits(value):
        raise ControlError(400, f"an amount has at most {PLACES} decimal places")
    return value


class ControlError(Exception):
    """A control-plane request that cannot be carried out; `status` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
