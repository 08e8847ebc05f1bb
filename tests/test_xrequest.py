"""Reading a request body: JSON read fast where that changes nothing, exactly as json reads it."""

from __future__ import annotations

import json
import math

import pytest

from xmock.simulator import errors
from xmock.simulator.xrequest import XRequest


def _req(body: bytes) -> XRequest:
    scope = {"method": "POST", "path": "/2/tweets", "headers": [(b"content-type", b"application/json")]}
    return XRequest(scope, body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "hello", "reply": {"in_reply_to_tweet_id": "1234567890123456789"}}',
        b'{"a": 123456789012345678901234567890}',
        b"[1, -98765432109876543210]",
        b"12345678901234567890123",
        b'{"a": 1, "a": 2}',
        b'{"t": "caf\\u00e9 \\ud83d\\ude00"}',
        b'  {"nested": [true, false, null, 1.5, -0, "x"]}  ',
    ],
)
def test_bodies_read_as_json_reads_them(body):
    got = _req(body).json()
    want = json.loads(body.decode())
    assert got == want and type(got) is type(want)
    assert json.dumps(got) == json.dumps(want)  # ints stay ints, however long


def test_what_only_json_accepts_is_still_accepted():
    assert math.isinf(_req(b'{"a": 1e400}').json()["a"])
    assert _req(b'{"a": "\\ud800"}').json() == {"a": "\ud800"}


@pytest.mark.parametrize("body", [b'{"a": }', b"\xef\xbb\xbf{}", b'{"a": "x"', b"nope"])
def test_malformed_bodies_say_what_json_says(body):
    with pytest.raises(errors.XError) as exc:
        _req(body).json()
    with pytest.raises(ValueError) as wrong:
        json.loads(body.decode("utf-8"))
    assert exc.value.body["errors"] == [{"message": f"The request body is not valid JSON: {wrong.value.msg}."}]
