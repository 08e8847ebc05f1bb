"""Trends by WOEID and personalized trends, counted from the world's posts (simulator/trends.py).

An unknown WOEID answers X's not-found problem for `woeid` (X has trends for a fixed set of places; the
simulator knows worldwide and the countries in simulator/trends.py).
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import digits, errors, trends
from xmock.simulator.clock import iso_utc
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import render
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

TREND_FIELDS = frozenset(["trend_name", "tweet_count"])
PERSONALIZED_FIELDS = frozenset(["category", "post_count", "trend_name", "trending_since"])
CATEGORY = "Trending"  # X's personalized rows name a category; the simulator does not classify topics


def by_woeid(call: Call) -> Reply:
    """GET /2/trends/by/woeid/{woeid}"""
    raw = call.params["woeid"]
    woeid = digits.parse(raw, 10)
    if woeid is None or woeid > 2**31 - 1:
        raise errors.invalid_param("woeid", raw, f"The `woeid` query parameter value [{raw}] is not a valid integer")
    if not trends.known_woeid(woeid):
        raise missing(call, "trend", "woeid", raw, "trends")
    asked = render.listed(call.req, ("trend.fields",), TREND_FIELDS)
    fields = set(asked) if asked else set(TREND_FIELDS)
    limit = digits.parse(call.req.arg("max_trends"), 10) or 20
    data = []
    for trend in trends.by_woeid(call.sim, woeid)[:limit]:
        row: dict[str, Any] = {}
        if "trend_name" in fields:
            row["trend_name"] = trend.name
        if "tweet_count" in fields:
            row["tweet_count"] = trend.count
        data.append(row)
    return Reply(200, render.envelope(data or None), note={"resource_ids": [str(woeid)]})


def personalized(call: Call) -> Reply:
    """GET /2/users/personalized_trends"""
    asked = render.listed(call.req, ("personalized_trend.fields",), PERSONALIZED_FIELDS)
    fields = set(asked) if asked else set(PERSONALIZED_FIELDS)
    data = []
    for trend in trends.personalized(call.sim, call.user.id):
        row: dict[str, Any] = {}
        for name in sorted(fields | {"trend_name"}):
            if name == "trend_name":
                row[name] = trend.name
            elif name == "post_count":
                row[name] = trends.post_count_text(trend.count)
            elif name == "category":
                row[name] = CATEGORY
            elif name == "trending_since":
                row[name] = iso_utc(trend.since)
        data.append(row)
    return Reply(200, render.envelope(data or None), note={"resource_ids": [call.user.id]})
