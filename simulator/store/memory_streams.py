"""The in-memory store's streaming state: each app's filtered-stream rules, its stream connections (open ones
hold a slot of their stream), and its filtered-stream webhook links."""

from __future__ import annotations

import threading
from typing import Any


class StreamTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _stream_rules: dict[str, dict[str, dict[str, Any]]]  # app -> rule id -> rule, in creation order
    _stream_conns: dict[str, dict[str, Any]]  # connection id -> record
    _stream_links: dict[str, dict[str, dict[str, Any]]]  # app -> webhook id -> link

    def stream_rules(self, app_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self._stream_rules.get(app_id, {}).values()]

    def add_stream_rules(self, app_id: str, rules: list[dict[str, Any]], cap: int) -> dict[str, Any]:
        with self._lock:
            have = self._stream_rules.setdefault(app_id, {})
            by_value = {r["value"]: r["id"] for r in have.values()}
            duplicates: dict[str, str] = {}
            fresh: list[dict[str, Any]] = []
            for rule in rules:
                if rule["value"] in by_value:
                    duplicates[rule["value"]] = by_value[rule["value"]]
                else:
                    fresh.append(rule)
                    by_value[rule["value"]] = rule["id"]
            if len(have) + len(fresh) > cap:
                return {"full": True, "duplicates": duplicates}
            for rule in fresh:
                have[rule["id"]] = dict(rule)
            return {"full": False, "duplicates": duplicates}

    def delete_stream_rules(self, app_id: str, ids: list[str] | None) -> list[str]:
        with self._lock:
            have = self._stream_rules.get(app_id, {})
            gone = list(have) if ids is None else [i for i in ids if i in have]
            for rule_id in gone:
                del have[rule_id]
            return gone

    def open_stream_connection(self, conn: dict[str, Any], cap: int) -> bool:
        with self._lock:
            open_now = sum(
                1
                for c in self._stream_conns.values()
                if c["app_id"] == conn["app_id"] and c["endpoint"] == conn["endpoint"] and c["disconnected_at"] is None
            )
            if open_now >= cap:
                return False
            self._stream_conns[conn["id"]] = dict(conn)
            return True

    def close_stream_connection(self, conn_id: str, at: float, reason: str) -> bool:
        with self._lock:
            conn = self._stream_conns.get(conn_id)
            if conn is None or conn["disconnected_at"] is not None:
                return False
            conn["disconnected_at"] = at
            conn["disconnect_reason"] = reason
            return True

    def stream_connection(self, conn_id: str) -> dict[str, Any] | None:
        conn = self._stream_conns.get(conn_id)
        return dict(conn) if conn is not None else None

    def stream_connections(self, app_id: str) -> list[dict[str, Any]]:
        return [dict(c) for c in self._stream_conns.values() if c["app_id"] == app_id]

    def set_stream_link(self, app_id: str, webhook_id: str, link: dict[str, Any] | None) -> bool:
        with self._lock:
            links = self._stream_links.setdefault(app_id, {})
            if link is None:
                return links.pop(webhook_id, None) is not None
            links[webhook_id] = dict(link)
            return True

    def stream_links(self, app_id: str) -> list[dict[str, Any]]:
        return [dict(link) for link in self._stream_links.get(app_id, {}).values()]
