"""X's published OpenAPI spec (2.167), shipped with xmock: what operations X has, and their paths.

The spec checks and reports; it does not generate handlers. The simulator answers an operation the
spec has but the endpoint table does not yet simulate with X's 404 plus `x-xmock-not-simulated`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

SPEC_PATH = Path(__file__).parent / "spec" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # the spec's template, e.g. "/2/users/{id}/followers"


@cache
def spec_bytes() -> bytes:
    return SPEC_PATH.read_bytes()


@cache
def spec() -> dict[str, Any]:
    return orjson.loads(spec_bytes())


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for path, item in spec()["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is not None:
                found.append(Operation(op["operationId"], method.upper(), path))
    return tuple(found)


def data_schema(method: str, path: str) -> str | None:
    """The component schema of a success answer's `data` (of its items, for a list): "Post", "User", ...;
    None where the spec names none (no such operation, no JSON answer, an inline object)."""
    document = spec()
    op = document["paths"].get(path, {}).get(method.lower())
    if op is None:
        return None
    answer = _resolved(document, op.get("responses", {}).get("200") or op.get("responses", {}).get("201") or {})
    schema = _resolved(document, answer.get("content", {}).get("application/json", {}).get("schema", {}))
    data = (schema.get("properties") or {}).get("data") or {}
    if data.get("type") == "array":
        data = data.get("items") or {}
    ref = data.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _resolved(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for _ in range(8):  # a chain of references, never a loop
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            break
        _, _, section, name = ref.split("/", 3)
        node = document["components"].get(section, {}).get(name, {})
    return node if isinstance(node, dict) else {}


class SpecIndex:
    """Finds the spec's operation for a method and a concrete path (static paths before templated ones)."""

    def __init__(self, ops: tuple[Operation, ...] | None = None) -> None:
        self._static: dict[tuple[str, str], Operation] = {}
        self._dynamic: list[tuple[str, re.Pattern[str], Operation]] = []
        for op in ops if ops is not None else operations():
            if "{" in op.path:
                template = re.escape(op.path).replace(r"\{", "{").replace(r"\}", "}")
                regex = re.compile("^" + _PARAM.sub(r"[^/]+", template) + "$")
                self._dynamic.append((op.method, regex, op))
            else:
                self._static[(op.method, op.path)] = op

    def static(self) -> dict[tuple[str, str], Operation]:
        """Operations on paths without parameters, by (method, path)."""
        return dict(self._static)

    def find(self, method: str, path: str) -> Operation | None:
        op = self._static.get((method, path))
        if op is not None:
            return op
        for op_method, regex, candidate in self._dynamic:
            if op_method == method and regex.match(path):
                return candidate
        return None
