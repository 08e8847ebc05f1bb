"""The Redis store's webhook records (one hash per table, records written whole) and its delivery log
(a capped list)."""

from __future__ import annotations

import json
from typing import Any

from xmock.simulator.store.memory_hooks import DELIVERY_LOG_SIZE
from xmock.simulator.store.redis_base import RedisPlumbing


class RedisHooks(RedisPlumbing):
    """Part of RedisStore."""

    def put_record(self, table: str, record_id: str, record: dict[str, Any]) -> None:
        self.r.hset(self.k("records", table), record_id, json.dumps(record, separators=(",", ":")))

    def get_record(self, table: str, record_id: str) -> dict[str, Any] | None:
        text = self.r.hget(self.k("records", table), record_id)
        return None if text is None else json.loads(text)

    def delete_record(self, table: str, record_id: str) -> bool:
        return bool(self.r.hdel(self.k("records", table), record_id))

    def append_delivery(self, entry: dict[str, Any]) -> None:
        key = self.k("deliveries")
        with self.r.pipeline(transaction=True) as pipe:
            pipe.rpush(key, json.dumps(entry, separators=(",", ":")))
            pipe.ltrim(key, -DELIVERY_LOG_SIZE, -1)
            pipe.execute()

    def deliveries(self) -> list[dict[str, Any]]:
        return [json.loads(text) for text in self.r.lrange(self.k("deliveries"), 0, -1)]
