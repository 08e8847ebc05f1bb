"""Fuzzing the X surface in-process: hostile variants of every class of input that once broke it, and
schemathesis against X's OpenAPI spec for the operations the simulator implements.

Every request must get an answer below 500, and `GET /_xmock/health` must answer 200 after it.
Requests made: 5 hostile strategies x 40 examples, schemathesis 20 operations x 10 examples, each
followed by a health check: about 800 requests in all.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xmock.simulator import Simulator
from xmock.simulator.inprocess import InProcessBridge
from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.spec import SPEC_PATH

SPEC = SPEC_PATH
HOST = "https://api.x.com"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def bridge():
    sim = Simulator()
    account = sim.create_account("Fuzz")
    app = sim.create_app(account.id, "Fuzzer", use_case="fuzz", callback_urls=["https://f.example/cb"],
                         permission="read-write")
    user = sim.create_user(username="fuzz", name="Fuzz", account_id=account.id)
    scopes = "tweet.read tweet.write users.read like.write media.write offline.access"
    token, _ = sim.mint_oauth2_token(app.id, user.id, scopes)
    b = InProcessBridge(sim)
    b.auth = f"Bearer {token.token}"  # type: ignore[attr-defined]
    b.user_id = user.id  # type: ignore[attr-defined]
    yield b
    b.close()


def _send(bridge, method: str, target: str, body: bytes = b"", headers: list | None = None) -> int:
    hdrs = [("authorization", bridge.auth), *(headers or [])]
    status, _, _ = bridge.request(method, HOST + target, hdrs, body)
    assert status < 500, (method, target[:200], body[:200], status)
    health, _, _ = bridge.request("GET", HOST + "/_xmock/health", [], b"")
    assert health == 200, (method, target[:200], body[:200])
    return status


# Numbers str.isdigit() takes and int() refuses or misreads, and other hostile number-like text.
_DIGITISH = st.sampled_from(
    ["²", "٣", "١٢٣", "1²", "+1", "-1", " 1", "1_0", "0x1", "1\n", "9" * 25, "9" * 5000, "", "%"]
)
NUMBERISH = st.one_of(_DIGITISH, st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
                      st.integers(min_value=0, max_value=10**30).map(str))
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
RAW_JSON_ATOM = st.sampled_from([b"1e400", b"NaN", b"-Infinity", b'"\\ud800"', b'"a\\udfffb"', b"9" * 5000,
                                 b"[" * 3000 + b"]" * 3000, b"12345678901234567890123"])
NUMBER_ROUTES = [
    ("GET", "/2/tweets/search/recent?query=hi&since_id={}"),
    ("GET", "/2/users/{uid}/tweets?until_id={}"),
    ("GET", "/2/users/{uid}/tweets?max_results={}"),
    ("GET", "/2/tweets?ids={}"),
    ("GET", "/2/tweets/{}"),
    ("GET", "/2/users/{}"),
    ("GET", "/2/usage/tweets?days={}"),
    ("GET", "/2/media/upload?command=STATUS&media_id={}"),
    ("DELETE", "/2/users/{uid}/likes/{}"),
]
BODY_ROUTES = ["/2/tweets", "/2/media/upload", "/2/media/upload/initialize", "/2/media/metadata",
               "/2/users/{uid}/likes", "/2/users/{uid}/retweets", "/2/media/upload/1/append"]
FIELDS = ["text", "reply", "quote_tweet_id", "poll", "media", "media_category", "media_type", "total_bytes",
          "segment_index", "media", "id", "metadata", "tweet_id", "additional_owners", "reply_settings"]


@FUZZ
@given(route=st.sampled_from(NUMBER_ROUTES), value=NUMBERISH)
def test_numbers_in_query_and_path(bridge, route, value):
    method, pattern = route
    _send(bridge, method, pattern.replace("{uid}", bridge.user_id).format(quote(value, safe="")))


@FUZZ
@given(path=st.sampled_from(BODY_ROUTES), fields=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUE, max_size=4))
def test_json_bodies_with_wrong_types(bridge, path, fields):
    body = json.dumps(fields).encode()
    _send(bridge, "POST", path.replace("{uid}", bridge.user_id), body, [("content-type", "application/json")])


@FUZZ
@given(path=st.sampled_from(BODY_ROUTES), field=st.sampled_from(FIELDS), atom=RAW_JSON_ATOM,
       nest=st.sampled_from(["{}", '{"x": [{}]}', '{"reply": {}}', '{"poll": {"options": ["a", {}]}}']))
def test_json_bodies_json_forbids(bridge, path, field, atom, nest):
    body = nest.replace("{}", '{"' + field + '": ATOM}', 1).encode().replace(b"ATOM", atom)
    _send(bridge, "POST", path.replace("{uid}", bridge.user_id), body, [("content-type", "application/json")])


@FUZZ
@given(word=st.sampled_from(["www.", "a-", "(a)", "https://x.com/", "a.co", "#a.co ", "@a.com ", "\U0001F600x.com"]),
       n=st.integers(min_value=1, max_value=40_000))
def test_long_and_url_heavy_post_text(bridge, word, n):
    text = (word * (n // len(word) + 1))[:n]
    _send(bridge, "POST", "/2/tweets", json.dumps({"text": text}).encode(), [("content-type", "application/json")])


@FUZZ
@given(
    query=st.lists(st.tuples(st.sampled_from(["query", "ids", "max_results", "tweet.fields", "%", "%zz", "a"]),
                             st.sampled_from(["%FF", "%C3%28", "%", "%%", "x" * 3000, "hi", "1,2,3"])),
                   max_size=200),
    header=st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
    ctype=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "multipart/form-data",
                           "multipart/form-data; boundary=xx", "text/plain", ""]),
    body=st.sampled_from([b"", b"a=b&c", b"--xx\r\nContent-Disposition: form-data; name=\"media\"\r\n\r\n\xff\r\n",
                          b"--xx--", b"{\"text\": \"hi\"}", b"\xff\xfe\x00"]),
    path=st.sampled_from(["/2/tweets/search/recent", "/2/tweets", "/2/media/upload", "/1.1/media/upload.json",
                          "/2/users/by/username/" + "é" * 300, "/2/" + "a/" * 2000]),
    method=st.sampled_from(["GET", "POST"]),
)
def test_hostile_query_headers_and_bodies(bridge, query, header, ctype, body, path, method):
    target = path + "?" + "&".join(f"{k}={v}" for k, v in query)
    _send(bridge, method, quote(target, safe="/?&=%,"), body, [("content-type", ctype), ("x-junk", header)])


def _implemented_operations() -> list[str]:
    return sorted({ep.name for ep in ENDPOINTS if ep.path.startswith("/2/") and ep.name[0].islower()})


@pytest.fixture(scope="module")
def spec():
    return schemathesis.openapi.from_path(SPEC).include(operation_id=_implemented_operations())


def test_schemathesis_operations_of_the_route_table(bridge, spec):
    operations = [op.ok() for op in spec.get_all_operations()]
    assert operations, "no implemented operation found in the spec"

    for operation in operations:
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):
            path = case.formatted_path
            query = "&".join(f"{quote(str(k))}={quote(str(v))}" for k, v in (case.query or {}).items())
            body = b"" if case.body is None or not isinstance(case.body, (dict, list, str, int, float, bool)) \
                else json.dumps(case.body).encode()
            _send(bridge, case.method.upper(), path + ("?" + query if query else ""), body,
                  [("content-type", "application/json")])

        check()
