"""Request bodies checked against the spec's flat request schemas, with X's validator wording.

X's 400s read like its JSON-schema validator's (`$.name: integer found, string expected`); this covers the
flat bodies (string and boolean properties, patterns, lengths, required keys, no extra keys) that the list and
bookmark writes take, straight from `simulator/spec/openapi.json`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from xmock.simulator import errors
from xmock.simulator.pipeline import Call
from xmock.simulator.spec import spec


@cache
def _schema(name: str) -> dict[str, Any]:
    return spec()["components"]["schemas"][name]


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def checked_body(call: Call, schema_name: str) -> dict[str, Any]:
    """The JSON body, refused with X's 400 where it breaks the named request schema."""
    body = call.req.json_object()
    schema = _schema(schema_name)
    props: dict[str, Any] = schema.get("properties", {})
    if schema.get("additionalProperties") is False:
        for key in body:
            if key not in props:
                raise errors.invalid_request(
                    f"$.{key}: is not defined in the schema and the schema does not allow additional properties"
                )
    for key in schema.get("required", ()):
        if key not in body:
            raise errors.invalid_request(f"$.{key}: required property '{key}' not found")
    for key, value in body.items():
        rule = props.get(key, {})
        kind = rule.get("type")
        if kind == "boolean" and not isinstance(value, bool):
            raise errors.type_mismatch(key, value, "boolean")
        if kind != "string":
            continue
        if not isinstance(value, str):
            raise errors.type_mismatch(key, value, "string")
        if "pattern" in rule and not _pattern(rule["pattern"]).search(value):
            raise errors.invalid_request(f"$.{key}: does not match the regex pattern {rule['pattern']}")
        if len(value) < rule.get("minLength", 0):
            raise errors.invalid_request(f"$.{key}: must be at least {rule['minLength']} characters long")
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            raise errors.invalid_request(f"$.{key}: may only be {rule['maxLength']} characters long")
    return body
