"""A list's members, followers and posts; adding and removing members; following and pinning lists.

All of them are edges: LIST_MEMBERS (list -> user), LIST_FOLLOWS (user -> list), PINNED_LISTS (user -> list).
A list's posts are its members' posts, newest first, the newest 800 readable (X's depth for list posts).
"""

from __future__ import annotations

from xmock.simulator import list_rules
from xmock.simulator.models import Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import LIST_FOLLOWS, LIST_MEMBERS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.resources.lists import actor, find_list, owned_list, path_id, refused
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

LIST_POSTS_DEPTH = 800


def _users_page(call: Call, edges: list[tuple[str, float]]) -> Reply:
    limit = paging.max_results(call.req, 100)
    sel = render.selection(call.req, primary="user")
    store = call.sim.store
    ids, meta = paging.edge_page(edges, call.req, limit)
    users = [u for u in (store.get_user(i) for i in ids) if u is not None]
    data = [render.render_user(u, sel, store) for u in users] or None
    body = render.envelope(data, render.user_includes(users, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [u.id for u in users]})


def members(call: Call) -> Reply:
    """GET /2/lists/{id}/members"""
    lst = find_list(call, path_id(call, "id"))
    return _users_page(call, call.sim.store.edges_from(LIST_MEMBERS, lst.id))


def followers(call: Call) -> Reply:
    """GET /2/lists/{id}/followers"""
    lst = find_list(call, path_id(call, "id"))
    return _users_page(call, call.sim.store.edges_to(LIST_FOLLOWS, lst.id))


def posts(call: Call) -> Reply:
    """GET /2/lists/{id}/tweets"""
    lst = find_list(call, path_id(call, "id"))
    limit = paging.max_results(call.req, 100)
    sel = render.selection(call.req)
    store = call.sim.store
    found: list[Post] = []
    for user_id, _ in store.edges_from(LIST_MEMBERS, lst.id):
        found += store.posts_by_author(user_id)
    # Newest first in the order edge pages keep (time, then id, descending), the newest 800 only.
    found.sort(key=lambda p: (p.created_at, p.id), reverse=True)
    found = found[:LIST_POSTS_DEPTH]
    by_id = {p.id: p for p in found}
    ids, meta = paging.edge_page([(p.id, p.created_at) for p in found], call.req, limit)
    items = [by_id[i] for i in ids]
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": ids})


def _body_user(call: Call) -> User:
    user_id = checked_body(call, "AddListsMemberRequest")["user_id"]
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", "user_id", user_id)
    return user


def add_member(call: Call) -> Reply:
    """POST /2/lists/{id}/members"""
    lst = owned_list(call, path_id(call, "id"), "add members to")
    user = _body_user(call)
    try:
        list_rules.add_member(call.sim, lst, user.id)
    except list_rules.Refused as exc:
        raise refused(exc) from None
    return Reply(200, {"data": {"is_member": True}}, note={"resource_ids": [lst.id, user.id]})


def remove_member(call: Call) -> Reply:
    """DELETE /2/lists/{id}/members/{user_id}"""
    lst = owned_list(call, path_id(call, "id"), "remove members from")
    user_id = path_id(call, "user_id")
    list_rules.remove_member(call.sim, lst, user_id)
    return Reply(200, {"data": {"is_member": False}}, note={"resource_ids": [lst.id, user_id]})


def follow(call: Call) -> Reply:
    """POST /2/users/{id}/followed_lists"""
    user_id = actor(call)
    lst = find_list(call, checked_body(call, "FollowListRequest")["list_id"], "list_id")
    list_rules.follow(call.sim, user_id, lst)
    return Reply(200, {"data": {"following": True}}, note={"resource_ids": [lst.id]})


def unfollow(call: Call) -> Reply:
    """DELETE /2/users/{id}/followed_lists/{list_id}"""
    user_id = actor(call)
    list_id = path_id(call, "list_id")
    lst = call.sim.store.get_list(list_id)
    if lst is not None:
        list_rules.follow(call.sim, user_id, lst, on=False)
    return Reply(200, {"data": {"following": False}}, note={"resource_ids": [list_id]})


def pin(call: Call) -> Reply:
    """POST /2/users/{id}/pinned_lists"""
    user_id = actor(call)
    lst = find_list(call, checked_body(call, "PinListRequest")["list_id"], "list_id")
    try:
        list_rules.pin(call.sim, user_id, lst)
    except list_rules.Refused as exc:
        raise refused(exc) from None
    return Reply(200, {"data": {"pinned": True}}, note={"resource_ids": [lst.id]})


def unpin(call: Call) -> Reply:
    """DELETE /2/users/{id}/pinned_lists/{list_id}"""
    user_id = actor(call)
    list_id = path_id(call, "list_id")
    list_rules.unpin(call.sim, user_id, list_id)
    return Reply(200, {"data": {"pinned": False}}, note={"resource_ids": [list_id]})
