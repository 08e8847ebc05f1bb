"""Pictures drawn on the server: an app's balance and spending over the simulator clock as inline SVG, and
a token's life as marks on a timeline. No script and nothing fetched: the page carries the picture."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from xmock.simulator.clock import iso_utc
from xmock.simulator.money import money_str

WIDTH, HEIGHT, PAD = 640, 200, 48
SPENT = ("charge", "refund")  # what the app's calls cost it (a refund gives a held charge back)


Series = list[tuple[float, Decimal]]


def _series(entries: list[dict[str, Any]], now: float) -> tuple[Series, Series]:
    """(balance after each entry, spending so far after each entry), both carried on to `now`."""
    balance: list[tuple[float, Decimal]] = []
    spent: list[tuple[float, Decimal]] = []
    total = Decimal(0)
    for e in entries:
        if e["kind"] in SPENT:
            total -= Decimal(e["amount"])
        balance.append((float(e["time"]), Decimal(e["balance"])))
        spent.append((float(e["time"]), total))
    if balance:
        end = max(now, balance[-1][0])
        balance.append((end, balance[-1][1]))
        spent.append((end, spent[-1][1]))
    return balance, spent


def _steps(points: list[tuple[float, Decimal]], x: Any, y: Any) -> str:
    """A step line: a value holds until the next entry changes it."""
    out: list[str] = []
    for i, (t, v) in enumerate(points):
        if i:
            out.append(f"{x(t):.1f},{y(points[i - 1][1]):.1f}")
        out.append(f"{x(t):.1f},{y(v):.1f}")
    return " ".join(out)


def spending_svg(entries: list[dict[str, Any]], now: float, title: str = "Balance and spending") -> Markup:
    """The app's balance (blue, left scale) and what its calls have spent so far (orange, right scale), in US
    dollars, over simulator time."""
    balance, spent = _series(entries, now)
    if not balance:
        return Markup('<p class="empty">No credits granted, bought or spent yet.</p>')
    t0, t1 = balance[0][0], balance[-1][0]
    values = [v for _, v in balance]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(1))
    # Spending has a scale of its own (right): cents beside a balance of dollars would lie flat on the axis.
    top_spent = max(max(v for _, v in spent), Decimal("0.01"))
    span_t = (t1 - t0) or 1.0
    span_v = float(high - low) or 1.0

    def x(t: float) -> float:
        return PAD + (t - t0) / span_t * (WIDTH - 2 * PAD)

    def y(v: Decimal) -> float:
        return HEIGHT - PAD + -float(v - low) / span_v * (HEIGHT - 2 * PAD)

    def y_spent(v: Decimal) -> float:
        return HEIGHT - PAD - float(v / top_spent) * (HEIGHT - 2 * PAD)

    final_balance, final_spent = balance[-1][1], spent[-1][1]
    desc = (
        f"From {iso_utc(t0)} to {iso_utc(t1)} (simulator time): balance now {money_str(final_balance)} USD, "
        f"spent {money_str(final_spent)} USD over {len(entries)} ledger entries."
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>',
        f'<line class="axis" x1="{PAD}" y1="{y(Decimal(0)):.1f}" x2="{WIDTH - PAD}" y2="{y(Decimal(0)):.1f}"/>',
        f'<line class="axis" x1="{PAD}" y1="{PAD / 2}" x2="{PAD}" y2="{HEIGHT - PAD}"/>',
        f'<text class="tick" x="{PAD - 4}" y="{y(high) + 4:.1f}" text-anchor="end">{high:.2f}</text>',
        f'<text class="tick" x="{PAD - 4}" y="{y(low) + 4:.1f}" text-anchor="end">{low:.2f}</text>',
        f'<text class="tick" x="{PAD}" y="{HEIGHT - PAD + 16}">{escape(iso_utc(t0)[:16])}</text>',
        f'<text class="tick" x="{WIDTH - PAD}" y="{HEIGHT - PAD + 16}" text-anchor="end">'
        f"{escape(iso_utc(t1)[:16])}</text>",
        f'<polyline class="balance" fill="none" points="{_steps(balance, x, y)}"/>',
        f'<line class="axis" x1="{WIDTH - PAD}" y1="{PAD / 2}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"/>',
        f'<text class="tick spent-text" x="{WIDTH - PAD + 4}" y="{y_spent(top_spent) + 4:.1f}">'
        f"{money_str(top_spent)}</text>",
        f'<polyline class="spent" fill="none" points="{_steps(spent, x, y_spent)}"/>',
        f'<text class="legend balance-text" x="{WIDTH - PAD - 8}" y="12" text-anchor="end">'
        f"balance {money_str(final_balance)} USD</text>",
        f'<text class="legend spent-text" x="{WIDTH - PAD - 8}" y="26" text-anchor="end">'
        f"spent {money_str(final_spent)} USD</text>",
        "</svg>",
    ]
    return Markup("".join(parts))


@dataclass(frozen=True)
class Mark:
    what: str  # issued, expires, expired, rotated, revoked, invalidated, planned expiry
    at: float
    left: float  # percent of the timeline's width
    past: bool
    beyond: bool  # later than the timeline's end: drawn at the end


def timeline(events: list[tuple[str, float | None]], start: float, end: float, now: float) -> list[Mark]:
    """The marks of one token's life on a shared scale from `start` to `end`."""
    span = (end - start) or 1.0
    marks = []
    for what, at in events:
        if at is None:
            continue
        left = min(max((at - start) / span * 100, 0.0), 100.0)
        marks.append(Mark(what, at, round(left, 2), at <= now, at > end))
    return sorted(marks, key=lambda m: m.at)


def token_events(token: dict[str, Any]) -> list[tuple[str, float | None]]:
    """The moments of a token's life, as the control API lists them (OAuth 2.0 or OAuth 1.0a)."""
    if token.get("kind") is None:  # OAuth 1.0a: lives until invalidated
        return [("issued", token["created_at"]), ("invalidated", token["invalidated_at"])]
    ended_early = token.get("planned_expires_at") is not None
    return [
        ("issued", token["issued_at"]),
        ("planned expiry" if ended_early else "expires", token.get("planned_expires_at") or token["expires_at"]),
        ("expired early", token["expires_at"] if ended_early else None),
        ("rotated", token["rotated_at"]),
        ("revoked", token["revoked_at"]),
    ]
