"""Communities: look one up by id, search them by name and description.

Communities are made through the control API or generated (simulator/communities.py); `member_count` counts the
COMMUNITY_MEMBERS edges. A Closed community is found and shown like a Public one (X shows its name and description
to anyone; its posts are not served here). Search pages with X's `next_token` (either `next_token` or
`pagination_token` is taken) and answers `meta` with `next_token` only, as the spec has it.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import communities, errors
from xmock.simulator.clock import iso_utc
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.lists import path_id
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

COMMUNITY_FIELDS = frozenset(["access", "created_at", "description", "id", "join_policy", "member_count", "name"])
DEFAULT_FIELDS = ("id", "name")
MAX_QUERY = 4096


def render_community(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    fields = set(DEFAULT_FIELDS) | set(render.listed(call.req, ("community.fields",), COMMUNITY_FIELDS))
    out: dict[str, Any] = {}
    for name in sorted(fields):
        if name == "created_at":
            out[name] = iso_utc(record["created_at"])
        elif name == "member_count":
            out[name] = communities.member_count(call.sim, record["id"])
        else:
            out[name] = record[name]
    return out


def get_one(call: Call) -> Reply:
    """GET /2/communities/{id}"""
    community_id = path_id(call, "id")
    record = communities.get(call.sim, community_id)
    if record is None:
        raise missing(call, "community", "id", community_id)
    return Reply(200, {"data": render_community(call, record)}, note={"resource_ids": [community_id]})


def _words(text: str) -> set[str]:
    return {w.lower() for w in text.split()}


def search(call: Call) -> Reply:
    """GET /2/communities/search: communities whose name or description holds every word of `query`."""
    req = call.req
    query = req.arg("query") or ""
    wanted = _words(query)
    if not wanted:
        raise errors.invalid_param("query", query, "The `query` query parameter can not be empty")
    if len(query) > MAX_QUERY:  # the spec's maxLength, which request_rules leaves to the handler
        message = f"The `query` query parameter value is longer than {MAX_QUERY} characters"
        raise errors.invalid_param("query", query, message)
    found: list[tuple[str, float]] = []
    records: dict[str, dict[str, Any]] = {}
    for community_id, at in communities.index(call.sim):
        record = communities.get(call.sim, community_id)
        if record is None:
            continue
        text = f"{record['name']} {record['description']}".lower()
        if all(word in text for word in wanted):
            found.append((community_id, at))
            records[community_id] = record
    token_name = "pagination_token" if req.arg("pagination_token") is not None else "next_token"
    ids, meta = paging.edge_page(found, req, paging.max_results(req, 10), token_name)
    data = [render_community(call, records[i]) for i in ids]
    body = render.envelope(data or None, meta={k: v for k, v in meta.items() if k == "next_token"})
    return Reply(200, body, note={"resource_ids": ids})
