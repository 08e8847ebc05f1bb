import random

import pytest

from xmock.simulator.oauth1 import params
from xmock.simulator.oauth1.params import OAuthFormatError, parse_header, signed_request
from xmock.simulator.oauth1.signature import normalized_params


def test_header_in_any_order_and_separator():
    a = parse_header('OAuth oauth_nonce="n", oauth_consumer_key="ck", oauth_signature="a%2Bb%3D"')
    b = parse_header('OAuth oauth_consumer_key="ck",oauth_nonce="n",oauth_signature="a%2Bb%3D"')
    assert a == b == {"oauth_nonce": "n", "oauth_consumer_key": "ck", "oauth_signature": "a+b="}


def test_realm_is_ignored_and_scheme_is_case_insensitive():
    assert parse_header('oauth realm="X", oauth_nonce="n"') == {"oauth_nonce": "n"}


@pytest.mark.parametrize(
    "header",
    [
        'OAuth oauth_nonce="n" junk',
        "Basic abc",
        'OAuth oauth_nonce="%FF"',
        'OAuth oauth_nonce="a", oauth_nonce="b"',
    ],
)
def test_garbled_headers(header):
    with pytest.raises(OAuthFormatError) as exc:
        parse_header(header)
    assert exc.value.kind == "garbled"


FULL = (
    'OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="s", '
    'oauth_signature_method="HMAC-SHA1", '
    'oauth_timestamp="1", oauth_token="1-t", oauth_version="1.0"'
)


def test_the_same_token_in_header_and_query_is_signed_once():
    signed = signed_request(FULL, [("oauth_token", "1-t"), ("oauth_verifier", "v")], [])
    assert sorted(signed.params).count(("oauth_token", "1-t")) == 1
    assert signed.oauth["oauth_verifier"] == "v"
    assert signed.signature == "s"


def test_conflicting_token_values_are_garbled():
    with pytest.raises(OAuthFormatError):
        signed_request(FULL, [("oauth_token", "2-other")], [])


def test_parameters_may_all_come_from_the_form_body():
    body = [
        ("oauth_consumer_key", "ck"),
        ("oauth_nonce", "n"),
        ("oauth_signature", "s"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1"),
        ("status", "hi"),
    ]
    signed = signed_request(None, [], body)
    assert ("status", "hi") in signed.params
    assert all(k != "oauth_signature" for k, _ in signed.params)


def test_no_oauth_at_all_is_none_and_missing_pieces_are_named():
    assert signed_request(None, [("a", "b")], []) is None
    with pytest.raises(OAuthFormatError) as exc:
        signed_request('OAuth oauth_consumer_key="ck"', [], [])
    assert exc.value.kind == "missing"
    assert "oauth_signature" in exc.value.reason and "oauth_nonce" in exc.value.reason


def test_non_numeric_timestamp_is_garbled():
    with pytest.raises(OAuthFormatError):
        signed_request(FULL.replace('oauth_timestamp="1"', 'oauth_timestamp="soon"'), [], [])


def _general_or_error(header):
    try:
        return params._general(header, [], [])
    except OAuthFormatError as exc:
        return exc.kind


def test_the_one_pass_reading_agrees_with_the_general_one():
    """Headers as clients write them, and mangled ones: where the one-pass reading answers, it
    answers what the general reading does, base-string parameters included; where it declines,
    the general reading decides."""
    rng = random.Random(5849)
    good = ["ck", "1-t", "HMAC-SHA1", "1700000000", "1.0", "a%2Bb%3D", "%7Etilde", "%7etilde", "sp%20ace"]
    good += ["oob", "http%3A%2F%2Fx.co%2Fcb", "%E2%9C%93", "UPPER-lower_9.~", "a%2", "a+b", "a b", "x=y", "%2b%2f"]
    bad = ["", "%FF", "x y", 'q"q', "%C3"]
    usual = ["ck", "1-t", "HMAC-SHA1", "1.0", "oob", "UPPER-lower_9.~"]
    keys = ["oauth_token", "oauth_version", "oauth_callback", "realm", "x_extra", "Oauth_nonce"]
    answered = 0
    for _ in range(3000):
        clean = rng.random() < 0.5  # the usual shape, or one with something wrong
        chosen = [*params.REQUIRED, *rng.sample(keys[: None if not clean else -1], rng.randint(0, 3))]
        if not clean:
            chosen = rng.sample(chosen, rng.randint(1, len(chosen))) + rng.choice([[], [rng.choice(chosen)]])
        rng.shuffle(chosen)
        pairs = []
        for key in chosen:
            value = rng.choice(usual if clean and rng.random() < 0.9 else good if clean or rng.random() < 0.7 else bad)
            if key == "oauth_timestamp" and (clean or rng.random() < 0.7):
                value = str(rng.randint(0, 2**31))
            pairs.append(f"{key}={value}" if not clean and rng.random() < 0.1 else f'{key}="{value}"')
        seps = [", ", ","] if clean else [", ", ",", ",  ", " ,", ";", " "]
        header = "OAuth " if clean else rng.choice(["OAuth ", "oauth ", "OAuth  ", "OAuth ,"])
        header += "".join(p + (rng.choice(seps) if i < len(pairs) - 1 else "") for i, p in enumerate(pairs))
        plain = params._plain_header(header)
        general = _general_or_error(header)
        if plain is None:
            continue
        answered += 1
        assert isinstance(general, params.SignedRequest), header
        assert (plain.oauth, plain.signature, sorted(plain.params)) == (
            general.oauth,
            general.signature,
            sorted(general.params),
        ), header
        assert plain.normalized == normalized_params(general.params), header
    assert answered > 300  # the usual shape does take the one pass
