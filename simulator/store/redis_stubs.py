"""The Redis store's stubs, kept as fault rules are (redis_accounting): the stub written whole, its
remaining count and its uses in hashes of their own, so taking one is the same atomic script."""

from __future__ import annotations

import json
from typing import Any

from xmock.simulator.store.redis_base import RedisPlumbing


class RedisStubs(RedisPlumbing):
    """Part of RedisStore."""

    def _stub_keys(self) -> list[str]:
        return [self.k("stubs"), self.k("stubs", "left"), self.k("stubs", "applied"), self.k("stubs", "order")]

    def add_stub(self, stub: dict[str, Any]) -> None:
        stubs, left, applied, order = self._stub_keys()
        pipe = self.r.pipeline(transaction=True)
        text = json.dumps({k: v for k, v in stub.items() if k not in ("count", "applied")}, separators=(",", ":"))
        pipe.hset(stubs, stub["id"], text)
        if stub.get("count") is not None:
            pipe.hset(left, stub["id"], int(stub["count"]))
        pipe.hset(applied, stub["id"], int(stub.get("applied", 0)))
        pipe.lrem(order, 0, stub["id"])
        pipe.rpush(order, stub["id"])
        self.bump(pipe)
        pipe.execute()

    def list_stubs(self) -> list[dict[str, Any]]:
        return [dict(stub) for stub in self.cached("stubs", "", self._load_stubs, negative=True)]

    def _load_stubs(self) -> list[dict[str, Any]]:
        stubs, left, applied, order = self._stub_keys()
        pipe = self.r.pipeline(transaction=True)
        pipe.lrange(order, 0, -1)
        pipe.hgetall(stubs)
        pipe.hgetall(left)
        pipe.hgetall(applied)
        ids, texts, counts, uses = pipe.execute()
        out = []
        for stub_id in ids:
            if stub_id not in texts:
                continue
            stub = json.loads(texts[stub_id])
            stub["count"] = int(counts[stub_id]) if stub_id in counts else None
            stub["applied"] = int(uses.get(stub_id, 0))
            out.append(stub)
        return out

    def remove_stub(self, stub_id: str) -> bool:
        keys = [*self._stub_keys(), self.control_key]
        return bool(self.run("REMOVE_FAULT", keys, [stub_id, self.new_generation()]))  # the same bookkeeping

    def take_stub(self, stub_id: str) -> bool:
        keys = [*self._stub_keys(), self.control_key]
        return bool(self.run("TAKE_FAULT", keys, [stub_id, self.new_generation()]))
