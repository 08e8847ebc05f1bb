"""The plugin loads from its entry point in a fresh pytest run, with its fixtures and markers."""

pytest_plugins = ["pytester"]

EXAMPLE = """
import pytest
import requests


def test_fixtures(x_sim, x_app, x_user, x_user_oauth2, x_clock):
    assert x_user.oauth1.token.startswith(x_user.id + "-")
    assert x_user_oauth2.oauth2["expires_in"] == 7200
    bearer = {"Authorization": "Bearer " + x_user_oauth2.oauth2["access_token"]}
    r = requests.get(x_sim.url("/2/users/me"), headers=bearer)
    assert r.json()["data"]["id"] == x_user_oauth2.id
    x_clock.advance(7201)
    r = requests.get(x_sim.url("/2/users/me"), headers=bearer)
    assert r.status_code == 401


@pytest.mark.xmock(rate_limits=False, initial_credits="1.00")
@pytest.mark.xmock_credits("0.50")
def test_markers(x_sim, x_app):
    assert x_sim.settings.rate_limits is False
    assert str(x_sim.balance(x_app.id)) == "0.50"


def test_state_is_reset_between_tests(x_sim):
    assert x_sim.store.list_apps() == []


def test_assert_requested_explains_itself(x_sim):
    with pytest.raises(AssertionError, match="expected POST /2/tweets"):
        x_sim.assert_requested("POST", "/2/tweets")
"""


def test_plugin_fixtures_and_markers_in_a_fresh_run(pytester):
    pytester.makepyfile(test_example=EXAMPLE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugin_under_xdist(pytester):
    pytester.makepyfile(test_example=EXAMPLE)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


BAD_MARKERS = """
import pytest


@pytest.mark.xmock(biling=False)
def test_setting(x_sim):
    pass


@pytest.mark.xmock_fault(path=True, status=503)
def test_fault(x_sim):
    pass


@pytest.mark.xmock_credits("lots")
def test_credits(x_app):
    pass
"""


def test_bad_markers_fail_at_setup_with_the_control_apis_message(pytester):
    pytester.makepyfile(test_bad=BAD_MARKERS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.xmock: unknown setting 'biling'; did you mean 'billing'?*",
            "*@pytest.mark.xmock_fault: path: expected a string, got True*",
            '*@pytest.mark.xmock_credits: an amount: expected a decimal number of US dollars, e.g. "7.50", got *',
        ],
        consecutive=False,
    )
    assert "Traceback" not in result.stdout.str()
