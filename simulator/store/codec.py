"""The store's records as JSON text, for stores that keep them outside the process."""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any, TypeVar

import orjson

T = TypeVar("T")


def dumps(record: Any) -> bytes:
    return orjson.dumps(record)  # dataclasses natively; tuples as arrays


@cache
def _tuple_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """Fields JSON turns into lists: (name, whether its items are tuples too)."""
    out = []
    for f in fields(cls):
        kind = str(f.type)
        if kind.startswith("tuple[tuple"):
            out.append((f.name, True))
        elif kind.startswith("tuple"):
            out.append((f.name, False))
    return tuple(out)


def loads(cls: type[T], text: str | bytes) -> T:
    data = orjson.loads(text)
    for name, nested in _tuple_fields(cls):
        value = data.get(name)
        if value is not None:
            data[name] = tuple(tuple(v) for v in value) if nested else tuple(value)
    return cls(**data)
