"""Bookmarks and bookmark folders, for the authenticated user only.

A bookmark is a BOOKMARKS edge (user -> post); a folder is a record owned through a BOOKMARK_FOLDERS edge, and a
post filed in it a FOLDER_POSTS edge (folder -> post) beside its bookmark. Removing the bookmark takes the post
out of the user's folders. Only the newest 800 bookmarks are readable, as on X.
"""

from __future__ import annotations

from xmock.simulator import list_rules
from xmock.simulator.models import BookmarkFolder
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BOOKMARK_FOLDERS, BOOKMARKS, FOLDER_POSTS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.resources.lists import actor, path_id, refused
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

BOOKMARKS_DEPTH = 800


def _live(call: Call, edges: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Bookmarked posts that still exist (a deleted post leaves every bookmark list)."""
    store = call.sim.store
    return [(post_id, at) for post_id, at in edges if store.get_post(post_id) is not None]


def _folder(call: Call, user_id: str, folder_id: str, parameter: str) -> BookmarkFolder:
    folder = list_rules.folder_of(call.sim, user_id, folder_id)
    if folder is None:
        raise missing(call, "bookmark_folder", parameter, folder_id)
    return folder


def read(call: Call) -> Reply:
    """GET /2/users/{id}/bookmarks"""
    user_id = actor(call)
    limit = paging.max_results(call.req, 100)
    sel = render.selection(call.req)
    store = call.sim.store
    edges = _live(call, store.edges_from(BOOKMARKS, user_id))[:BOOKMARKS_DEPTH]
    ids, meta = paging.edge_page(edges, call.req, limit)
    posts = [p for p in (store.get_post(i) for i in ids) if p is not None]
    data = [render.render_post(p, sel, store) for p in posts] or None
    body = render.envelope(data, render.post_includes(posts, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": ids})


def create(call: Call) -> Reply:
    """POST /2/users/{id}/bookmarks"""
    user_id = actor(call)
    body = checked_body(call, "CreateUsersBookmarkRequest")
    post_id = body["tweet_id"]
    if call.sim.store.get_post(post_id) is None:
        raise missing(call, "tweet", "tweet_id", post_id)
    folder = _folder(call, user_id, body["folder_id"], "folder_id") if "folder_id" in body else None
    list_rules.bookmark(call.sim, user_id, post_id, folder)
    return Reply(200, {"data": {"bookmarked": True}}, note={"resource_ids": [post_id]})


def delete(call: Call) -> Reply:
    """DELETE /2/users/{id}/bookmarks/{tweet_id}"""
    user_id = actor(call)
    post_id = path_id(call, "tweet_id")
    list_rules.unbookmark(call.sim, user_id, post_id)
    return Reply(200, {"data": {"bookmarked": False}}, note={"resource_ids": [post_id]})


def folders(call: Call) -> Reply:
    """GET /2/users/{id}/bookmarks/folders"""
    user_id = actor(call)
    limit = paging.max_results(call.req, 100)
    store = call.sim.store
    ids, meta = paging.edge_page(store.edges_from(BOOKMARK_FOLDERS, user_id), call.req, limit)
    found = [f for f in (store.get_bookmark_folder(i) for i in ids) if f is not None]
    data = [{"id": f.id, "name": f.name} for f in found] or None
    return Reply(200, render.envelope(data, meta=meta), note={"resource_ids": [f.id for f in found]})


def create_folder(call: Call) -> Reply:
    """POST /2/users/{id}/bookmarks/folders"""
    user_id = actor(call)
    name = checked_body(call, "CreateUsersBookmarkFolderRequest")["name"]
    try:
        folder = list_rules.create_folder(call.sim, user_id, name)
    except list_rules.Refused as exc:
        raise refused(exc) from None
    return Reply(201, {"data": {"id": folder.id, "name": folder.name}}, note={"resource_ids": [folder.id]})


def folder_posts(call: Call) -> Reply:
    """GET /2/users/{id}/bookmarks/folders/{folder_id}: the posts' ids, as the spec gives them"""
    user_id = actor(call)
    folder = _folder(call, user_id, path_id(call, "folder_id"), "folder_id")
    limit = paging.max_results(call.req, 100)
    edges = _live(call, call.sim.store.edges_from(FOLDER_POSTS, folder.id))
    ids, meta = paging.edge_page(edges, call.req, limit)
    body = render.envelope([{"id": i} for i in ids] or None, meta=meta)
    return Reply(200, body, note={"resource_ids": ids})
