import subprocess
import sys
from pathlib import Path

import pytest

from xmock.simulator import Settings
from xmock.simulator.control.errors import ControlError


def test_toml_settings_prices_and_limits(tmp_path):
    path = tmp_path / "xmock.toml"
    path.write_text(
        '[simulator]\ntimestamp_window = 600\nconsent_mode = "approve"\ninitial_credits = "25.00"\n'
        '[prices]\nContentCreate = "0.02"\n'
        '[limits]\n"posts:create" = [{who = "user", limit = 5, window = 60}]\n'
    )
    settings = Settings.from_toml(path)
    assert settings.timestamp_window == 600 and settings.consent_mode == "approve"
    assert settings.prices == {"ContentCreate": "0.02"}
    assert settings.limits["posts:create"][0]["limit"] == 5


@pytest.mark.parametrize(
    "text",
    [
        "[simulator]\ncolour = 1\n",
        '[simulator]\nconsent_mode = "maybe"\n',
        "[other]\nx = 1\n",
        '[simulator]\ninitial_credits = "lots"\n',
        "[simulator]\nsimilarity = 2.0\n",
    ],
)
def test_bad_settings_are_refused_clearly(tmp_path, text):
    path = tmp_path / "xmock.toml"
    path.write_text(text)
    with pytest.raises(ValueError):
        Settings.from_toml(path)


def test_unknown_price_class_and_bad_limits_are_refused(world, http):
    r = http.patch(world.url("/_xmock/settings"), json={"prices": {"Nope": "1"}})
    assert r.status_code == 400 and r.json()["error"].startswith("unknown price class 'Nope'; known: ")
    r = http.patch(world.url("/_xmock/settings"), json={"limits": {"users:me": [{"who": "everyone", "limit": 1}]}})
    assert r.status_code == 400
    assert world.session().post(world.url("/2/tweets"), json={"text": "x"}).status_code == 201


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"billing": "no"}, "billing: expected true or false, got 'no'"),
        ({"billing": 0}, "billing: expected true or false, got 0"),
        ({"rate_limits": None}, "rate_limits: expected true or false, got None"),
        ({"similarity": float("nan")}, "similarity: expected a number above 0 up to 1, got nan"),
        ({"media_processing_failure": float("inf")}, "media_processing_failure: expected a number from 0 to 1"),
        ({"timestamp_window": -1}, "timestamp_window: expected an integer from 1 to"),
        ({"journal_size": 2**63}, "journal_size: expected an integer from 1 to 10000000"),
        ({"access_token_ttl": "7200"}, "access_token_ttl: expected an integer"),
        ({"missing_resource_status": 200.0}, "missing_resource_status: expected one of 200, 404, got 200.0"),
        ({"consent_mode": "aprove"}, "consent_mode: expected one of 'page', 'approve', 'deny', got 'aprove'; did you"),
        ({"consent_user": "\ud800"}, "consent_user: text must be valid UTF-8 (no lone surrogates), got '\\ud800'"),
        ({"initial_credits": "NaN"}, "initial_credits: expected a non-negative number of US dollars"),
        ({"prices": {"ContentCreat": "0.02"}}, "unknown price class 'ContentCreat'; did you mean 'ContentCreate'?"),
        ({"prices": {"Post": "-1"}}, "prices.Post: expected a non-negative number"),
        ({"prices": []}, "prices: expected a table of price class to an amount"),
        ({"limits": {"users:mee": []}}, "unknown rate-limit class 'users:mee'; did you mean 'users:me'?"),
        ({"limits": {"users:me": [{"who": "user", "limit": 1, "windw": 60}]}}, "unknown limit field 'windw'; did"),
        ({"limits": {"users:me": [{"who": "user", "limit": True}]}}, "limits.users:me[0].limit: expected an integer"),
        ({"limits": {"users:me": {"who": "user"}}}, "limits.users:me: expected a list of {who, limit, window}"),
        ({"biling": False}, "unknown setting 'biling'; did you mean 'billing'?"),
        ({"access_tier": "self_serve"}, "access_tier: expected one of 'enterprise', 'self-serve', got 'self_serve'"),
        ({"seed": -1}, "seed: expected an integer from 0 to"),
    ],
)
def test_each_setting_has_a_type_and_range(changes, message):
    with pytest.raises(ControlError) as caught:
        Settings().updated(**changes)
    assert caught.value.status == 400 and caught.value.message.startswith(message), caught.value.message
    assert isinstance(caught.value, ValueError)  # what the CLI and older callers catch


def test_checked_values_are_kept_in_one_form():
    settings = Settings(initial_credits=25, prices={"ContentCreate": 0.02}, media_processing_failure=0)
    assert settings.initial_credits == "25.00" and settings.prices == {"ContentCreate": "0.02"}
    assert settings.media_processing_failure == 0.0 and isinstance(settings.media_processing_failure, float)
    limits = Settings(limits={"users:me": [{"who": "user", "limit": 5}]}).limits
    assert limits == {"users:me": [{"who": "user", "limit": 5, "window": 900}]}


def test_configure_refuses_with_the_control_apis_message_and_changes_nothing(world, http, sim):
    r = http.patch(world.url("/_xmock/settings"), json={"duplicate_window": 60, "billing": "no"})
    assert r.status_code == 400
    with pytest.raises(ControlError) as caught:
        sim.configure(duplicate_window=60, billing="no")
    assert caught.value.message == r.json()["error"] == "billing: expected true or false, got 'no'"
    assert sim.settings.duplicate_window == 24 * 3600 and sim.settings.billing is True  # nothing half applied
    r = http.patch(world.url("/_xmock/settings"), data=b'{"similarity": NaN}')
    assert r.status_code == 400 and sim.settings.similarity == 0.85
    assert http.get(world.url("/_xmock/settings")).json()["billing"] is True
    assert world.session().get(world.url("/2/users/me")).status_code == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[simulator]\nbilling = "no"\n', "billing: expected true or false, got 'no'"),
        ("[simulator]\nbiling = false\n", "unknown setting 'biling'; did you mean 'billing'?"),
        ("[simulatr]\nbilling = false\n", "unknown table 'simulatr'; did you mean 'simulator'?"),
        ('[prices]\nContentCreat = "0.02"\n', "unknown price class 'ContentCreat'; did you mean 'ContentCreate'?"),
        ('[limits]\n"users:me" = [{who = "all", limit = 1}]\n', "limits.users:me[0].who: expected 'user' or 'app'"),
        ("[simulator\n", "not valid TOML"),
    ],
)
def test_toml_errors_name_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as caught:
        Settings.from_toml(path)
    assert str(caught.value).startswith(f"{path}: {message}"), str(caught.value)
    assert "\n" not in str(caught.value)


def test_serve_with_a_bad_config_says_so_in_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[simulator]\nbilling = "no"\n')
    xmock = Path(sys.executable).with_name("xmock")
    done = subprocess.run([xmock, "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    out = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2 and "Traceback" not in out
    assert "billing: expected true or false, got 'no'" in out and "config.toml" in out
