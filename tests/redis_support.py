"""A real redis-server for the tests, on a free loopback port, stopped by whoever started it."""

from __future__ import annotations

import os
import uuid

import pytest

from xmock.loadtests.redis_server import RedisServer as _Server
from xmock.simulator.store.redis_store import RedisStore


class RedisServer(_Server):
    """Skips the test where redis-server is missing, or fails it under XMOCK_REQUIRE_REDIS (CI)."""

    def __init__(self, *, persist: bool = False) -> None:
        try:
            super().__init__(persist=persist)
        except FileNotFoundError as exc:
            if os.environ.get("XMOCK_REQUIRE_REDIS"):
                pytest.fail(str(exc))
            pytest.skip(str(exc))

    def store(self, journal_size: int = 10_000) -> RedisStore:
        """A store in a namespace of its own."""
        return RedisStore(self.url, f"t{uuid.uuid4().hex[:12]}", journal_size)
