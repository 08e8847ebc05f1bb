"""The Redis store's keys as JSON and back: every key of the namespace, whole, with its type and time to live.

The shared clock and settings (the control hash and the settings key) are the snapshot's own sections, the
worker-id counter belongs to the running processes, and certification runs are not world state: none of them
is saved or replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import redis

from xmock.simulator.store.base import SnapshotError

TYPES = ("string", "hash", "list", "set", "zset", "stream")
KEEP = ("control", "settings", "workers", "certs", "certs:html")  # not world state (see the module docstring)


class RedisSnapshot:
    """Part of RedisStore: `dump_state` and `load_state` (see simulator/snapshot.py)."""

    r: redis.Redis
    prefix: str

    if TYPE_CHECKING:

        def k(self, *parts: str) -> str: ...
        def bump(self, pipe: Any) -> None: ...

    def _world_keys(self) -> list[str]:
        kept = {self.k(name) for name in KEEP}
        return sorted(key for key in self.r.scan_iter(match=self.prefix + "*", count=1000) if key not in kept)

    def dump_state(self) -> dict[str, Any]:
        keys = self._world_keys()
        pipe = self.r.pipeline(transaction=True)  # one consistent reading of every key
        for key in keys:
            pipe.type(key)
            pipe.pttl(key)
        kinds = pipe.execute()
        pipe = self.r.pipeline(transaction=True)
        for i, key in enumerate(keys):
            kind = kinds[2 * i]
            if kind == "string":
                pipe.get(key)
            elif kind == "hash":
                pipe.hgetall(key)
            elif kind == "list":
                pipe.lrange(key, 0, -1)
            elif kind == "set":
                pipe.smembers(key)
            elif kind == "zset":
                pipe.zrange(key, 0, -1, withscores=True)
            elif kind == "stream":
                pipe.xrange(key)
            else:
                pipe.exists(key)  # gone since it was listed ("none")
        values = pipe.execute()
        out = []
        for i, key in enumerate(keys):
            kind, ttl, value = kinds[2 * i], kinds[2 * i + 1], values[i]
            if kind not in TYPES:
                continue
            if kind == "set":
                value = sorted(value)
            elif kind == "zset":
                value = [[member, score] for member, score in value]
            elif kind == "stream":
                value = [[entry_id, fields] for entry_id, fields in value]
            entry = {"key": key[len(self.prefix) :], "type": kind, "ttl_ms": ttl if ttl > 0 else None, "value": value}
            if kind == "stream":  # consumer groups: where each has read to (webhook deliveries)
                groups = self.r.xinfo_groups(key)
                entry["groups"] = {g["name"][len(self.prefix) :]: g["last-delivered-id"] for g in groups}
            out.append(entry)
        return {"kind": "redis", "keys": out}

    def load_state(self, state: dict[str, Any]) -> None:
        if state.get("kind") != "redis" or not isinstance(state.get("keys"), list):
            raise SnapshotError("store: expected the keys of a Redis store")
        entries = [_checked(i, entry) for i, entry in enumerate(state["keys"])]
        kept = {self.k(name) for name in KEEP}
        pipe = self.r.pipeline(transaction=True)  # all or nothing: the old world goes as the new one arrives
        old = self._world_keys()
        for start in range(0, len(old), 1000):
            pipe.delete(*old[start : start + 1000])
        for entry in entries:
            key = self.prefix + entry["key"]
            if key in kept:
                raise SnapshotError(f"store.keys: {entry['key']!r} is not world state")
            _write(pipe, key, entry["type"], entry["value"])
            for group, last in entry.get("groups", {}).items():
                pipe.xgroup_create(key, self.prefix + group, id=last, mkstream=True)
            if entry["ttl_ms"] is not None:
                pipe.pexpire(key, entry["ttl_ms"])
        self.bump(pipe)  # every process drops what it cached of the old world
        pipe.execute()


def _checked(i: int, entry: Any) -> dict[str, Any]:
    where = f"store.keys[{i}]"
    if not isinstance(entry, dict) or set(entry) - {"groups"} != {"key", "type", "ttl_ms", "value"}:
        raise SnapshotError(f"{where}: expected key, type, ttl_ms and value")
    groups = entry.get("groups", {})
    if not isinstance(groups, dict) or not all(isinstance(v, str) and v for v in groups.values()):
        raise SnapshotError(f"{where}.groups: expected consumer group names and the ids they have read to")
    if groups and entry["type"] != "stream":
        raise SnapshotError(f"{where}.groups: only a stream has consumer groups")
    key, kind, ttl, value = entry["key"], entry["type"], entry["ttl_ms"], entry["value"]
    if not isinstance(key, str) or not key or kind not in TYPES:
        raise SnapshotError(f"{where}: expected a key name and one of the types {', '.join(TYPES)}")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0):
        raise SnapshotError(f"{where}.ttl_ms: expected positive milliseconds or null")
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "hash":
        ok = isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())
    elif kind in ("list", "set"):
        ok = isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    elif kind == "zset":
        ok = isinstance(value, list) and bool(value) and all(_pair(v, (int, float)) for v in value)
    else:  # a stream may be empty and still hold its consumer groups
        ok = isinstance(value, list) and all(_pair(v, dict) and v[1] for v in value)
        ok = ok and all(isinstance(f, str) for v in value for f in v[1].values())
    if not ok:
        raise SnapshotError(f"{where}.value: not a {kind} as Redis keeps it")
    return entry


def _pair(value: Any, second: type | tuple[type, ...]) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], second)
        and not isinstance(value[1], bool)
    )


def _write(pipe: Any, key: str, kind: str, value: Any) -> None:
    if kind == "string":
        pipe.set(key, value)
    elif kind == "hash":
        pipe.hset(key, mapping=value)
    elif kind == "list":
        pipe.rpush(key, *value)
    elif kind == "set":
        pipe.sadd(key, *value)
    elif kind == "zset":
        pipe.zadd(key, {member: score for member, score in value})
    else:
        for entry_id, fields in value:
            pipe.xadd(key, fields, id=entry_id)
