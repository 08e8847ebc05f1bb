"""Usage endpoints: posts consumed per day (GET /2/usage/tweets) and the credit balance."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from xmock.simulator import digits, errors
from xmock.simulator.billing import utc_day
from xmock.simulator.pipeline import Call
from xmock.simulator.xrequest import Reply

USAGE_FIELDS = (
    "cap_reset_day",
    "daily_client_app_usage",
    "daily_project_usage",
    "project_cap",
    "project_id",
    "project_usage",
)
MONTHLY_POST_CAP = 3_000_000  # PPU: post reads per billing cycle (since 2026-08-13)
DAY = 24 * 3600


def tweets(call: Call) -> Reply:
    """GET /2/usage/tweets: Post reads per day for the app's project (its developer account)."""
    req = call.req
    days = _days(req.arg("days"))
    raw = req.arg("usage.fields")
    wanted = (
        set(raw.split(","))
        if raw
        else {"project_id", "project_cap", "project_usage", "cap_reset_day", "daily_project_usage"}
    )
    for name in wanted:
        if name not in USAGE_FIELDS:
            raise errors.invalid_param(
                "usage.fields",
                name,
                f"The `usage.fields` query parameter value [{name}] is not one of [{','.join(USAGE_FIELDS)}]",
            )
    app = call.auth.app
    assert app is not None
    sim = call.sim
    now = sim.clock.now()
    dates = [utc_day(now - DAY * back) for back in range(days - 1, -1, -1)]
    apps = [a.id for a in sim.store.list_apps(app.account_id)]
    per_app: dict[str, Counter[str]] = {a: Counter() for a in apps}
    for entry in sim.store.ledger():
        if entry["app_id"] in per_app and entry["kind"] == "charge":
            posts = sum(1 for rid in entry.get("resource_ids", []) if rid.startswith(("Post:", "OwnedRead:")))
            if posts:
                per_app[entry["app_id"]][utc_day(entry["time"])] += posts
    project = sum(per_app.values(), Counter())
    data: dict = {}
    if "project_id" in wanted:
        data["project_id"] = app.account_id
    if "project_cap" in wanted:
        data["project_cap"] = str(MONTHLY_POST_CAP)
    if "project_usage" in wanted:
        month = utc_day(now)[:7]
        data["project_usage"] = str(sum(n for day, n in project.items() if day.startswith(month)))
    if "cap_reset_day" in wanted:
        data["cap_reset_day"] = 1
    if "daily_project_usage" in wanted:
        data["daily_project_usage"] = {
            "project_id": app.account_id,
            "usage": [{"date": _iso(d), "usage": str(project[d])} for d in dates],
        }
    if "daily_client_app_usage" in wanted:
        data["daily_client_app_usage"] = [
            {
                "client_app_id": a,
                "usage": [{"date": _iso(d), "usage": str(per_app[a][d])} for d in dates],
                "usage_result_count": len(dates),
            }
            for a in apps
        ]
    return Reply(200, {"data": data})


def credits(call: Call) -> Reply:
    """GET /2/usage/credits: the app's credit balance in US dollars."""
    app = call.auth.app
    assert app is not None
    balance = float(call.sim.store.credit_balance(app.id))
    return Reply(
        200,
        {
            "data": {
                "total_balance": balance,
                "prepaid_balance": balance,
                "free_balance": 0,
                "free_grants": [],
            }
        },
    )


def _days(raw: str | None) -> int:
    if raw is None:
        return 7
    days = digits.parse(raw, 2)
    if days is None or not 1 <= days <= 90:
        raise errors.invalid_param("days", raw, f"The `days` query parameter value [{raw}] is not between 1 and 90")
    return days


def _iso(day: str) -> str:
    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
