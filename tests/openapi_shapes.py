"""Check response bodies against X's published OpenAPI spec (2.167, shipped as xmock.simulator.spec)."""

from __future__ import annotations

import jsonschema

from xmock.simulator.spec import spec as _spec


def assert_matches(path: str, method: str, status: int, body: dict) -> None:
    """Validate `body` against the spec's response schema for that operation and status."""
    spec = _spec()
    op = spec["paths"][path][method.lower()]
    responses = op["responses"]
    if str(status) in responses:
        content = responses[str(status)]["content"]["application/json"]
    else:  # errors are the operation's `default` response: a v2 problem, or v1.1's code and message
        media = "application/problem+json" if "type" in body else "application/json"
        content = responses["default"]["content"][media]
    schema = {**content["schema"], "components": spec["components"]}
    jsonschema.validate(body, schema)
