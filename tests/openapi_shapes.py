"""Check response bodies against X's published OpenAPI spec (2.167, shipped as xmock.simulator.spec)."""

from __future__ import annotations

import jsonschema

from xmock.simulator.spec import spec as _spec


def assert_matches(path: str, method: str, status: int, body: dict) -> None:
    """Validate `body` against the spec's response schema for that operation and status."""
    spec = _spec()
    op = spec["paths"][path][method.lower()]
    content = op["responses"][str(status)]["content"]["application/json"]
    schema = {**content["schema"], "components": spec["components"]}
    jsonschema.validate(body, schema)
