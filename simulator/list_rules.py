"""The rules of lists and bookmarks, kept once for the X surface and the control plane alike.

Owning, membership, following and pinning a list, a bookmark and a post filed in a bookmark folder are edges
(simulator.relations); these functions add X's caps (settings `max_owned_lists`, `max_list_members`,
`max_pinned_lists`, `max_bookmark_folders`) and keep folders consistent with bookmarks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator.models import BookmarkFolder, XList
from xmock.simulator.relations import (
    BOOKMARK_FOLDERS,
    BOOKMARKS,
    FOLDER_POSTS,
    LIST_FOLLOWS,
    LIST_MEMBERS,
    PINNED_LISTS,
)

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


class Refused(Exception):
    """A cap or rule said no; `detail` is the sentence the caller is told."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def visible(lst: XList, viewer_id: str | None) -> bool:
    """Private lists are seen by their owner only."""
    return not lst.private or lst.owner_id == viewer_id


def create_list(sim: Simulator, owner_id: str, name: str, description: str = "", private: bool = False) -> XList:
    lst = XList(sim.ids.next_id(), name, owner_id, sim.clock.now(), description, private)
    cap = sim.settings.max_owned_lists
    if not sim.store.add_list(lst, cap):
        raise Refused(f"You cannot own more than {cap} Lists.")
    return lst


def _capped(sim: Simulator, kind: str, src: str, dst: str, cap: int, detail: str) -> bool:
    """Add an edge under a cap; True if it is new (repeating an addition is not an error, as on X)."""
    outcome = sim.store.add_edge_capped(kind, src, dst, sim.clock.now(), cap)
    if outcome == "full":
        raise Refused(detail)
    return outcome == "added"


def add_member(sim: Simulator, lst: XList, user_id: str) -> bool:
    cap = sim.settings.max_list_members
    return _capped(sim, LIST_MEMBERS, lst.id, user_id, cap, f"You cannot add more than {cap} members to a List.")


def remove_member(sim: Simulator, lst: XList, user_id: str) -> bool:
    return sim.store.set_edge(LIST_MEMBERS, lst.id, user_id, False, sim.clock.now())


def follow(sim: Simulator, user_id: str, lst: XList, on: bool = True) -> bool:
    return sim.store.set_edge(LIST_FOLLOWS, user_id, lst.id, on, sim.clock.now())


def pin(sim: Simulator, user_id: str, lst: XList) -> bool:
    cap = sim.settings.max_pinned_lists
    return _capped(sim, PINNED_LISTS, user_id, lst.id, cap, f"You cannot pin more than {cap} Lists.")


def unpin(sim: Simulator, user_id: str, list_id: str) -> bool:
    return sim.store.set_edge(PINNED_LISTS, user_id, list_id, False, sim.clock.now())


def folder_of(sim: Simulator, user_id: str, folder_id: str) -> BookmarkFolder | None:
    """The user's own folder of that id (someone else's is as good as missing)."""
    folder = sim.store.get_bookmark_folder(folder_id)
    return folder if folder is not None and folder.owner_id == user_id else None


def create_folder(sim: Simulator, user_id: str, name: str) -> BookmarkFolder:
    cap = sim.settings.max_bookmark_folders
    if sim.store.count_edges(BOOKMARK_FOLDERS, user_id) >= cap:
        raise Refused(f"You cannot have more than {cap} bookmark folders.")
    folder = BookmarkFolder(sim.ids.next_id(), name, user_id, sim.clock.now())
    sim.store.add_bookmark_folder(folder)
    return folder


def bookmark(sim: Simulator, user_id: str, post_id: str, folder: BookmarkFolder | None = None) -> bool:
    """Bookmark a post, filed in `folder` when given; True if the bookmark is new."""
    now = sim.clock.now()
    added = sim.store.set_edge(BOOKMARKS, user_id, post_id, True, now)
    if folder is not None:
        sim.store.set_edge(FOLDER_POSTS, folder.id, post_id, True, now)
    return added


def unbookmark(sim: Simulator, user_id: str, post_id: str) -> bool:
    """Remove a bookmark, and the post from every folder of the user's it was filed in."""
    now = sim.clock.now()
    for folder_id, _ in sim.store.edges_from(BOOKMARK_FOLDERS, user_id):
        sim.store.set_edge(FOLDER_POSTS, folder_id, post_id, False, now)
    return sim.store.set_edge(BOOKMARKS, user_id, post_id, False, now)
