"""JSON request bodies checked against the spec's request-body schemas, with X's 400 wording.

X's body 400s are its JSON-schema validator's messages (`$.text: integer found, string expected`,
`$.foo: is not defined in the schema and the schema does not allow additional properties`). One validator per
operation with a JSON body is compiled at start (jsonschema_rs, Draft 4 as OpenAPI 3.0 means it); a valid body
costs one native call, only a refused one pays for building X's message. Requests without a body pay nothing.
Where the live API takes what 2.167 refuses, spec_drift.REQUEST_BODY_LIVE widens the schema first.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import jsonschema_rs

from xmock.simulator import errors
from xmock.simulator.spec import spec
from xmock.simulator.spec_drift import REQUEST_BODY_LIVE
from xmock.simulator.xrequest import XRequest

_JSON = "application/json"
# Which of a body's faults X names first: unknown keys, then missing ones, then bad values in document order.
_FIRST = {"AdditionalProperties": 0, "Required": 1}


class BodyRules:
    """What one operation's JSON body may hold."""

    __slots__ = ("json_only", "validator")

    def __init__(self, validator: jsonschema_rs.Validator, json_only: bool) -> None:
        self.validator = validator
        self.json_only = json_only  # False: the operation also takes multipart, checked only when JSON is sent

    def check(self, req: XRequest) -> None:
        if not self.json_only and not req.headers.get("content-type", "").startswith(_JSON):
            return
        body = req.json_object()
        if self.validator.is_valid(body):
            return
        raise _problem(self.validator.iter_errors(body))


def _path(parts: Iterable[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _problem(found: Iterable[jsonschema_rs.ValidationError]) -> errors.XError:
    """X's 400 for the first fault of a refused body."""
    ranked = sorted(enumerate(found), key=lambda pair: (_FIRST.get(type(pair[1].kind).__name__, 2), pair[0]))
    error = ranked[0][1]
    kind = error.kind
    name = type(kind).__name__
    path = _path(error.instance_path)
    where = "$" + path
    if name == "Type":
        expected = kind.types[0] if kind.types else "value"
        return errors.type_mismatch(path[1:] if path.startswith(".") else path, error.instance, expected)
    if name == "AdditionalProperties":
        key = kind.unexpected[0]
        return errors.invalid_request(
            f"{where}.{key}: is not defined in the schema and the schema does not allow additional properties"
        )
    if name == "Required":
        return errors.invalid_request(f"{where if path else '$.' + kind.property}: required property "
                                      f"'{kind.property}' not found")
    if name == "Enum":
        listed = ", ".join(str(v) for v in kind.options)
        return errors.invalid_request(f"{where}: does not have a value in the enumeration [{listed}]")
    if name == "Pattern":
        return errors.invalid_request(f"{where}: does not match the regex pattern {kind.pattern}")
    if name == "MinLength":
        return errors.invalid_request(f"{where}: must be at least {kind.limit} characters long")
    if name == "MaxLength":
        return errors.invalid_request(f"{where}: may only be {kind.limit} characters long")
    if name == "MinItems":
        return errors.invalid_request(f"{where}: there must be a minimum of {kind.limit} items in the array")
    if name == "MaxItems":
        return errors.invalid_request(f"{where}: there must be a maximum of {kind.limit} items in the array")
    if name == "Minimum":
        return errors.invalid_request(f"{where}: must have a minimum value of {kind.limit}")
    if name == "Maximum":
        return errors.invalid_request(f"{where}: must have a maximum value of {kind.limit}")
    if name == "UniqueItems":
        return errors.invalid_request(f"{where}: the items in the array must be unique")
    if name in ("AnyOf", "OneOfNotValid"):
        branches = [list(branch) for branch in kind.context]
        wanted = [b[0].kind.property for b in branches if len(b) == 1 and type(b[0].kind).__name__ == "Required"]
        if wanted and len(wanted) == len(branches):  # X's "At least one of `text`, `attachments` is required."
            return errors.invalid_request(f"{where}: at least one of [{', '.join(wanted)}] is required")
        if branches and branches[0]:
            return _problem(branches[0])
    return errors.invalid_request(f"{where}: {error.message}")


def _body_schema(operation: dict[str, Any]) -> tuple[dict[str, Any], bool] | None:
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get(_JSON)
    if media is None or "schema" not in media:
        return None
    return media["schema"], len(content) == 1


def _components(operation_id: str) -> dict[str, Any]:
    """The spec's components, widened where the live API takes more than 2.167 for this operation."""
    components = spec()["components"]
    widen = [(where, more) for (op, where), more in REQUEST_BODY_LIVE.items() if op == operation_id]
    if not widen:
        return components
    components = {**components, "schemas": copy.deepcopy(components["schemas"])}
    for (schema_name, *path), more in widen:
        node = components["schemas"][schema_name]
        for step in path:
            node = node[step]
        node.update(more)
    return components


def compile_operation(operation_id: str, operation: dict[str, Any]) -> BodyRules | None:
    found = _body_schema(operation)
    if found is None:
        return None
    schema, json_only = found
    # The components ride along so the schema's `#/components/schemas/...` references resolve.
    root = {**schema, "components": _components(operation_id)}
    return BodyRules(jsonschema_rs.Draft4Validator(root), json_only)


def for_operations(wanted: Iterable[tuple[str, str, str]]) -> dict[str, BodyRules]:
    """Body rules by operationId for the (operationId, method, path) triples whose spec operation takes JSON."""
    paths = spec()["paths"]
    rules: dict[str, BodyRules] = {}
    for operation_id, method, path in wanted:
        operation = paths.get(path, {}).get(method.lower())
        if operation is not None and operation.get("operationId") == operation_id:
            compiled = compile_operation(operation_id, operation)
            if compiled is not None:
                rules[operation_id] = compiled
    return rules
