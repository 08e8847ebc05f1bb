"""The Redis store's plumbing: connection, key names, scripts and optimistic transactions."""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import redis

from xmock.simulator.redact import redact_url
from xmock.simulator.store import redis_lua as lua
from xmock.simulator.store.codec import loads

T = TypeVar("T")
GRACE_MS = 3_600_000  # expiring keys outlive their simulated expiry by an hour of real time
_MISSING = object()

# Set while a request runs on the state read at its start (see simulator.shared).
in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("xmock_in_request", default=False)


class RedisPlumbing:
    def __init__(self, url: str, namespace: str = "default", journal_size: int = 10_000) -> None:
        self.url = url
        self.namespace = namespace
        self.prefix = f"xmock:{namespace}:"
        self.r: redis.Redis = redis.Redis.from_url(url, decode_responses=True)
        self._journal_size = journal_size
        self._scripts: dict[str, Any] = {}
        # Records that change only through bump(): kept per process while the generation holds.
        self._cache: dict[tuple[str, str], Any] = {}
        self._cache_generation: str | None = None
        self.control_key = self.k("control")

    def ping(self) -> None:
        """Raise a clear error when Redis is not reachable."""
        try:
            self.r.ping()
        except redis.RedisError as exc:
            raise ConnectionError(f"cannot reach Redis at {redact_url(self.url)}: {exc}") from None

    # plumbing ---------------------------------------------------------------
    def k(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    # the per-process cache --------------------------------------------------
    def begin_request(self, generation: str | None) -> None:
        """A request starts with the generation it read; a changed one empties the cache."""
        if generation != self._cache_generation:
            self._cache.clear()
            self._cache_generation = generation

    def cached(self, kind: str, key: str, load: Callable[[], Any], *, negative: bool = False) -> Any:
        """`load()`, remembered within requests until the generation changes. Only what every
        change bumps may be cached when absent (`negative`); new records need no bump."""
        if not in_request.get():
            return load()
        found = self._cache.get((kind, key), _MISSING)
        if found is _MISSING:
            found = load()
            if found is not None or negative:
                self._cache[(kind, key)] = found
        return found

    def bump(self, pipe: redis.client.Pipeline | redis.Redis) -> None:
        """Queue a new generation: every process drops its cache at its next request."""
        pipe.hset(self.control_key, "generation", self.new_generation())

    @staticmethod
    def new_generation() -> str:
        return secrets.token_hex(8)

    def run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        script = self._scripts.get(name)
        if script is None:
            script = self._scripts[name] = self.r.register_script(getattr(lua, name))
        return script(keys=keys, args=args)

    def transact(self, watch: list[str], body: Callable[[redis.client.Pipeline], tuple[Any, Any]]) -> Any:
        """Optimistic transaction: `body` reads through the pipe and returns (writes, result),
        where `writes(pipe)` queues the changes (or is None); retried if a watched key changed."""
        with self.r.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*watch)
                    writes, result = body(pipe)
                    if writes is None:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    writes(pipe)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def _load(self, cls: type[T], text: str | None) -> T | None:
        return None if text is None else loads(cls, text)

    def reset(self) -> None:
        batch: list[str] = []
        # Running processes keep their worker ids, so the counter that hands them out survives.
        keep = self.k("workers")
        for key in self.r.scan_iter(match=self.prefix + "*", count=1000):
            if key == keep:
                continue
            batch.append(key)
            if len(batch) >= 1000:
                self.r.unlink(*batch)
                batch = []
        if batch:
            self.r.unlink(*batch)
        self.bump(self.r)  # a new world: every process forgets what it cached of the old one
