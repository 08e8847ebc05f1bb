"""Spaces: lookup by ids, by creator ids, search, ticket buyers, posts shared in a Space.

A Space's `state` comes from the clock (simulator/spaces.py). By-creator and search answer live and scheduled
Spaces only, as X documents them; a lookup by id answers ended ones too. Buyers: the creator only.
"""

from __future__ import annotations

import re
from typing import Any

from xmock.simulator import errors, spaces
from xmock.simulator.clock import iso_utc
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import SPACE_BUYERS, SPACES_CREATED
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.list_members import _users_page
from xmock.simulator.resources.params import missing, path_param
from xmock.simulator.xrequest import Reply, XRequest

SPACE_FIELDS = frozenset(
    [
        "created_at", "ended_at", "id", "is_ticketed", "lang", "participant_count", "scheduled_start", "started_at",
        "state", "subscriber_count", "title", "updated_at",
    ]
)  # fmt: skip
SPACE_EXPANSIONS = frozenset(["creator_id", "host_ids", "invited_user_ids", "speaker_ids", "topic_ids"])
TOPIC_FIELDS = frozenset(["description", "id", "name"])
PEOPLE = ("creator_id", "host_ids", "speaker_ids", "invited_user_ids")
SPACE_ID = re.compile(r"[a-zA-Z0-9]{1,13}\Z")


def path_space_id(call: Call) -> str:
    return path_param(call, "id", SPACE_ID, "^[a-zA-Z0-9]{1,13}$")


def find(call: Call, space_id: str) -> dict[str, Any]:
    space = spaces.get(call.sim.store, space_id)
    if space is None:
        raise missing(call, "space", "id", space_id)
    return space


# rendering ------------------------------------------------------------------------------------
def _selection(req: XRequest) -> tuple[frozenset[str], frozenset[str], frozenset[str], render.Selection]:
    """`space.fields`, `expansions`, `topic.fields`, and the `user.fields` for expanded users."""
    if not req.query_string:
        return frozenset(), frozenset(), frozenset(), render.selection(req, primary="user")
    fields = frozenset(render.listed(req, ("space.fields",), SPACE_FIELDS))
    expand = frozenset(render.listed(req, ("expansions",), SPACE_EXPANSIONS))
    topics = frozenset(render.listed(req, ("topic.fields",), TOPIC_FIELDS))
    users = frozenset(render.listed(req, ("user.fields",), render.USER_FIELDS))
    return fields, expand, topics, render.Selection(frozenset(), users, frozenset())


def render_space(space: dict[str, Any], fields: frozenset[str], expand: frozenset[str], now: float) -> dict:
    state = spaces.state(space, now)
    out: dict[str, Any] = {"id": space["id"], "state": state}
    start = spaces.start_of(space)
    shown = {
        "created_at": iso_utc(space["created_at"]),
        "updated_at": iso_utc(spaces.updated_at(space, now)),
        "title": space["title"],
        "lang": space["lang"],
        "is_ticketed": space["is_ticketed"],
        "participant_count": space["participant_count"] if state == "live" else 0,
        "subscriber_count": space["subscriber_count"],
    }
    if space.get("scheduled_start") is not None:
        shown["scheduled_start"] = iso_utc(space["scheduled_start"])
    if state != "scheduled" and start is not None:
        shown["started_at"] = iso_utc(start)
    if state == "ended":
        shown["ended_at"] = iso_utc(space["ended_at"])
    for name in fields:
        if name in shown:
            out[name] = shown[name]
    # What an expansion names is part of the Space (the spec's space.fields do not list these ids).
    for name in PEOPLE:
        if name in expand and space[name]:  # an empty list of ids is left out, as X leaves it
            out[name] = space[name]
    if "topic_ids" in expand and space["topics"]:
        out["topic_ids"] = [t["id"] for t in space["topics"]]
    return dict(sorted(out.items()))


