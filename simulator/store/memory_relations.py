"""The in-memory store's relations: edges of one kind between two ids, each with the time it was made."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from xmock.simulator import events


def _newest_first(edges: dict[str, float]) -> list[tuple[str, float]]:
    # The same order as Redis's ZREVRANGE: time descending, then id descending.
    return sorted(edges.items(), key=lambda item: (item[1], item[0]), reverse=True)


class RelationTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _edges_out: dict[tuple[str, str], dict[str, float]]
    _edges_in: dict[tuple[str, str], dict[str, float]]

    if TYPE_CHECKING:

        def append_event(self, event: dict[str, Any]) -> str: ...

    def set_edge(self, kind: str, src: str, dst: str, on: bool, at: float) -> bool:
        with self._lock:
            out = self._edges_out.setdefault((kind, src), {})
            if on == (dst in out):
                return False
            incoming = self._edges_in.setdefault((kind, dst), {})
            if on:
                out[dst] = at
                incoming[src] = at
            else:
                del out[dst]
                incoming.pop(src, None)
        event = events.edge_changed(kind, src, dst, on, at)
        if event is not None:
            self.append_event(event)
        return True

    def edge_at(self, kind: str, src: str, dst: str) -> float | None:
        return self._edges_out.get((kind, src), {}).get(dst)

    def edges_from(self, kind: str, src: str) -> list[tuple[str, float]]:
        with self._lock:
            return _newest_first(self._edges_out.get((kind, src), {}))

    def edges_to(self, kind: str, dst: str) -> list[tuple[str, float]]:
        with self._lock:
            return _newest_first(self._edges_in.get((kind, dst), {}))

    def count_edges(self, kind: str, node: str, incoming: bool = False) -> int:
        table = self._edges_in if incoming else self._edges_out
        return len(table.get((kind, node), ()))

    def drop_edges(self, kind: str, node: str) -> None:
        with self._lock:
            for dst in self._edges_out.pop((kind, node), {}):
                self._edges_in.get((kind, dst), {}).pop(node, None)
            for src in self._edges_in.pop((kind, node), {}):
                self._edges_out.get((kind, src), {}).pop(node, None)
