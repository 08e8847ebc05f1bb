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


STUBS = """
import time

import pytest
import requests


@pytest.mark.xmock_stub(method="GET", path="/2/users/me", status=503, body={"detail": "stubbed"})
def test_marker_stub_answers(x_sim, x_user_oauth2):
    bearer = {"Authorization": "Bearer " + x_user_oauth2.oauth2["access_token"]}
    r = requests.get(x_sim.url("/2/users/me"), headers=bearer)
    assert (r.status_code, r.json()) == (503, {"detail": "stubbed"})


def test_stub_by_fixture_objects(x_sim, x_user_oauth2):
    x_sim.stub("GET", "/2/users/:id", user=x_user_oauth2, app=x_user_oauth2.app, status=404, count=1)
    bearer = {"Authorization": "Bearer " + x_user_oauth2.oauth2["access_token"]}
    assert requests.get(x_sim.url(f"/2/users/{x_user_oauth2.id}"), headers=bearer).status_code == 404
    assert requests.get(x_sim.url(f"/2/users/{x_user_oauth2.id}"), headers=bearer).status_code == 200


def test_unused_stub_fails(x_sim):
    x_sim.stub("POST", "/2/tweets", status=201, body={"data": {"id": "1"}})


def test_unused_stub_allowed(x_sim):
    x_sim.stub("POST", "/2/tweets", status=201, required=False)


@pytest.mark.xmock_fault(path="/2/lists", status=503)
def test_fault_never_struck_fails(x_sim):
    pass


@pytest.mark.xmock_fault(path="/2/lists", status=503, required=False)
def test_fault_never_struck_allowed(x_sim):
    pass


def test_a_failing_test_reports_its_own_failure(x_sim):
    x_sim.stub("POST", "/2/tweets", status=201)
    assert 1 == 2


@pytest.mark.xmock_time_travel
def test_time_travel_marker(x_sim, x_clock):
    before = x_clock.now()
    assert time.time() == before
    time.sleep(3600)
    assert x_clock.now() == before + 3600


def test_travel_ends_with_the_test(x_sim):
    assert not x_sim.clock.state().frozen


@pytest.mark.xmock_stub(path="/2/users/me", status=99)
def test_bad_stub_marker(x_sim):
    pass
"""


def test_stubs_markers_and_unused_checks_in_a_fresh_run(pytester):
    pytester.makepyfile(test_stubs_example=STUBS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6, failed=3, errors=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.xmock_stub: status: expected an integer from 200 to 599, got 99*",
            "*test_unused_stub_fails*",
            "*declared but never used (no request matched; pass required=False to allow this):",
            "*stub *: POST /2/tweets -> 201",
            "*test_fault_never_struck_fails*",
            "*fault rule *: /2/lists -> 503",
        ],
        consecutive=False,
    )
    assert "assert 1 == 2" in out and out.count("declared but never used") == 2