def _includes(call: Call, found: list[dict], expand: frozenset[str], topics: frozenset[str], users) -> dict:
    store = call.sim.store
    includes: dict[str, list[dict]] = {}
    people: dict[str, dict] = {}
    for space in found:
        ids = [space["creator_id"]] if "creator_id" in expand else []
        for name in PEOPLE[1:]:
            if name in expand:
                ids += space[name]
        for user_id in ids:
            user = store.get_user(user_id)
            if user is not None and user.id not in people:
                people[user.id] = render.render_user(user, users, store)
    if people:
        includes["users"] = list(people.values())
    if "topic_ids" in expand:
        shown: dict[str, dict] = {}
        for space in found:
            for topic in space["topics"]:
                if topic["id"] not in shown:
                    item = {"id": topic["id"], "name": topic["name"]}
                    if "description" in topics and "description" in topic:
                        item["description"] = topic["description"]
                    shown[topic["id"]] = item
        if shown:
            includes["topics"] = list(shown.values())
    return includes


def _answer(call: Call, found: list[dict], missing: list[dict] | None = None, *, single: bool = False,
            meta: dict | None = None) -> Reply:
    fields, expand, topics, users = _selection(call.req)
    now = call.sim.clock.now()
    data: Any = [render_space(s, fields, expand, now) for s in found]
    if single:
        data = data[0]
    body = render.envelope(data or None, _includes(call, found, expand, topics, users), missing, meta)
    return Reply(200, body, note={"resource_ids": [s["id"] for s in found]})


def _open(call: Call, edges: list[tuple[str, float]], wanted: tuple[str, ...]) -> list[dict]:
    """The Spaces at the ends of `edges` whose state now is one of `wanted`, newest first."""
    store, now = call.sim.store, call.sim.clock.now()
    found = []
    for space_id, _ in edges:
        space = spaces.get(store, space_id)
        if space is not None and spaces.state(space, now) in wanted:
            found.append(space)
    return found


# the X surface ----------------------------------------------------------------------------------
def by_id(call: Call) -> Reply:
    """GET /2/spaces/{id}"""
    _selection(call.req)
    return _answer(call, [find(call, path_space_id(call))], single=True)


def by_ids(call: Call) -> Reply:
    """GET /2/spaces?ids="""
    store = call.sim.store
    found, missing = [], []
    for space_id in paging.listed(call.req, "ids"):
        space = spaces.get(store, space_id)
        if space is None:
            missing.append(errors.not_found_error("space", "ids", space_id))
        else:
            found.append(space)
    return _answer(call, found, missing)


def by_creator_ids(call: Call) -> Reply:
    """GET /2/spaces/by/creator_ids?user_ids= (live and scheduled Spaces)"""
    store = call.sim.store
    found: list[dict] = []
    for user_id in paging.listed(call.req, "user_ids"):
        found += _open(call, store.edges_from(SPACES_CREATED, user_id), ("live", "scheduled"))
    return _answer(call, found, meta={"result_count": len(found)})


def search(call: Call) -> Reply:
    """GET /2/spaces/search?query=&state= : every word of the query in the title, case-insensitive."""
    query = call.req.arg("query") or ""
    words = query.lower().split()
    if not words:
        raise errors.invalid_param("query", query, "The `query` query parameter can not be empty")
    state = call.req.arg("state") or "all"
    wanted = ("live", "scheduled") if state == "all" else (state,)
    limit = paging.max_results(call.req, 100)
    found = [
        s
        for s in _open(call, call.sim.store.edges_from(SPACES_CREATED, spaces.EVERY), wanted)
        if all(word in s["title"].lower() for word in words)
    ][:limit]
    return _answer(call, found, meta={"result_count": len(found)})


def buyers(call: Call) -> Reply:
    """GET /2/spaces/{id}/buyers: who bought a ticket, newest first; the creator's to read."""
    space = find(call, path_space_id(call))
    if space["creator_id"] != call.user.id:
        raise errors.forbidden_because(
            "You are not the creator of this Space.", f"Space {space['id']} was not created by {call.user.id}"
        )
    return _users_page(call, call.sim.store.edges_from(SPACE_BUYERS, space["id"]))


def posts(call: Call) -> Reply:
    """GET /2/spaces/{id}/tweets: posts shared in the Space, newest first."""
    space = find(call, path_space_id(call))
    limit = paging.max_results(call.req, 100)
    sel = render.selection(call.req)
    store = call.sim.store
    found = spaces.shared_posts(store, space)
    by_id = {p.id: p for p in found}
    ids, meta = paging.edge_page([(p.id, p.created_at) for p in found], call.req, limit)
    items = [by_id[i] for i in ids]
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": ids})
