"""Pictures drawn on the server: the spending chart's series and text, a token's marks on its timeline."""

from __future__ import annotations

from xmock.simulator.ui.charts import spending_svg, timeline, token_events

LEDGER = [
    {"time": 100.0, "kind": "grant", "amount": "10.00", "balance": "10.00"},
    {"time": 200.0, "kind": "charge", "amount": "-0.015", "balance": "9.985"},
    {"time": 300.0, "kind": "refund", "amount": "0.005", "balance": "9.99"},
    {"time": 400.0, "kind": "top-up", "amount": "5.00", "balance": "14.99"},
]


def test_the_chart_says_balance_and_spending_and_escapes_its_title():
    svg = str(spending_svg(LEDGER, now=500.0, title="Spending of <Acme>"))
    assert "balance now 14.99 USD, spent 0.01 USD over 4 ledger entries" in svg  # charges less refunds
    assert "&lt;Acme&gt;" in svg and "<Acme>" not in svg
    balance = svg.split('class="balance" fill="none" points="')[1].split('"')[0].split()
    assert len(balance) == 2 * 5 - 1  # a step per entry, carried on to now
    assert "No credits" in str(spending_svg([], now=1.0))


def test_a_tokens_marks_sit_on_the_shared_scale_and_later_ones_at_its_end():
    token = {"kind": "access", "issued_at": 0.0, "expires_at": 50.0, "planned_expires_at": 7200.0,
             "rotated_at": None, "revoked_at": None}
    marks = timeline(token_events(token), start=0.0, end=100.0, now=60.0)
    assert [(m.what, m.left, m.past, m.beyond) for m in marks] == [
        ("issued", 0.0, True, False),
        ("expired early", 50.0, True, False),
        ("planned expiry", 100.0, False, True),
    ]
    oauth1 = {"kind": None, "created_at": 10.0, "invalidated_at": None}
    assert [m.what for m in timeline(token_events(oauth1), 0.0, 100.0, 60.0)] == ["issued"]
