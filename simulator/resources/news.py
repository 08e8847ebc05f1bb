"""News: look a story up by id, search stories by name, summary and keywords.

Stories are made through the control API or generated (simulator/news.py); each clusters posts of the world,
shown in `cluster_posts_results` while they exist. Search finds the stories updated within `max_age_hours`
(default 168), newest first; its `meta` has `result_count` only, as the spec has it. `keywords` are a list of
strings, as the live API and xdk's schema give them (2.167 says object).
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import digits, errors, news
from xmock.simulator.clock import iso_utc
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.lists import path_id
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

NEWS_FIELDS = frozenset(
    [
        "category",
        "cluster_posts_results",
        "contexts",
        "disclaimer",
        "hook",
        "id",
        "keywords",
        "name",
        "summary",
        "updated_at",
    ]
)
DEFAULT_FIELDS = ("id", "name")
MAX_AGE_HOURS = 168
MAX_QUERY = 2048


def render_story(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    fields = set(DEFAULT_FIELDS) | set(render.listed(call.req, ("news.fields",), NEWS_FIELDS))
    out: dict[str, Any] = {}
    for name in sorted(fields):
        if name == "updated_at":
            out[name] = iso_utc(record["updated_at"])
        elif name == "cluster_posts_results":
            store = call.sim.store
            out[name] = [{"post_id": p} for p in record["post_ids"] if store.get_post(p) is not None]
        elif name == "contexts":
            out[name] = {"topics": list(record["topics"])}
        else:
            out[name] = record[name]
    return out


def get_one(call: Call) -> Reply:
    """GET /2/news/{id}"""
    story_id = path_id(call, "id")
    record = news.get(call.sim, story_id)
    if record is None:
        raise missing(call, "news", "id", story_id)
    return Reply(200, {"data": render_story(call, record)}, note={"resource_ids": [story_id]})


def _text(record: dict[str, Any]) -> str:
    return " ".join([record["name"], record["hook"], record["summary"], *record["keywords"]]).lower()


def search(call: Call) -> Reply:
    """GET /2/news/search: stories holding every word of `query`, updated within `max_age_hours`."""
    req = call.req
    query = req.arg("query") or ""
    wanted = {w.lower() for w in query.split()}
    if not wanted:
        raise errors.invalid_param("query", query, "The `query` query parameter can not be empty")
    if len(query) > MAX_QUERY:  # the spec's maxLength, which request_rules leaves to the handler
        message = f"The `query` query parameter value is longer than {MAX_QUERY} characters"
        raise errors.invalid_param("query", query, message)
    age = digits.parse(req.arg("max_age_hours"), 10) or MAX_AGE_HOURS
    oldest = call.sim.clock.now() - age * 3600
    limit = paging.max_results(req, 10)
    data: list[dict[str, Any]] = []
    for story_id, at in news.index(call.sim):
        if len(data) == limit or at < oldest:
            break  # newest first
        record = news.get(call.sim, story_id)
        if record is not None and all(word in _text(record) for word in wanted):
            data.append(render_story(call, record))
    body = render.envelope(data or None, meta={"result_count": len(data)})
    return Reply(200, body, note={"resource_ids": [d["id"] for d in data]})
