"""How the control plane refuses: ControlError with its HTTP status, and the checks every input passes.

The control API and the Python API (`Simulator` methods, settings, the clock, the pytest markers) run
the same checks, so a value is refused with the same message whichever way it arrives, and nothing
is stored before every part of a request has passed.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from xmock.simulator.money import PLACES, fits

# Far beyond any real balance or price, small enough that sums stay exact and a shared store's
# integer units (1e-8 dollars) stay well inside 64 bits.
MAX_AMOUNT = Decimal(10) ** 9


class ControlError(Exception):
    """A control-plane request that cannot be carried out; `status` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class InvalidInput(ControlError, ValueError):
    """A value refused before anything is stored: always a 400, and a ValueError for callers
    (the CLI, `Settings(...)`) that catch those."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def shown(value: Any) -> str:
    """A refused value as a message shows it: repr escapes lone surrogates, long values are cut."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to print (sys.set_int_max_str_digits)
        return "a number too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def unknown_name(kind: str, name: Any, known: Iterable[str]) -> InvalidInput:
    """`unknown setting 'biling'; did you mean 'billing'?`"""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1) if isinstance(name, str) else []
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"
    return InvalidInput(f"unknown {kind} {shown(name)}{hint}")


def check_names(kind: str, given: Iterable[Any], known: Iterable[str]) -> None:
    known = tuple(known)
    for name in sorted(given, key=str):
        if name not in known:
            raise unknown_name(kind, name, known)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_encodable(values: dict[str, Any]) -> None:
    """Refuse text that cannot be written as UTF-8 (lone surrogates, e.g. from JSON's "\\ud800")
    anywhere in keyword arguments or a JSON body: stored, it would break every later answer."""
    stack: list[tuple[str, Any]] = [(str(k) if _encodable(str(k)) else shown(k), v) for k, v in values.items()]
    for key in values:
        if isinstance(key, str) and not _encodable(key):
            raise InvalidInput(f"{shown(key)}: a name must be valid UTF-8 text (no lone surrogates)")
    while stack:  # iterative: a deeply nested body must not exhaust the recursion limit
        where, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                raise InvalidInput(f"{where}: text must be valid UTF-8 (no lone surrogates), got {shown(value)}")
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str) and not _encodable(k):
                    raise InvalidInput(f"{where}: a name must be valid UTF-8 text (no lone surrogates)")
                stack.append((f"{where}.{k}", v))
        elif isinstance(value, list | tuple):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))


def check_text(label: str, value: Any, *, max_length: int | None = None, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{label}: expected a string, got {shown(value)}")
    if not _encodable(value):
        raise InvalidInput(f"{label}: text must be valid UTF-8 (no lone surrogates), got {shown(value)}")
    if not empty and not value.strip():
        raise InvalidInput(f"{label}: expected a non-empty string")
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(f"{label}: at most {max_length} characters, got {len(value)}")
    return value


def check_bool(label: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{label}: expected true or false, got {shown(value)}")
    return value


def check_int(label: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{label}: expected an integer from {low} to {high}, got {shown(value)}")
    if not low <= value <= high:
        raise InvalidInput(f"{label}: expected an integer from {low} to {high}, got {shown(value)}")
    return value


def check_number(label: str, value: Any, low: float, high: float, *, low_open: bool = False) -> float:
    span = f"{'above' if low_open else 'from'} {low} {'up ' if low_open else ''}to {high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{label}: expected a number {span}, got {shown(value)}")
    number = float(value) if abs(value) < 1e300 else math.inf  # huge ints overflow float()
    if not math.isfinite(number) or not (low < number if low_open else low <= number) or number > high:
        raise InvalidInput(f"{label}: expected a number {span}, got {shown(value)}")
    return number


def money_amount(amount: Decimal | str | float, label: str = "an amount") -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | str | int | float):
        raise InvalidInput(f'{label}: expected a decimal number of US dollars, e.g. "7.50", got {shown(amount)}')
    try:
        value = Decimal(amount) if isinstance(amount, int) else Decimal(str(amount).strip())
    except InvalidOperation:
        raise InvalidInput(
            f'{label}: expected a decimal number of US dollars, e.g. "7.50", got {shown(amount)}'
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise InvalidInput(f"{label}: expected a non-negative number of US dollars up to {MAX_AMOUNT}")
    if not fits(value):
        raise InvalidInput(f"{label}: at most {PLACES} decimal places")
    return value
