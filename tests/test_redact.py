"""Secrets leave the simulator only as fingerprints."""

from __future__ import annotations

import pytest

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.control.api import get_settings
from xmock.simulator.redact import fingerprint, is_credential_name, redact_params, redact_query, redact_url
from xmock.simulator.store import open_store


def test_a_fingerprint_is_stable_short_and_not_the_secret():
    assert fingerprint("s3cret") == fingerprint("s3cret")
    assert fingerprint("s3cret") != fingerprint("s3cret2")
    assert fingerprint("s3cret").startswith("fp:") and "s3cret" not in fingerprint("s3cret")
    assert fingerprint(None) is None and fingerprint("") is None


def test_credential_parameters_are_fingerprinted():
    shown = redact_params([("oauth_token", "tok"), ("max_results", "10"), ("code_verifier", "v" * 43)])
    assert shown == {"oauth_token": fingerprint("tok"), "max_results": "10", "code_verifier": fingerprint("v" * 43)}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@cache:6380/1", f"redis://:{fingerprint('s3cret')}@cache:6380/1"),
        ("rediss://app:s3cret@cache/0", f"rediss://app:{fingerprint('s3cret')}@cache/0"),
    ],
)
def test_a_store_url_is_shown_without_its_password(url, shown):
    assert redact_url(url) == shown


def test_the_redis_password_stays_out_of_errors_and_the_settings_endpoint():
    with pytest.raises(ConnectionError) as caught:
        open_store(Settings(store="redis://:s3cret@127.0.0.1:1/0"))
    assert "s3cret" not in str(caught.value)
    sim = Simulator()
    sim.settings = sim.settings.updated(store="redis://:s3cret@cache:6379/0")
    assert "s3cret" not in str(get_settings(sim, None, {}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("oauth_token", True),
        ("access_token", True),
        ("refresh_token", True),
        ("client_secret", True),
        ("Password", True),
        ("code", True),
        ("code_verifier", True),
        ("oauth_verifier", True),
        ("pagination_token", False),  # X's paging cursor
        ("next_token", False),
        ("token_type_hint", False),
        ("max_results", False),
        ("codes", False),
    ],
)
def test_one_predicate_says_which_names_carry_credentials(name, credential):
    assert is_credential_name(name) is credential


def test_a_raw_query_keeps_its_bytes_but_not_its_credentials():
    shown = redact_query("max_results=5&access_token=a%2Bb&pagination_token=p1&flag")
    assert shown == f"max_results=5&access_token={fingerprint('a+b')}&pagination_token=p1&flag"


def test_a_failed_signature_shows_credential_parameters_as_fingerprints(world, sim, http):
    from requests_oauthlib import OAuth1

    wrong = OAuth1(world.app.consumer_key, "not-the-secret", world.token.token, world.token.secret)
    query = {"client_secret": "qs-secret-1", "password": "hunter22", "max_results": "5"}
    r = http.get(world.url("/2/users/me"), params=query, auth=wrong)
    assert r.status_code == 401
    entry = sim.journal(status=401)[-1]
    base = entry["diagnosis"]["signature_candidates"][0]["base_string"]
    assert "max_results%3D5" in base
    assert fingerprint("qs-secret-1") in base and fingerprint("hunter22") in base
    assert "qs-secret-1" not in str(entry) and "hunter22" not in str(entry)
