"""Dollar amounts (simulator/money.py): one text per amount, exact integer units, whatever was asked before."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xmock.simulator.money import from_units, money_str, to_units


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("10", "10.00"),
        ("9.985", "9.985"),
        ("-0.015", "-0.015"),
        ("0.010", "0.01"),
        ("0.01", "0.01"),
        ("1E+2", "100.00"),
    ],
)
def test_each_amount_has_one_text(amount: str, text: str):
    assert money_str(Decimal(amount)) == text


def test_zero_is_one_text_whichever_sign_was_asked_first():
    assert [money_str(Decimal(z)) for z in ("-0", "0", "0E-8", "-0.00")] == ["0.00"] * 4


def test_units_are_exact_and_refused_past_eight_places_every_time():
    for amount in ("0.005", "-0.015", "12345678.12345678"):
        assert from_units(to_units(Decimal(amount))) == Decimal(amount)
    for _ in range(2):  # a refusal is not remembered as an answer
        with pytest.raises(ValueError, match="8 decimal places"):
            to_units(Decimal("0.000000001"))
