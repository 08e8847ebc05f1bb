"""Every operation of X's spec is simulated by the endpoint table; one left out would answer as not simulated."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest
import requests
from openapi_shapes import assert_matches

from xmock.simulator.pipeline import XSurface
from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.spec import SpecIndex, operations, spec, spec_bytes

SIMULATED = {(e.method, e.path): e for e in ENDPOINTS}
README = Path(__file__).resolve().parent.parent / "README.md"
EVERY_OPERATION = "every operation of X's v2 spec 2.167"
def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "1234567890", path)


def test_the_shipped_spec_is_x_2_167():
    assert spec()["info"]["version"] == "2.167"
    assert len(operations()) > 150


def test_every_simulated_spec_path_uses_the_specs_operation_id():
    for op in operations():
        endpoint = SIMULATED.get((op.method, op.path))
        if endpoint is not None:
            assert endpoint.name == op.operation_id, (op.method, op.path)


def test_the_index_prefers_a_static_path_to_a_template():
    index = SpecIndex()
    assert index.find("GET", "/2/users/me").operation_id == "getUsersMe"
    assert index.find("GET", "/2/users/42").operation_id == "getUsersById"
    assert index.find("GET", "/2/nothing/here") is None
    assert index.find("PATCH", "/2/users/me") is None


def test_every_operation_x_has_is_answered_simulated_or_not(base, sim):
    simulated, pending = 0, []
    for op in operations():
        url = base + _concrete(op.path)
        answer = requests.request(op.method, url, timeout=10)
        assert answer.status_code < 500, (op.method, op.path, answer.status_code)
        marker = answer.headers.get("x-xmock-not-simulated")
        if (op.method, op.path) in SIMULATED:
            assert marker is None, op
            simulated += 1
        else:
            assert answer.status_code == 404 and marker == op.operation_id, (op.method, op.path)
            assert answer.json()["title"] == "Not Found Error"
            pending.append(op.operation_id)
    print(f"{simulated} of {len(operations())} spec operations simulated; not yet: {len(pending)}")
    assert simulated >= 20


def test_every_spec_operation_is_simulated(base, sim):
    """The closing check: no operation of the spec answers x-xmock-not-simulated."""
    unanswered = []
    for op in operations():
        answer = requests.request(op.method, base + _concrete(op.path), timeout=10)
        if answer.headers.get("x-xmock-not-simulated") is not None:
            unanswered.append(op.operation_id)
    assert unanswered == []
    assert all((op.method, op.path) in SIMULATED for op in operations())


def test_the_readme_claims_every_operation_only_when_it_is_so():
    every = all((op.method, op.path) in SIMULATED for op in operations())
    assert (EVERY_OPERATION in README.read_text()) == every


def test_an_operation_left_out_answers_not_simulated_and_is_journalled(sim):
    """What a newer spec's operation meets: X's 404, the header naming it, a journal entry that says so."""
    surface = XSurface(sim, [e for e in ENDPOINTS if e.name != "getCommunitiesById"])
    transport = httpx.ASGITransport(app=surface)  # the surface alone, in process

    async def ask() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get("/2/communities/1234")

    answer = asyncio.run(ask())
    assert answer.status_code == 404 and answer.headers["x-xmock-not-simulated"] == "getCommunitiesById"
    assert answer.json()["title"] == "Not Found Error"
    (entry,) = [e for e in sim.journal() if e["path"] == "/2/communities/1234"]
    assert entry["status"] == 404
    assert "not simulated: getCommunitiesById" in str(entry)


@pytest.mark.parametrize("path", ["/2/nothing/here", "/2/users/1/nothing"])
def test_paths_x_does_not_have_stay_plain_404s(base, sim, path):
    answer = requests.get(base + path, timeout=10)
    assert answer.status_code == 404
    assert "x-xmock-not-simulated" not in answer.headers


def test_the_spec_is_served_as_x_serves_it(base, sim):
    answer = requests.get(base + "/2/openapi.json", timeout=10)  # no credentials: X asks for none
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.content == spec_bytes()  # the shipped file, byte for byte
    assert answer.json()["info"]["version"] == "2.167"
    assert_matches("/2/openapi.json", "get", 200, answer.json())


def test_the_readme_states_the_measured_coverage():
    simulated = sum((op.method, op.path) in SIMULATED for op in operations())
    readme = README.read_text()
    claim = re.search(r"xmock simulates (\d+) of the (\d+) operations in X's OpenAPI spec", readme)
    assert claim is not None, "the README no longer states how many operations are simulated"
    assert (int(claim.group(1)), int(claim.group(2))) == (simulated, len(operations()))
