"""User lookup: the authenticated user, by id, by username, in batches, by search; an organisation's affiliates."""

from __future__ import annotations

import re

from xmock.simulator import errors
from xmock.simulator.models import User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import AFFILIATIONS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.posts import NUMERIC, path_user
from xmock.simulator.xrequest import Reply

USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
SEARCH_QUERY = re.compile(r"^[A-Za-z0-9_' ]{1,50}$")
MAX_BATCH = 100  # ids or usernames in one lookup


def _answer(call: Call, user: User) -> Reply:
    sel = render.selection(call.req, primary="user")
    store = call.sim.store
    viewer = call.auth.user.id if call.auth.user is not None else None  # for connection_status
    body = render.envelope(render.render_user(user, sel, store, viewer), render.user_includes([user], sel, store))
    return Reply(200, body, note={"resource_ids": [user.id]})


def me(call: Call) -> Reply:
    """GET /2/users/me"""
    return _answer(call, call.user)


def by_id(call: Call) -> Reply:
    """GET /2/users/{id}"""
    user_id = call.params["id"]
    if not NUMERIC.match(user_id):
        raise errors.pattern_mismatch("id", user_id)
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", "id", user_id)
    return _answer(call, user)


def by_username(call: Call) -> Reply:
    """GET /2/users/by/username/{username}"""
    name = call.params["username"]
    if not USERNAME.match(name):
        raise errors.pattern_mismatch("username", name, "^[A-Za-z0-9_]{1,15}$")
    user = call.sim.store.user_by_username(name)
    if user is None:
        raise missing(call, "user", "username", name)
    return _answer(call, user)


def _users_answer(call: Call, users: list[User], missing: list[dict] | None = None, meta: dict | None = None) -> Reply:
    sel = render.selection(call.req, primary="user")
    store = call.sim.store
    viewer = call.auth.user.id if call.auth.user is not None else None  # for relative fields
    data = [render.render_user(u, sel, store, viewer) for u in users] or None
    body = render.envelope(data, render.user_includes(users, sel, store), missing, meta)
    return Reply(200, body, note={"resource_ids": [u.id for u in users]})


def by_ids(call: Call) -> Reply:
    """GET /2/users?ids="""
    ids = paging.listed(call.req, "ids")
    store = call.sim.store
    found, missing = [], []
    for user_id in ids:
        user = store.get_user(user_id)
        if user is None:
            missing.append(errors.not_found_error("user", "ids", user_id))
        else:
            found.append(user)
    return _users_answer(call, found, missing)


def by_usernames(call: Call) -> Reply:
    """GET /2/users/by?usernames="""
    names = paging.listed(call.req, "usernames")
    store = call.sim.store
    found: list[User] = []
    missing = []
    for name in names:
        user = store.user_by_username(name)
        if user is None:
            missing.append(errors.not_found_error("user", "usernames", name))
        elif user not in found:  # the same account asked twice in different cases
            found.append(user)
    return _users_answer(call, found, missing)


def search(call: Call) -> Reply:
    """GET /2/users/search: every word of the query in the username or the name, case-insensitive;
    exact usernames first, then usernames that start with the query, then the rest."""
    query = call.req.arg("query")
    if query is None or not query.strip():
        raise errors.invalid_param("query", query or "", "The `query` query parameter can not be empty")
    if not SEARCH_QUERY.match(query):
        raise errors.pattern_mismatch("query", query, "^[A-Za-z0-9_' ]{1,50}$")
    limit = paging.max_results(call.req, 100)
    words = query.lower().split()
    wanted = query.strip().lower().replace(" ", "")
    ranked = []
    for user in call.sim.store.list_users():
        username, haystack = user.username.lower(), f"{user.username} {user.name}".lower()
        if all(word in haystack for word in words):
            rank = 0 if username == wanted else 1 if username.startswith(wanted) else 2
            ranked.append((rank, int(user.id), user))
    ranked.sort(key=lambda r: r[:2])
    # Paged as a newest-first edge list whose "times" are the ranks, so X's tokens work unchanged.
    edges = [(user.id, float(len(ranked) - n)) for n, (_, _, user) in enumerate(ranked)]
    ids, meta = paging.edge_page(edges, call.req, limit, token_name="next_token")
    meta.pop("result_count", None)  # X's users/search meta has tokens only
    by_id = {user.id: user for _, _, user in ranked}
    return _users_answer(call, [by_id[i] for i in ids], meta=meta)


def affiliates(call: Call) -> Reply:
    """GET /2/users/{id}/affiliates: the accounts affiliated with an organisation, newest affiliation first."""
    org = path_user(call)
    limit = paging.max_results(call.req, 100)
    store = call.sim.store
    ids, meta = paging.edge_page(store.edges_to(AFFILIATIONS, org.id), call.req, limit)
    users = [u for u in (store.get_user(i) for i in ids) if u is not None]
    meta["result_count"] = len(users)
    return _users_answer(call, users, meta=meta)
