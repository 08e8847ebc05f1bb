"""Reading a request body: JSON read fast where that changes nothing, exactly as json reads it."""

from __future__ import annotations

import json

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


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": 1e400}',
        b'{"a": -1E+999}',
        b'{"a": NaN}',
        b'[Infinity]',
        b'{"a": "\\ud800"}',
        b'{"\\udfff": 1}',
        b'{"a": 12345678901234567890, "b": ["x\\udc00y"]}',
        b'{"a": ' + b"9" * 5000 + b"}",
        b"[" * 5000 + b"]" * 5000,
        b'{"a": 12345678901234567890, "b": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
)
def test_what_json_forbids_is_a_400_not_a_value(body):
    """Numbers out of range, NaN, lone surrogates and absurd nesting poison every later answer: refused."""
    with pytest.raises(errors.XError) as exc:
        _req(body).json()
    assert exc.value.status == 400
    assert exc.value.body["errors"][0]["message"].startswith("The request body is not valid JSON: ")


def test_paired_surrogate_escapes_and_tiny_numbers_still_read():
    assert _req(b'{"a": "\\ud83d\\ude00", "b": 12345678901234567890}').json()["a"] == "\U0001F600"
    assert _req(b'{"a": 1e-400, "b": 12345678901234567890}').json()["a"] == 0.0


@pytest.mark.parametrize("body", [b'{"a": }', b"\xef\xbb\xbf{}", b'{"a": "x"', b"nope"])
def test_malformed_bodies_say_what_json_says(body):
    with pytest.raises(errors.XError) as exc:
        _req(body).json()
    with pytest.raises(ValueError) as wrong:
        json.loads(body.decode("utf-8"))
    assert exc.value.body["errors"] == [{"message": f"The request body is not valid JSON: {wrong.value.msg}."}]
