"""The in-memory store's lists and bookmark folders: the records; who owns, follows, pins or is on a list are
edges (see memory_relations)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from xmock.simulator.models import BookmarkFolder, XList
from xmock.simulator.relations import BOOKMARK_FOLDERS, LIST_FOLLOWS, LIST_MEMBERS, OWNED_LISTS, PINNED_LISTS


class ListTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _lists: dict[str, XList]
    _folders: dict[str, BookmarkFolder]
    _edges_out: dict[tuple[str, str], dict[str, float]]

    if TYPE_CHECKING:  # RelationTables' operations, on the same object

        def set_edge(self, kind: str, src: str, dst: str, on: bool, at: float) -> bool: ...
        def drop_edges(self, kind: str, node: str) -> None: ...

    def add_edge_capped(self, kind: str, src: str, dst: str, at: float, cap: int) -> str:
        with self._lock:
            out = self._edges_out.get((kind, src), {})
            if dst in out:
                return "kept"
            if len(out) >= cap:
                return "full"
            self.set_edge(kind, src, dst, True, at)
            return "added"

    def add_list(self, lst: XList, cap: int) -> bool:
        with self._lock:
            if self.add_edge_capped(OWNED_LISTS, lst.owner_id, lst.id, lst.created_at, cap) != "added":
                return False
            self._lists[lst.id] = lst
            return True

    def replace_list(self, lst: XList) -> bool:
        with self._lock:
            if lst.id not in self._lists:
                return False
            self._lists[lst.id] = lst
            return True

    def get_list(self, list_id: str) -> XList | None:
        return self._lists.get(list_id)

    def delete_list(self, list_id: str) -> XList | None:
        with self._lock:
            lst = self._lists.pop(list_id, None)
            if lst is not None:
                for kind in (OWNED_LISTS, LIST_MEMBERS, LIST_FOLLOWS, PINNED_LISTS):
                    self.drop_edges(kind, list_id)
            return lst

    def add_bookmark_folder(self, folder: BookmarkFolder) -> None:
        with self._lock:
            self._folders[folder.id] = folder
            self.set_edge(BOOKMARK_FOLDERS, folder.owner_id, folder.id, True, folder.created_at)

    def get_bookmark_folder(self, folder_id: str) -> BookmarkFolder | None:
        return self._folders.get(folder_id)
