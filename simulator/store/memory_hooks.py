"""The in-memory store's webhook records (webhooks, X Activity subscriptions) and its delivery log."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

DELIVERY_LOG_SIZE = 10_000  # delivery attempts kept for GET /_xmock/deliveries (oldest dropped first)


class HookTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _records: dict[str, dict[str, dict[str, Any]]]
    _deliveries: deque[dict[str, Any]]

    def put_record(self, table: str, record_id: str, record: dict[str, Any]) -> None:
        with self._lock:
            self._records.setdefault(table, {})[record_id] = dict(record)

    def get_record(self, table: str, record_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._records.get(table, {}).get(record_id)
            return None if found is None else dict(found)

    def delete_record(self, table: str, record_id: str) -> bool:
        with self._lock:
            return self._records.get(table, {}).pop(record_id, None) is not None

    def append_delivery(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._deliveries.append(entry)

    def deliveries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._deliveries)
