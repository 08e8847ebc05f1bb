"""GET /2/tweets/counts/recent and /2/tweets/counts/all: how many posts match a search query, per
minute, hour (the default) or day.

Rows run oldest first; the first starts at `start_time` and the last ends at `end_time`, the others on
whole minutes, hours or days (UTC), as X's do. Rows carry `tweet_count` and `meta.total_tweet_count`,
the live API's names (2.167 renames them `post_count` and `total_post_count`: setting `count_field_names`).
Recent counts cover the last 7 days in one answer; full-archive counts default to the last 30 days and page
older periods, 31 days at a time, through `next_token`.
"""

from __future__ import annotations

import bisect
from typing import Any

from xmock.simulator import errors
from xmock.simulator.clock import iso_utc
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging
from xmock.simulator.resources.archive_search import exclusive_pairs, max_query
from xmock.simulator.resources.posts import _time_param
from xmock.simulator.resources.search import MAX_QUERY, RECENT_SECONDS, Predicate, query_predicate
from xmock.simulator.xrequest import Reply

DAY = 24 * 3600
GRANULARITY = {"minute": 60, "hour": 3600, "day": DAY}
ALL_DEFAULT_SECONDS = 30 * DAY
ALL_PAGE_SECONDS = 31 * DAY


def _granularity(call: Call) -> int:
    raw = call.req.arg("granularity")
    if raw is None:
        return GRANULARITY["hour"]
    if raw not in GRANULARITY:
        raise errors.invalid_param(
            "granularity", raw, f"The `granularity` query parameter value [{raw}] is not one of [minute,hour,day]"
        )
    return GRANULARITY[raw]


def _buckets(start: float, end: float, step: int) -> list[float]:
    """Bucket edges from `start` to `end`, inner edges on whole steps of UTC time."""
    edges = [start]
    edge = (start // step + 1) * step
    while edge < end:
        edges.append(edge)
        edge += step
    edges.append(end)
    return edges


def _answer(call: Call, predicate: Predicate, start: float, end: float, paged: bool) -> Reply:
    """Count matching posts in [start, end); `paged` (full archive) answers the newest 31 days of it
    and hands the rest to `next_token`."""
    exclusive_pairs(call)
    step = _granularity(call)
    since = paging.id_param(call.req, "since_id")
    until = paging.id_param(call.req, "until_id")
    if end <= start:
        raise errors.invalid_param(
            "end_time", iso_utc(end), f"Invalid 'end_time':'{iso_utc(end)}'. 'end_time' must be after 'start_time'"
        )
    token_name = "pagination_token" if call.req.arg("pagination_token") is not None else "next_token"
    token = call.req.arg(token_name)
    if token is not None and paged:
        end = min(end, float(paging.decode_token(token, token_name)))
    page_start = max(start, end - ALL_PAGE_SECONDS) if paged else start
    edges = _buckets(page_start, end, step) if end > page_start else [page_start]
    counts = [0] * (len(edges) - 1)
    for post in call.sim.store.all_posts():
        if not page_start <= post.created_at < end:
            continue
        if (since is not None and int(post.id) <= since) or (until is not None and int(post.id) >= until):
            continue
        if predicate(post):
            counts[bisect.bisect_right(edges, post.created_at) - 1] += 1
    noun = "post" if call.sim.settings.count_field_names == "2.167" else "tweet"
    rows = [
        {"end": iso_utc(edges[i + 1]), "start": iso_utc(edges[i]), f"{noun}_count": n} for i, n in enumerate(counts)
    ]
    meta: dict[str, Any] = {f"total_{noun}_count": sum(counts)}
    if paged and page_start > start:
        meta["next_token"] = paging.encode_token(str(int(page_start)))
    body: dict[str, Any] = {"data": rows, "meta": meta} if rows else {"meta": meta}
    return Reply(200, body, note={"resource_ids": []})


def recent(call: Call) -> Reply:
    """GET /2/tweets/counts/recent"""
    predicate = query_predicate(call, MAX_QUERY)
    now = call.sim.clock.now()
    start = _time_param(call, "start_time")
    end = _time_param(call, "end_time")
    window_start = now - RECENT_SECONDS
    if start is not None and start < window_start:
        raise errors.invalid_param(
            "start_time",
            call.req.arg("start_time") or "",
            f"Invalid 'start_time':'{call.req.arg('start_time')}'. 'start_time' must be on or after "
            f"{iso_utc(window_start)}",
        )
    end = min(end, now) if end is not None else now
    return _answer(call, predicate, start if start is not None else window_start, end, False)


def all_(call: Call) -> Reply:
    """GET /2/tweets/counts/all"""
    predicate = query_predicate(call, max_query(call))
    now = call.sim.clock.now()
    end = _time_param(call, "end_time")
    end = min(end, now) if end is not None else now
    start = _time_param(call, "start_time")
    start = start if start is not None else end - ALL_DEFAULT_SECONDS
    return _answer(call, predicate, start, end, True)
