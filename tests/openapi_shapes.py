"""Check response bodies against X's published OpenAPI spec (tests/spec/openapi.json, 2.167)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

SPEC = Path(__file__).parent / "spec" / "openapi.json"


@cache
def _spec() -> dict:
    return json.loads(SPEC.read_text())


def assert_matches(path: str, method: str, status: int, body: dict) -> None:
    """Validate `body` against the spec's response schema for that operation and status."""
    spec = _spec()
    op = spec["paths"][path][method.lower()]
    content = op["responses"][str(status)]["content"]["application/json"]
    schema = {**content["schema"], "components": spec["components"]}
    jsonschema.validate(body, schema)
