"""The in-memory store's stubs: answers a test asked for, kept in the order they were declared."""

from __future__ import annotations

import threading
from typing import Any


class StubTables:
    """Part of MemoryStore; the table itself is created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _stubs: dict[str, dict[str, Any]]

    def add_stub(self, stub: dict[str, Any]) -> None:
        with self._lock:
            self._stubs[stub["id"]] = dict(stub)

    def list_stubs(self) -> list[dict[str, Any]]:
        if not self._stubs:  # asked on every request, and usually there are none
            return []
        with self._lock:
            return [dict(s) for s in self._stubs.values()]

    def remove_stub(self, stub_id: str) -> bool:
        with self._lock:
            return self._stubs.pop(stub_id, None) is not None

    def take_stub(self, stub_id: str) -> bool:
        """Use up one answer of a counted stub; False when none is left."""
        with self._lock:
            stub = self._stubs.get(stub_id)
            if stub is None:
                return False
            if stub.get("count") is not None:
                if stub["count"] <= 0:
                    return False
                stub["count"] -= 1
            stub["applied"] = stub.get("applied", 0) + 1
            return True
