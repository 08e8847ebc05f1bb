"""Check response bodies against X's published OpenAPI spec (2.167, shipped as xmock.simulator.spec), strictly.

Strict means: a key the spec does not declare is a failure (objects that declare `properties` and say nothing
about extra keys get `unevaluatedProperties: false`; the parts of an `allOf` stay open so the whole is checked
once), OpenAPI 3.0's `nullable` is honoured, formats are checked (jsonschema's format checker), and a
discriminated `oneOf` (the problem types) is checked against the schema its discriminator names. Where the
live API differs from 2.167, `xmock.simulator.spec_drift` says how, once: bodies are translated to 2.167's names
and the schemas get the live additions before validation.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import jsonschema

from xmock.simulator.spec import spec as _spec
from xmock.simulator.spec_drift import SCHEMA_ADDITIONS, SCHEMAS_LIVE_ONLY, to_spec

_OPEN = "__open"  # suffix of a component kept without the injected strictness (an allOf part)
_FORMATS = jsonschema.FormatChecker()
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


@_FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    """RFC 3339 (jsonschema checks it only with an optional package installed)."""
    return not isinstance(value, str) or _DATE_TIME.match(value) is not None


def _strict(node: Any, inject: bool = True) -> Any:
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "allOf":
            out[key] = [_open_part(part) for part in value]
        elif key in ("properties", "patternProperties", "$defs"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    nullable = out.pop("nullable", False)
    discriminator = out.get("discriminator")
    if discriminator and "mapping" in discriminator and ("oneOf" in out or "anyOf" in out):
        # OpenAPI's discriminator: the body's `type` picks the one schema to check it against.
        prop, mapping = discriminator["propertyName"], discriminator["mapping"]
        alternatives = out.pop("oneOf", None) or out.pop("anyOf")
        named = [
            {"if": {"properties": {prop: {"const": value}}, "required": [prop]}, "then": {"$ref": ref}}
            for value, ref in mapping.items()
        ]
        out["anyOf"] = alternatives
        out["allOf"] = named
    declares = "properties" in out or "allOf" in out
    if inject and declares and "additionalProperties" not in out and "unevaluatedProperties" not in out:
        out["unevaluatedProperties"] = False
    return {"anyOf": [out, {"type": "null"}]} if nullable else out


def _open_part(part: Any) -> Any:
    if isinstance(part, dict) and "$ref" in part:
        return {"$ref": part["$ref"] + _OPEN}
    return _strict(part, inject=False)


@cache
def _components() -> dict[str, Any]:
    components = copy.deepcopy(_spec()["components"])
    components["schemas"].update(copy.deepcopy(SCHEMAS_LIVE_ONLY))
    for name, additions in SCHEMA_ADDITIONS.items():
        schema = components["schemas"][name]
        for key, value in additions.items():
            if key == "properties":
                schema.setdefault("properties", {}).update(value)
            elif key == "enum":  # more values for an enum-typed property: (property, values)
                prop, values = value
                schema["properties"][prop]["enum"] = [*schema["properties"][prop]["enum"], *values]
            else:
                schema[key] = value
    schemas = components["schemas"]
    strict = {name: _strict(schema) for name, schema in schemas.items()}
    strict.update({name + _OPEN: _strict(schema, inject=False) for name, schema in schemas.items()})
    return {**components, "schemas": strict}


def schema_for(path: str, method: str, status: int, body: dict) -> dict[str, Any]:
    op = _spec()["paths"][path][method.lower()]
    responses = op["responses"]
    if str(status) in responses:
        content = responses[str(status)]["content"]["application/json"]
    else:  # errors are the operation's `default` response: a v2 problem, or v1.1's code and message
        media = "application/problem+json" if "type" in body else "application/json"
        content = responses["default"]["content"][media]
    return {**_strict(content["schema"]), "components": _components()}


def assert_matches(path: str, method: str, status: int, body: dict) -> None:
    """Validate `body` (live names translated to 2.167's) against the spec's schema for that operation and status."""
    schema = schema_for(path, method, status, body)
    jsonschema.Draft202012Validator(schema, format_checker=_FORMATS).validate(to_spec(body))
