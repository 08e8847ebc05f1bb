"""What every process serving one Redis store shares besides the data: the clock and the settings.

Both live in one control hash. Each request starts with one read of it (`SharedState.read`), so a
clock moved or a setting changed through any process holds for the next request on every process.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import redis

from xmock.simulator.clock import Clock
from xmock.simulator.config import Settings
from xmock.simulator.store.redis_base import in_request
from xmock.simulator.store.redis_store import RedisStore


def _parse(offset: str | None, frozen: str | None) -> tuple[float, float | None]:
    return float(offset or 0), (float(frozen) if frozen else None)


# What a request runs on, in the order the admission script (ADMIT) compares them.
CONTROL_FIELDS = ("offset", "frozen", "settings", "generation")


class SharedState:
    def __init__(self, store: RedisStore) -> None:
        self.store = store
        self.control: tuple[str, ...] | None = None  # the control hash as last read
        self.key = store.control_key
        self.settings_key = store.k("settings")

    def read(self) -> tuple[float, float | None, str | None]:
        """(clock offset, frozen instant or None, settings version); the store's cache follows
        the generation read with them."""
        self.store.check_reachable()
        try:
            found = self.store.r.hmget(self.key, *CONTROL_FIELDS)
        except redis.TimeoutError:
            self.store.timed_out()
            raise
        return self.adopt(tuple(value or "" for value in found))

    def adopt(self, control: tuple[str, ...]) -> tuple[float, float | None, str | None]:
        """Take up a reading of the control hash (CONTROL_FIELDS, '' for absent), as `read` or a
        request's admission found it; requests check it still holds when admitted."""
        offset, frozen, version, generation = control
        self.store.begin_request(generation or None)
        self.control = control
        return (*_parse(offset, frozen), version or None)

    def clock_op(self, op: str, value: float | None = None) -> tuple[float, float | None]:
        args = [op, repr(time.time()), "" if value is None else repr(float(value))]
        offset, frozen = self.store.run("CLOCK", [self.key], args)
        return _parse(offset, frozen)

    def publish_settings(self, settings: Settings) -> str:
        version = secrets.token_hex(8)
        pipe = self.store.r.pipeline(transaction=True)
        pipe.set(self.settings_key, json.dumps(settings.as_dict()))
        pipe.hset(self.key, "settings", version)
        pipe.execute()
        return version

    def load_settings(self) -> dict[str, Any] | None:
        raw = self.store.r.get(self.settings_key)
        return None if raw is None else json.loads(raw)

    def claim_worker_id(self) -> int:
        """A snowflake worker id no other process on this store holds (1..1023, then round again)."""
        return int(self.store.r.incr(self.store.k("workers"))) % 1023 + 1

    @staticmethod
    def enter_request() -> None:
        """Mark the running request (its asyncio task's context) as read at its start."""
        in_request.set(True)


class SharedClock(Clock):
    """The simulator clock kept in Redis: moving it in one process moves it for all."""

    def __init__(self, shared: SharedState) -> None:
        super().__init__()
        self._shared = shared
        self.refresh()

    def apply(self, offset: float, frozen: float | None) -> None:
        with self._lock:
            self._offset, self._frozen_at = offset, frozen

    def refresh(self) -> None:
        offset, frozen, _ = self._shared.read()
        self.apply(offset, frozen)

    def now(self) -> float:
        if not in_request.get():
            self.refresh()
        return super().now()

    def _op(self, op: str, value: float | None = None) -> None:
        self.apply(*self._shared.clock_op(op, value))

    # Clock checks the arguments; these make the checked moves in Redis.
    def _freeze(self, at: float | None) -> None:
        self._op("freeze", at)

    def _set(self, at: float) -> None:
        self._op("set", at)

    def _advance(self, seconds: float) -> None:
        self._op("advance", seconds)

    def resume(self) -> None:
        self._op("resume")

    def reset(self) -> None:
        self._op("reset")

    def state(self):  # type: ignore[override]
        if not in_request.get():
            self.refresh()
        return super().state()
