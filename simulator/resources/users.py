"""User lookup: the authenticated user, by id, by username."""

from __future__ import annotations

import re

from xmock.simulator import errors
from xmock.simulator.models import User
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import render
from xmock.simulator.resources.posts import NUMERIC
from xmock.simulator.xrequest import Reply

USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")


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
        raise errors.invalid_param(
            "id", user_id, f"The `id` query parameter value [{user_id}] does not match ^[0-9]{{1,19}}$"
        )
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise errors.missing_resource(
            call.sim.settings.missing_resource_status, errors.not_found_error("user", "id", user_id)
        )
    return _answer(call, user)


def by_username(call: Call) -> Reply:
    """GET /2/users/by/username/{username}"""
    name = call.params["username"]
    if not USERNAME.match(name):
        raise errors.invalid_param(
            "username",
            name,
            f"The `username` query parameter value [{name}] does not match ^[A-Za-z0-9_]{{1,15}}$",
        )
    user = call.sim.store.user_by_username(name)
    if user is None:
        raise errors.missing_resource(
            call.sim.settings.missing_resource_status, errors.not_found_error("user", "username", name)
        )
    return _answer(call, user)
