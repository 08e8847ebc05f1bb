"""RFC 3986 percent-encoding as OAuth 1.0a signs it, and decoding as X reads headers."""

from __future__ import annotations

import random
from urllib.parse import quote, unquote

import pytest

from xmock.simulator.oauth1.encoding import pct, unpct


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("abcXYZ019", "abcXYZ019"),
        ("-._~", "-._~"),
        ("a b+c/d=e&f", "a%20b%2Bc%2Fd%3De%26f"),
        ("Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"),
        ("é", "%C3%A9"),
        ("☃", "%E2%98%83"),
        ("", ""),
    ],
)
def test_pct_encodes_all_but_the_unreserved_characters_with_uppercase_hex(raw, encoded):
    assert pct(raw) == encoded


def test_pct_agrees_with_urllib_on_random_text():
    rng = random.Random(5849)
    alphabet = "aZ09-._~ %+/=&é☃\u00e9\x7f!*'()"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert pct(text) == quote(text, safe="-._~")


def test_unpct_agrees_with_urllib_including_malformed_escapes():
    rng = random.Random(3986)
    alphabet = "ab%12345FfGgé~"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        try:
            want: str | None = unquote(text, errors="strict")
        except UnicodeDecodeError:
            want = None
        try:
            got: str | None = unpct(text)
        except UnicodeDecodeError:
            got = None
        assert got == want, text


def test_unpct_refuses_bytes_that_are_not_utf8():
    for bad in ("%FF", "%C3", "ok%E2%98"):
        with pytest.raises(UnicodeDecodeError):
            unpct(bad)
