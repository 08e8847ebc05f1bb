"""The social graph on the X surface: followers and following, follow and unfollow, blocking (read), mutes.

The rules live in graph_rules; these handlers parse, act through them and render.
"""

from __future__ import annotations

from xmock.simulator import errors, tiers
from xmock.simulator.models import User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BLOCKS, FOLLOWS, MUTES
from xmock.simulator.resources import graph_rules, paging, render
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.params import path_id as _path_id
from xmock.simulator.xrequest import Reply

MAX_RESULTS_DEFAULT = 100  # followers, following, blocking, muting (1-1000: the spec, request_rules)



def _me(call: Call, name: str) -> str:
    """The acting user in the path must be the one the token speaks for."""
    value = _path_id(call, name)
    if value != call.user.id:
        raise errors.not_authenticating_user(name, value, call.user.id)
    return value


def _existing(call: Call, user_id: str, parameter: str) -> User:
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", parameter, user_id)
    return user


def _body_target(call: Call) -> User:
    # The pipeline checked the body against the spec (body_rules): one well-formed target_user_id.
    return _existing(call, call.req.json_object()["target_user_id"], "target_user_id")


def _refused(exc: graph_rules.GraphRefusal) -> errors.XError:
    return errors.forbidden(str(exc))


def _users_page(call: Call, edges: list[tuple[str, float]]) -> Reply:
    limit = paging.max_results(call.req, MAX_RESULTS_DEFAULT)
    sel = render.selection(call.req, primary="user")
    ids, meta = paging.edge_page(edges, call.req, limit)
    store = call.sim.store
    users = [u for u in (store.get_user(i) for i in ids) if u is not None]
    viewer = call.auth.user.id if call.auth.user is not None else None
    data = [render.render_user(u, sel, store, viewer=viewer) for u in users] or None
    body = render.envelope(data, render.user_includes(users, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [u.id for u in users]})


def followers(call: Call) -> Reply:
    """GET /2/users/{id}/followers"""
    user = _existing(call, _path_id(call, "id"), "id")
    return _users_page(call, call.sim.store.edges_to(FOLLOWS, user.id))


def following(call: Call) -> Reply:
    """GET /2/users/{id}/following"""
    user = _existing(call, _path_id(call, "id"), "id")
    return _users_page(call, call.sim.store.edges_from(FOLLOWS, user.id))


def blocking(call: Call) -> Reply:
    """GET /2/users/{id}/blocking: the authenticated user's own blocks only."""
    return _users_page(call, call.sim.store.edges_from(BLOCKS, _me(call, "id")))


def muting(call: Call) -> Reply:
    """GET /2/users/{id}/muting: the authenticated user's own mutes only."""
    return _users_page(call, call.sim.store.edges_from(MUTES, _me(call, "id")))


def follow(call: Call) -> Reply:
    """POST /2/users/{id}/following"""
    tiers.check_follow(call.sim)
    me = _me(call, "id")
    target = _body_target(call)
    try:
        now_following, pending = graph_rules.follow(call.sim.store, me, target, call.sim.clock.now())
    except graph_rules.GraphRefusal as exc:
        raise _refused(exc) from None
    body = {"data": {"following": now_following, "pending_follow": pending}}
    return Reply(200, body, note={"resource_ids": [target.id]})


def unfollow(call: Call) -> Reply:
    """DELETE /2/users/{source_user_id}/following/{target_user_id}"""
    tiers.check_follow(call.sim)
    me = _me(call, "source_user_id")
    target = _existing(call, _path_id(call, "target_user_id"), "target_user_id")
    graph_rules.unfollow(call.sim.store, me, target.id, call.sim.clock.now())
    return Reply(200, {"data": {"following": False}}, note={"resource_ids": [target.id]})


def mute(call: Call) -> Reply:
    """POST /2/users/{id}/muting"""
    me = _me(call, "id")
    target = _body_target(call)
    try:
        graph_rules.mute(call.sim.store, me, target.id, call.sim.clock.now())
    except graph_rules.GraphRefusal as exc:
        raise _refused(exc) from None
    return Reply(200, {"data": {"muting": True}}, note={"resource_ids": [target.id]})


def unmute(call: Call) -> Reply:
    """DELETE /2/users/{source_user_id}/muting/{target_user_id}"""
    me = _me(call, "source_user_id")
    target = _existing(call, _path_id(call, "target_user_id"), "target_user_id")
    graph_rules.unmute(call.sim.store, me, target.id, call.sim.clock.now())
    return Reply(200, {"data": {"muting": False}}, note={"resource_ids": [target.id]})
