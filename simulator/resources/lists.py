"""Lists: create, look up, update, delete, and the lists a user owns, is on, follows or pinned.

Private lists are seen by their owner only: a lookup by anyone else answers X's authorization error, and
collections leave them out. `member_count` and `follower_count` are counted from the edges.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import errors, list_rules
from xmock.simulator.clock import iso_utc
from xmock.simulator.models import User, XList
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import LIST_FOLLOWS, LIST_MEMBERS, OWNED_LISTS, PINNED_LISTS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.resources.params import missing, path_id
from xmock.simulator.store import Store
from xmock.simulator.xrequest import Reply, XRequest

# The spec's list.fields enum, plus owner_id, which the live API takes (tweepy asks for it).
LIST_FIELDS = frozenset(
    ["created_at", "description", "follower_count", "id", "member_count", "name", "owner_id", "private"]
)
LIST_EXPANSIONS = frozenset(["owner_id"])


# parameters ----------------------------------------------------------------------------------

def actor(call: Call) -> str:
    """The `{id}` of an endpoint that acts for, or reads the private state of, the authenticated user."""
    user_id = path_id(call, "id")
    if user_id != call.user.id:
        raise errors.not_authenticating_user("id", user_id, call.user.id)
    return user_id


def viewer_id(call: Call) -> str | None:
    return call.auth.user.id if call.auth.user is not None else None


def path_user(call: Call) -> User:
    user_id = path_id(call, "id")
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", "id", user_id)
    return user


def find_list(call: Call, list_id: str, parameter: str = "id") -> XList:
    """The list, if it exists and the caller may see it; X's errors otherwise."""
    lst = call.sim.store.get_list(list_id)
    status = call.sim.settings.missing_resource_status
    if lst is None:
        raise errors.missing_resource(status, errors.not_found_error("list", parameter, list_id))
    if not list_rules.visible(lst, viewer_id(call)):
        raise errors.missing_resource(status, errors.not_authorized_error("list", parameter, list_id, "List"))
    return lst


def owned_list(call: Call, list_id: str, verb: str) -> XList:
    """A list the caller owns, for changing it."""
    lst = find_list(call, list_id)
    if lst.owner_id != call.user.id:
        raise errors.forbidden_because(f"You are not allowed to {verb} this List.", f"list {lst.id} is not yours")
    return lst


def refused(exc: list_rules.Refused) -> errors.XError:
    return errors.forbidden_because(exc.detail)


# rendering ------------------------------------------------------------------------------------
def list_selection(req: XRequest) -> tuple[frozenset[str], bool, render.Selection]:
    """`list.fields`, whether `expansions=owner_id`, and the `user.fields` for the owners."""
    if not req.query_string:
        return frozenset(), False, render.selection(req, primary="user")
    fields = frozenset(render.listed(req, ("list.fields",), LIST_FIELDS))
    expand = "owner_id" in render.listed(req, ("expansions",), LIST_EXPANSIONS)
    users = frozenset(render.listed(req, ("user.fields",), render.USER_FIELDS))
    return fields, expand, render.Selection(frozenset(), users, frozenset())


def render_list(lst: XList, fields: frozenset[str], store: Store) -> dict[str, Any]:
    out: dict[str, Any] = {"id": lst.id, "name": lst.name}
    if "created_at" in fields:
        out["created_at"] = iso_utc(lst.created_at)
    if "description" in fields:
        out["description"] = lst.description
    if "private" in fields:
        out["private"] = lst.private
    if "owner_id" in fields:
        out["owner_id"] = lst.owner_id
    if "member_count" in fields:
        out["member_count"] = store.count_edges(LIST_MEMBERS, lst.id)
    if "follower_count" in fields:
        out["follower_count"] = store.count_edges(LIST_FOLLOWS, lst.id, incoming=True)
    return dict(sorted(out.items()))


