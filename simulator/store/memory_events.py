"""The in-memory store's event log: everything that happens in the world, once, in order."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from xmock.simulator import events
from xmock.simulator.models import Post

EVENT_LOG_SIZE = 100_000  # events kept for readers that fall behind (streams' backfill, late deliveries)


def materialized(event: dict[str, Any] | Post) -> dict[str, Any]:
    """An event as readers get it: a post's creation is kept as the stored Post itself (no dict per post in a
    log of a hundred thousand: less memory, less for the collector to walk) and made a dict when read."""
    return events.post_created(event) if type(event) is Post else event  # type: ignore[arg-type]


class EventTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _events: deque[tuple[int, dict[str, Any] | Post]]
    _event_seq: int
    _event_groups: dict[str, int]
    _event_listeners: list[Callable[[], None]]

    def append_event(self, event: dict[str, Any] | Post) -> str:
        with self._lock:
            self._event_seq += 1
            self._events.append((self._event_seq, event))
            cursor = str(self._event_seq)
        for listener in self._event_listeners:
            listener()
        return cursor

    def event_cursor(self) -> str:
        return str(self._event_seq)

    def events_after(self, cursor: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        after = int(cursor or 0)
        with self._lock:
            if not self._events or self._events[-1][0] <= after:
                return []
            log = self._events
            first = log[0][0]
            start = max(after - first + 1, 0)
            # Indexed, not copied: readers ask near the log's end, where a deque's index is cheap.
            return [(str(log[i][0]), materialized(log[i][1])) for i in range(start, min(start + limit, len(log)))]

    def claim_events(self, group: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            after = self._event_groups.get(group)
            if after is None:  # a new group starts from now, as a Redis consumer group made at "$"
                self._event_groups[group] = self._event_seq
                return []
            found = self.events_after(str(after), limit)
            if found:
                self._event_groups[group] = int(found[-1][0])
            return found

    def on_event(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from the appending thread) after each event: lets readers in this process wake at once."""
        with self._lock:
            self._event_listeners.append(listener)
