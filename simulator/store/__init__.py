"""The one store behind all simulator state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator.store.base import Charge, InsufficientCredits, Store, StoreConflict
from xmock.simulator.store.memory import MemoryStore

if TYPE_CHECKING:
    from xmock.simulator.config import Settings

__all__ = ["Charge", "InsufficientCredits", "MemoryStore", "Store", "StoreConflict", "open_store"]


def open_store(settings: Settings) -> Store:
    """The store the settings name: in memory, or Redis (checked reachable now, not at the first request)."""
    if settings.store == "memory":
        return MemoryStore(journal_size=settings.journal_size)
    from xmock.simulator.store.redis_store import RedisStore

    store = RedisStore(settings.store, settings.namespace, settings.journal_size)
    store.ping()
    return store
