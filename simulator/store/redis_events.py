"""The Redis store's event log: one Redis stream per world, read by every process (streams) and
claimed once across processes through consumer groups (webhook deliveries)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import redis

from xmock.simulator.store.memory_events import EVENT_LOG_SIZE
from xmock.simulator.store.redis_base import RedisPlumbing


def event_json(event: dict[str, Any]) -> str:
    """An event as the log's stream entry holds it (scripts append it in the step that makes it happen)."""
    return json.dumps(event, separators=(",", ":"))


class RedisEvents(RedisPlumbing):
    """Part of RedisStore."""

    def _events_key(self) -> str:
        return self.k("events")

    def append_event(self, event: dict[str, Any]) -> str:
        return str(self.r.xadd(self._events_key(), {"e": event_json(event)}, maxlen=EVENT_LOG_SIZE, approximate=True))

    def event_cursor(self) -> str:
        last = self.r.xrevrange(self._events_key(), count=1)
        return last[0][0] if last else "0-0"

    def events_after(self, cursor: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        found = self.r.xrange(self._events_key(), min="(" + (cursor or "0-0"), count=limit)
        return [(entry_id, json.loads(fields["e"])) for entry_id, fields in found]

    def claim_events(self, group: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        key = self._events_key()
        try:
            reply = self.r.xreadgroup(self.k("group", group), "xmock", {key: ">"}, count=limit)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            try:  # a new group starts from now
                self.r.xgroup_create(key, self.k("group", group), id="$", mkstream=True)
            except redis.ResponseError as again:
                if "BUSYGROUP" not in str(again):
                    raise
            return []
        found = [(entry_id, json.loads(fields["e"])) for _, entries in reply for entry_id, fields in entries]
        if found:
            self.r.xack(key, self.k("group", group), *(entry_id for entry_id, _ in found))
        return found

    def on_event(self, listener: Callable[[], None]) -> None:
        """Events may come from any process: readers poll instead (see simulator.bus)."""
