"""Secrets leave the simulator only as fingerprints."""

from __future__ import annotations

import pytest

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.control.api import get_settings
from xmock.simulator.redact import fingerprint, redact_params, redact_url
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
