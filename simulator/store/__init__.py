"""The one store behind all simulator state."""

from simulator.store.base import Store, StoreConflict
from simulator.store.memory import MemoryStore

__all__ = ["MemoryStore", "Store", "StoreConflict"]
