"""Hostile JSON at every control route: nothing answers 5xx, and nothing refused poisons later requests.

Every example sends one hostile request to a route taken from the control route table, then checks
that health, the journal and a signed X request still answer. Requests per run: MAX_EXAMPLES x 4
(the hostile one and three checks) plus the fixed cases below, printed at the end of the test.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import fields
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from signing import oauthlib_headers

from xmock.simulator import Settings, Simulator
from xmock.simulator.control.api import APP_FIELDS
from xmock.simulator.control.api import routes as control_routes
from xmock.simulator.fault_strikes import ConnectionDropped
from xmock.simulator.faults import FIELDS as FAULT_FIELDS
from xmock.simulator.inprocess import InProcessBridge

MAX_EXAMPLES = 300
BASE = "https://api.x.com"

SIM = Simulator(Settings(seed=7))
BRIDGE = InProcessBridge(SIM)
ROUTES = [
    (method, route.path) for route in control_routes(SIM) for method in sorted(route.methods or ()) if method != "HEAD"
]
NAMES = sorted(
    {f.name for f in fields(Settings)}
    | set(FAULT_FIELDS)
    | set(APP_FIELDS)
    | {"freeze", "at", "set", "advance", "resume", "reset", "name", "owner_user_id", "account_id", "id"}
    | {"username", "description", "location", "url", "protected", "verified", "profile_image_url"}
    | {"app_id", "user_id", "token", "secret", "access_level", "scopes", "oauth_token", "user", "approve"}
    | {"amount", "enabled", "limits", "biling", "posts:create", "ContentCreate", "who", "window"}
)
SURROGATES = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63), 2**64 + 1, 10**400, 0, -1, 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    SURROGATES,
    st.sampled_from(NAMES),
    st.sampled_from(
        [
            *("Infinity", "-Infinity", "NaN", "1e400", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"),
            *("2026-03-01T00:00:00Z", "10000-01-01", "/2/tweets", "/1.1/*", "no", "0.015", "user", "app"),
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
BODIES = st.dictionaries(st.sampled_from(NAMES) | SURROGATES, VALUES, max_size=4).map(
    lambda body: json.dumps(body, allow_nan=True).encode()  # NaN and Infinity go out as the bare tokens
)
RAW_BODIES = st.sampled_from(
    [
        b"",
        b"null",
        b"[]",
        b'"text"',
        b"{not json",
        b"\xff\xfe\x00",
        b'{"set": NaN}',
        b'{"advance": Infinity}',
        b'{"set": 1e400}',
        b'{"advance": -1e400}',
        b'{"billing": null}',
        b'{"set": ' + b"9" * 4000 + b"}",
        b'{"name": "\\ud800"}',
        b'{"\\udfff": 1}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    ]
)
QUERY_NAMES = ["app", "user", "path", "status", "method", "limit", "author", "rule", "x"]
QUERIES = st.dictionaries(st.sampled_from(QUERY_NAMES), SCALARS.map(str), max_size=3)
COUNTS: Counter[str] = Counter()


def send(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    hdrs = list((headers or {}).items())
    if body:
        hdrs.append(("content-type", "application/json"))
    status, _, out = BRIDGE.request(method, BASE + path, hdrs, body)
    COUNTS["requests"] += 1
    return status, out


def fresh_world() -> dict[str, str]:
    """Back to a known world, through the Python API (the X surface's state is not under test here)."""
    SIM.settings = Settings(seed=7)
    SIM.reset()
    account = SIM.create_account("Fuzz Account")
    app = SIM.create_app(account.id, "Fuzz App", use_case="fuzzing")
    user = SIM.create_user(username="fuzz_user", account_id=account.id)
    token = SIM.mint_oauth1_token(app.id, user.id)
    return {"app": app.id, "user": user.id, "ck": app.consumer_key, "cs": app.consumer_secret,
            "token": token.token, "ts": token.secret}  # fmt: skip


def fill(path: str, world: dict[str, str], hostile: str) -> str:
    """Path parameters: the world's ids, or a hostile value."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if hostile:
            return quote(hostile.encode("utf-8", "surrogatepass"), safe="")
        return world.get(name.removesuffix("_id"), "0")

    return re.sub(r"\{(\w+)\}", value, path)


def still_answers(world: dict[str, str]) -> None:
    status, body = send("GET", "/_xmock/health")
    assert status == 200 and json.loads(body)["status"] == "ok", body
    status, body = send("GET", "/_xmock/journal")
    assert status == 200 and "entries" in json.loads(body), body
    # Faults are state the caller may set on purpose: a latency rule would only slow the run,
    # and a stored status or drop rule explains an X answer of that status.
    for rule in SIM.store.list_faults():
        if rule["action"] == "latency":
            SIM.remove_fault(rule["id"])
    SIM.clear_stubs()  # a stub answers what it was told to; X's own answer is what is checked here
    rules = SIM.store.list_faults()
    url = BASE + "/2/users/me"
    headers = oauthlib_headers(url, "GET", world["ck"], world["cs"], world["token"], world["ts"])
    try:
        status, body = send("GET", "/2/users/me", headers=headers)
    except ConnectionDropped:
        assert any(r["action"] in ("drop", "commit-then-drop") for r in rules)
        return
    explained = {r["status"] for r in rules if r["action"] == "status"}
    assert status < 500 or status in explained, (status, body)
    answer = json.loads(body)
    if status == 200:
        assert answer["data"]["id"] == world["user"]
        COUNTS["signed 200"] += 1
    else:
        assert "errors" in answer or "title" in answer, answer


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    route=st.sampled_from(ROUTES),
    body=BODIES | RAW_BODIES,
    query=QUERIES,
    hostile_param=st.sampled_from(["", "", "", "\ud800", "9" * 30, "..", "%00"]),
)
def hostile_request(route: tuple[str, str], body: bytes, query: dict[str, str], hostile_param: str) -> None:
    world = fresh_world()
    method, path = route
    qs = "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in query.items())
    target = fill(path, world, hostile_param) + (f"?{qs}" if qs else "")
    status, answer = send(method, target, body if method != "GET" else b"")
    COUNTS[f"{status // 100}xx"] += 1
    assert status < 500, (method, target, body[:200], answer)
    json.loads(answer)  # every control answer is JSON
    still_answers(world)


def test_hostile_json_at_every_control_route():
    assert len(ROUTES) >= 38  # the whole table: every method of every control route
    hostile_request()
    print(f"\ncontrol fuzz: {COUNTS['requests']} requests over {len(ROUTES)} routes; {dict(COUNTS)}")
    assert COUNTS["4xx"] > 0 and COUNTS["2xx"] > 0
    assert COUNTS["signed 200"] > MAX_EXAMPLES // 2  # most hostile requests leave the X surface answering 200
