"""The in-memory store's polls and places (records a post points to by id)."""

from __future__ import annotations

import threading

from xmock.simulator.models import Place, Poll


class PostFieldTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _polls: dict[str, Poll]
    _places: dict[str, Place]

    def put_poll(self, poll: Poll) -> None:
        with self._lock:
            self._polls[poll.id] = poll

    def get_poll(self, poll_id: str) -> Poll | None:
        return self._polls.get(poll_id)

    def put_place(self, place: Place) -> None:
        with self._lock:
            self._places[place.id] = place

    def get_place(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def list_places(self) -> list[Place]:
        with self._lock:
            return sorted(self._places.values(), key=lambda p: p.id)
