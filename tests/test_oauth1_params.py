import pytest

from simulator.oauth1.params import OAuthFormatError, parse_header, signed_request


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
