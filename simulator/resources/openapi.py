"""GET /2/openapi.json: X serves its own spec, without authentication; xmock serves the copy it ships."""

from __future__ import annotations

from xmock.simulator.pipeline import Call
from xmock.simulator.spec import spec_bytes
from xmock.simulator.xrequest import Reply


def document(call: Call) -> Reply:
    """GET /2/openapi.json"""
    return Reply(200, spec_bytes())
