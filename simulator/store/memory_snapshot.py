"""The in-memory store's tables as JSON and back: every table `MemoryStore.reset` makes, whole.

Values keep their Python types through tags ({"$t": tuple}, {"$s": set}, {"$d": Decimal}, {"$b": bytes}, {"$m": model},
{"$o": dict}, {"$k": dict with non-text keys}, {"$q": deque, with its bound in "n"}), so a restored store is
equal to the saved one.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import threading
from collections import deque
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from xmock.simulator import models
from xmock.simulator.store.base import SnapshotError
from xmock.simulator.store.codec import loads

# Models a table may hold, by class name.
MODELS: dict[str, type] = {
    name: cls for name, cls in vars(models).items() if isinstance(cls, type) and dataclasses.is_dataclass(cls)
}
# Attributes of a MemoryStore that are plumbing, not state.
NOT_STATE = frozenset({"_lock", "_journal_size", "_event_listeners", "_certifications"})
MAX_DEPTH = 64


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"$o": {k: encode(v) for k, v in value.items()}}
        return {"$k": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"$s": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, deque):  # its bound too: a journal or a sliding log must stay bounded after a restore
        return {"$q": [encode(v) for v in value], "n": value.maxlen}
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, bytes):  # a journal entry's request body, for one
        return {"$b": base64.b64encode(value).decode("ascii")}
    if dataclasses.is_dataclass(value) and type(value).__name__ in MODELS:
        return {"$m": type(value).__name__, "f": orjson.loads(orjson.dumps(value))}
    raise TypeError(f"cannot snapshot a {type(value).__name__}")


def decode(value: Any, where: str, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise SnapshotError(f"{where}: nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(v, where, depth + 1) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise SnapshotError(f"{where}: expected a tagged value")
    tag = next(iter(value))
    inner = value[tag]
    try:
        if tag == "$o" and isinstance(inner, dict):
            return {k: decode(v, f"{where}.{k}", depth + 1) for k, v in inner.items()}
        if tag == "$k" and isinstance(inner, list):
            return {_key(decode(k, where, depth + 1)): decode(v, where, depth + 1) for k, v in inner}
        if tag in ("$t", "$s", "$q") and isinstance(inner, list):
            items = [decode(v, where, depth + 1) for v in inner]
            if tag == "$q":
                bound = value.get("n")
                if bound is not None and (type(bound) is not int or bound < 0):
                    raise SnapshotError(f"{where}: a deque's bound must be a non-negative integer")
                return deque(items, maxlen=bound)
            return tuple(items) if tag == "$t" else set(map(_key, items))
        if tag == "$d" and isinstance(inner, str):
            return Decimal(inner)
        if tag == "$b" and isinstance(inner, str):
            return base64.b64decode(inner, validate=True)
        if tag == "$m" and inner in MODELS and isinstance(value.get("f"), dict):
            return _model(MODELS[inner], value["f"], where)
    except (TypeError, ValueError, InvalidOperation, binascii.Error) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"{where}: {exc}") from None
    raise SnapshotError(f"{where}: unknown value tag {tag!r}")


_SIMPLE = {"str": str, "int": int, "float": (int, float), "bool": bool, "None": type(None)}


def _model(cls: type, data: dict[str, Any], where: str) -> Any:
    """A model from its fields, each checked against its declared type so that nothing refused reaches the store."""
    declared = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    for name, value in data.items():
        kinds = declared.get(name)
        if kinds is None:
            raise SnapshotError(f"{where}: {cls.__name__} has no field {name!r}")
        allowed = [list if kind.startswith("tuple") else _SIMPLE.get(kind, object) for kind in kinds.split(" | ")]
        flat = tuple(x for t in allowed for x in (t if isinstance(t, tuple) else (t,)))
        if not isinstance(value, flat) or (isinstance(value, bool) and bool not in flat and object not in flat):
            raise SnapshotError(f"{where}: {cls.__name__}.{name}: expected {kinds}, got {type(value).__name__}")
    return loads(cls, orjson.dumps(data))


def _key(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        raise SnapshotError("a key must be text, a number or a tuple")
    return value


class SnapshotTables:
    """Part of MemoryStore: `dump_state` and `load_state` (see simulator/snapshot.py)."""

    _lock: threading.RLock

    def _table_names(self) -> list[str]:
        return [name for name in vars(self) if name not in NOT_STATE]

    def dump_state(self) -> dict[str, Any]:
        with self._lock:
            tables = {name: getattr(self, name) for name in self._table_names()}
            # Findings are found by their dedupe key too: the same records, kept as positions.
            positions = {id(f): i for i, f in enumerate(tables["_findings"])}
            tables["_finding_keys"] = {k: positions[id(f)] for k, f in tables["_finding_keys"].items()}
            return {"kind": "memory", "tables": {name: encode(value) for name, value in tables.items()}}

    def load_state(self, state: dict[str, Any]) -> None:
        if state.get("kind") != "memory" or not isinstance(state.get("tables"), dict):
            raise SnapshotError("store: expected the tables of an in-memory store")
        have = self._table_names()
        given = state["tables"]
        # A table added in a later version comes with a new snapshot VERSION and its step in snapshot.UPGRADES.
        missing = sorted(set(have) - set(given))
        unknown = sorted(set(given) - set(have))
        if missing or unknown:
            raise SnapshotError(f"store: tables missing {missing or '-'}, unknown {unknown or '-'}")
        decoded = {name: decode(given[name], f"store.{name}") for name in have}
        for name in have:  # each table keeps the shape this version gives it
            current = getattr(self, name)
            value = decoded[name]
            if isinstance(current, deque) and isinstance(value, deque):
                decoded[name] = deque(value, maxlen=current.maxlen)
            elif type(value) is not type(current) and not (isinstance(current, float) and isinstance(value, int)):
                raise SnapshotError(f"store.{name}: expected a {type(current).__name__}")
        findings = decoded["_findings"]
        try:
            decoded["_finding_keys"] = {k: findings[i] for k, i in decoded["_finding_keys"].items()}
        except (IndexError, TypeError):
            raise SnapshotError("store._finding_keys: expected positions in _findings") from None
        with self._lock:
            for name, value in decoded.items():
                setattr(self, name, value)