def _answer(call: Call, lists: list[XList], meta: dict[str, Any] | None, single: bool = False) -> Reply:
    fields, expand, users = list_selection(call.req)
    store = call.sim.store
    data: Any = [render_list(lst, fields, store) for lst in lists]
    includes: dict[str, list[dict]] = {}
    if expand:
        owners: dict[str, dict] = {}
        for lst in lists:
            owner = store.get_user(lst.owner_id)
            if owner is not None and owner.id not in owners:
                owners[owner.id] = render.render_user(owner, users, store)
        if owners:
            includes["users"] = list(owners.values())
    if single:
        data = data[0]
    body = render.envelope(data or None, includes, meta=meta)
    return Reply(200, body, note={"resource_ids": [lst.id for lst in lists]})


# the X surface ----------------------------------------------------------------------------------
def get_one(call: Call) -> Reply:
    """GET /2/lists/{id}"""
    list_selection(call.req)  # a bad parameter is refused before the lookup, as X does
    return _answer(call, [find_list(call, path_id(call, "id"))], None, single=True)


def create(call: Call) -> Reply:
    """POST /2/lists"""
    body = checked_body(call, "CreateListsRequest")
    try:
        lst = list_rules.create_list(
            call.sim, call.user.id, body["name"], body.get("description", ""), body.get("private", False)
        )
    except list_rules.Refused as exc:
        raise refused(exc) from None
    return Reply(201, {"data": {"id": lst.id, "name": lst.name}}, note={"resource_ids": [lst.id]})


def update(call: Call) -> Reply:
    """PUT /2/lists/{id}"""
    lst = owned_list(call, path_id(call, "id"), "update")
    body = checked_body(call, "UpdateListsRequest")
    changed = XList(
        lst.id,
        body.get("name", lst.name),
        lst.owner_id,
        lst.created_at,
        body.get("description", lst.description),
        body.get("private", lst.private),
    )
    updated = call.sim.store.replace_list(changed)
    return Reply(200, {"data": {"updated": updated}}, note={"resource_ids": [lst.id]})


def delete(call: Call) -> Reply:
    """DELETE /2/lists/{id}"""
    lst = owned_list(call, path_id(call, "id"), "delete")
    deleted = call.sim.store.delete_list(lst.id) is not None
    return Reply(200, {"data": {"deleted": deleted}}, note={"resource_ids": [lst.id]})


def _user_lists(call: Call, edges: list[tuple[str, float]], paged: bool = True) -> Reply:
    """A page of the lists at the ends of `edges` that the caller may see (deleted ones are gone already)."""
    store, viewer = call.sim.store, viewer_id(call)
    seen = []
    for list_id, at in edges:
        lst = store.get_list(list_id)
        if lst is not None and list_rules.visible(lst, viewer):
            seen.append((lst, at))
    list_selection(call.req)
    if not paged:
        return _answer(call, [lst for lst, _ in seen], {"result_count": len(seen)})
    limit = paging.max_results(call.req, 100)
    by_id = {lst.id: lst for lst, _ in seen}
    ids, meta = paging.edge_page([(lst.id, at) for lst, at in seen], call.req, limit)
    return _answer(call, [by_id[i] for i in ids], meta)


def owned(call: Call) -> Reply:
    """GET /2/users/{id}/owned_lists"""
    user = path_user(call)
    return _user_lists(call, call.sim.store.edges_from(OWNED_LISTS, user.id))


def memberships(call: Call) -> Reply:
    """GET /2/users/{id}/list_memberships"""
    user = path_user(call)
    return _user_lists(call, call.sim.store.edges_to(LIST_MEMBERS, user.id))


def followed(call: Call) -> Reply:
    """GET /2/users/{id}/followed_lists"""
    user = path_user(call)
    return _user_lists(call, call.sim.store.edges_from(LIST_FOLLOWS, user.id))


def pinned(call: Call) -> Reply:
    """GET /2/users/{id}/pinned_lists (not paginated: a user pins a handful)"""
    user_id = actor(call)
    return _user_lists(call, call.sim.store.edges_from(PINNED_LISTS, user_id), paged=False)
