"""A real redis-server for the tests, on a free loopback port, stopped by whoever started it."""

from __future__ import annotations

import os
import uuid

import pytest

from xmock.loadtests.redis_server import RedisCluster as _Cluster
from xmock.loadtests.redis_server import RedisServer as _Server
from xmock.simulator.store.redis_store import RedisStore


def _missing(exc: FileNotFoundError) -> None:
    """No redis-server: the test is skipped, or failed under XMOCK_REQUIRE_REDIS (CI)."""
    if os.environ.get("XMOCK_REQUIRE_REDIS"):
        pytest.fail(str(exc))
    pytest.skip(str(exc))


class _Namespaces:
    url: str

    def store(self, journal_size: int = 10_000) -> RedisStore:
        """A store in a namespace of its own (on a cluster, on whichever master holds its slot)."""
        return RedisStore(self.url, f"t{uuid.uuid4().hex[:12]}", journal_size)


class RedisServer(_Namespaces, _Server):
    """A redis-server on a free loopback port."""

    def __init__(self, *, persist: bool = False) -> None:
        try:
            super().__init__(persist=persist)
        except FileNotFoundError as exc:
            _missing(exc)


class RedisCluster(_Namespaces, _Cluster):
    """A three-master Redis Cluster on loopback."""

    def __init__(self) -> None:
        try:
            super().__init__()
        except FileNotFoundError as exc:
            _missing(exc)
