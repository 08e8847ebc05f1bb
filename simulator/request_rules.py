"""Query parameters checked against the spec's parameter definitions, with X's 400 wording.

Compiled once per operation at start: a dict from each accepted name (both spellings where the live API
takes both, see spec_drift) to a small checker holding frozensets and compiled patterns, so a request pays
one dict lookup per parameter and a request without a query pays nothing. Handlers then read parameters
they know to be well formed and check only what the spec cannot say (state, permissions, X's rules).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from xmock.simulator import digits, errors
from xmock.simulator.spec import spec
from xmock.simulator.spec_drift import REQUEST_LIVE_VALUES, REQUEST_PARAM_ALIASES

Check = Callable[[str, str], None]  # (name as sent, value) -> None, or raises X's 400


def _resolve(node: dict[str, Any], section: str) -> dict[str, Any]:
    while "$ref" in node:
        node = spec()["components"][section][node["$ref"].rsplit("/", 1)[1]]
    return node


def _pattern(text: str) -> re.Pattern[str]:
    # `$` also matches before a final newline; X's patterns mean the end of the value.
    return re.compile(text[:-1] + r"\Z" if text.endswith("$") else text)


def _one_of(name: str, value: str, allowed: Iterable[str]) -> errors.XError:
    listed = ",".join(allowed)
    return errors.invalid_param(name, value, f"The `{name}` query parameter value [{value}] is not one of [{listed}]")


def _enum_check(allowed: frozenset[str], listed: tuple[str, ...]) -> Check:
    def check(name: str, value: str) -> None:
        if value not in allowed:
            raise _one_of(name, value, listed)

    return check


def _list_check(item: Check | None, min_items: int, max_items: int | None) -> Check:
    def check(name: str, value: str) -> None:
        if not value:
            raise errors.invalid_param(name, value, f"The `{name}` query parameter can not be empty")
        items = value.split(",")
        if max_items is not None and len(items) > max_items:
            between = f"must have between {min_items} and {max_items} items"
            raise errors.invalid_param(name, value, f"The `{name}` query parameter value [{value}] {between}")
        if item is not None:
            for one in items:
                item(name, one)

    return check


def _int_check(low: int | None, high: int | None) -> Check:
    lo = low if low is not None else 0
    hi = high if high is not None else 2**31 - 1

    def check(name: str, value: str) -> None:
        number = digits.parse(value, 10)
        if number is None or not lo <= number <= hi:
            raise errors.invalid_param(
                name, value, f"The `{name}` query parameter value [{value}] is not between {lo} and {hi}"
            )

    return check


def _string_check(schema: dict[str, Any]) -> Check | None:
    pattern = schema.get("pattern")
    if pattern is None:
        return None
    compiled = _pattern(pattern)

    def check(name: str, value: str) -> None:
        if compiled.match(value) is None:
            raise errors.pattern_mismatch(name, value, pattern)

    return check


def _scalar_check(schema: dict[str, Any], name: str) -> Check | None:
    schema = _resolve(schema, "schemas")
    if "enum" in schema:
        values = [str(v) for v in schema["enum"]]
        extra = [v for (param, key), more in REQUEST_LIVE_VALUES.items() if param == name and key in values
                 for v in more]
        allowed = frozenset(values + extra)
        return _enum_check(allowed, tuple(sorted(allowed)))
    kind = schema.get("type")
    if kind == "integer":
        return _int_check(schema.get("minimum"), schema.get("maximum"))
    if kind == "boolean":  # live spellings of a boolean are listed under its "true" key
        live = REQUEST_LIVE_VALUES.get((name, "true"), ())
        return _enum_check(frozenset(("true", "false", *live)), ("false", "true"))
    if kind == "string":
        return _string_check(schema)
    return None


def _param_check(name: str, schema: dict[str, Any]) -> Check | None:
    schema = _resolve(schema, "schemas")
    if schema.get("type") == "array":
        item = _scalar_check(schema.get("items", {}), name)
        max_items = schema.get("maxItems")
        if item is None and max_items is None:
            return None
        return _list_check(item, max(schema.get("minItems", 1), 1), max_items)
    return _scalar_check(schema, name)


def _accept(name: str, value: str) -> None:
    """A declared parameter the spec puts no constraint on."""


class QueryRules:
    """What one operation's query may hold."""

    __slots__ = ("checks", "declared", "required")

    def __init__(self, checks: dict[str, Check], declared: str, required: tuple[str, ...] = ()) -> None:
        self.checks = checks
        self.declared = declared
        self.required = required  # query parameters the operation cannot do without

    def check(self, query: list[tuple[str, str]]) -> None:
        checks = self.checks
        for name, value in query:
            found = checks.get(name)
            if found is not None:
                found(name, value)
            elif not name.startswith("oauth_"):  # OAuth 1.0a parameters some clients sign into the query
                raise errors.invalid_param(name, value, f"The query parameter [{name}] is not one of [{self.declared}]")
        if self.required:
            given = {name for name, _ in query}
            for name in self.required:
                if name not in given:
                    raise errors.invalid_param(name, "", f"The `{name}` query parameter can not be empty")


def compile_operation(operation: dict[str, Any]) -> QueryRules:
    """The rules for one spec operation (its `parameters`, `in: query`)."""
    checks: dict[str, Check] = {}
    declared: list[str] = []
    required: list[str] = []
    for raw in operation.get("parameters", ()):
        param = _resolve(raw, "parameters")
        declared.append(param["name"])
        if param.get("in") != "query":
            continue
        name = param["name"]
        if param.get("required"):
            required.append(name)
        check = _param_check(name, param.get("schema", {})) or _accept
        for spelling in (name, *REQUEST_PARAM_ALIASES.get(name, ())):
            checks.setdefault(spelling, check)
    return QueryRules(checks, ",".join(declared), tuple(required))


def for_operations(wanted: Iterable[tuple[str, str, str]]) -> dict[str, QueryRules]:
    """Rules by operationId for the (operationId, method, path) triples the spec has."""
    paths = spec()["paths"]
    rules: dict[str, QueryRules] = {}
    for operation_id, method, path in wanted:
        operation = paths.get(path, {}).get(method.lower())
        if operation is not None and operation.get("operationId") == operation_id:
            rules[operation_id] = compile_operation(operation)
    return rules
