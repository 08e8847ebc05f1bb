"""GET /2/tweets/search/all: full-archive search, the recent search's query language over every post.

Bearer only. Without `start_time` it reads the last 30 days, as X does; `start_time` reaches back to
X's first post (March 2006). Queries up to 1,024 characters on self-serve access, 4,096 on enterprise.
"""

from __future__ import annotations

from xmock.simulator import errors, tiers
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.posts import time_window
from xmock.simulator.resources.search import query_predicate
from xmock.simulator.xrequest import Reply

DEFAULT_SECONDS = 30 * 24 * 3600
QUERY_SELF_SERVE = 1024
QUERY_ENTERPRISE = 4096
SORT_ORDERS = ("recency", "relevancy")


def max_query(call: Call) -> int:
    return QUERY_SELF_SERVE if tiers.self_serve(call.sim) else QUERY_ENTERPRISE


def exclusive_pairs(call: Call) -> None:
    """start_time/since_id and end_time/until_id, next_token/pagination_token: one of each pair."""
    for first, second in (("start_time", "since_id"), ("end_time", "until_id"), ("next_token", "pagination_token")):
        if call.req.arg(first) is not None and call.req.arg(second) is not None:
            raise errors.invalid_param(
                second,
                call.req.arg(second) or "",
                f"The `{second}` query parameter can not be used with the `{first}` query parameter",
            )


def search_all(call: Call) -> Reply:
    """GET /2/tweets/search/all"""
    req = call.req
    exclusive_pairs(call)
    predicate = query_predicate(call, max_query(call))
    limit = paging.max_results(req, 10)
    order = req.arg("sort_order")
    if order is not None and order not in SORT_ORDERS:
        raise errors.invalid_param(
            "sort_order", order, f"The `sort_order` query parameter value [{order}] is not one of [recency,relevancy]"
        )
    sel = render.selection(req)
    store = call.sim.store
    floor = None
    if req.arg("start_time") is None and req.arg("since_id") is None:
        floor = call.sim.clock.now() - DEFAULT_SECONDS
    posts = [
        p for p in time_window(call, store.all_posts()) if (floor is None or p.created_at >= floor) and predicate(p)
    ]
    items, meta = paging.page(posts, req, limit)
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [p.id for p in items]})
