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
    # counted in the failure reports only: with CI set, pytest's short summary repeats whole messages
    assert "assert 1 == 2" in out and out.split("short test summary info")[0].count("declared but never used") == 2
LEAKS = """
import asyncio
import socket

import aiohttp
import httpx
import pytest
import requests
import tweepy
import urllib3


def test_requests():
    requests.get("https://api.twitter.com/2/users/me", timeout=5)


def test_a_swallowed_error_still_fails():
    try:
        httpx.get("https://API.X.com/2/users/me", timeout=5)
    except httpx.HTTPError:
        pass


def test_urllib3():
    urllib3.PoolManager().request("GET", "https://upload.twitter.com/1.1/media/upload.json", retries=False)


def test_aiohttp():
    async def go():
        async with aiohttp.ClientSession() as session:
            await session.get("https://x.com/home")

    asyncio.run(go())


def test_x_mock_is_untouched(x_mock, x_user):
    assert tweepy.Client(**x_user.tweepy_kwargs).get_me(user_auth=True).data.id == int(x_user.id)


def test_loopback_and_other_hosts_pass(x_sim):
    assert requests.get(x_sim.url("/_xmock/health"), timeout=5).status_code == 200
    assert socket.getaddrinfo("localhost", 80)
    try:
        socket.getaddrinfo("example.invalid", 443)
    except socket.gaierror as exc:
        assert "xmock" not in str(exc)


@pytest.mark.xmock_allow_real_x
def test_allowed_by_marker():
    try:
        socket.getaddrinfo("api.x.com", 443)
    except socket.gaierror as exc:  # no network here: the resolver's own answer, not the guard's
        assert "xmock" not in str(exc)
"""


def test_the_leak_guard_refuses_x_hosts_and_nothing_else(pytester):
    pytester.makepyfile(test_leaks=LEAKS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(failed=4, passed=3)
    for host in ("api.twitter.com", "api.x.com", "upload.twitter.com", "x.com"):
        result.stdout.fnmatch_lines([f"*xmock refused a request to the real X ({host}): use the `x_mock` fixture*"])
    result.stdout.fnmatch_lines(["*FAILED test_leaks.py::test_a_swallowed_error_still_fails*"])


def test_the_leak_guard_stands_aside_for_the_option(pytester):
    pytester.makepyfile(test_leaks=LEAKS.replace("@pytest.mark.xmock_allow_real_x\n", ""))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--xmock-allow-real-x", "-k", "by_marker")
    result.assert_outcomes(passed=1, deselected=6)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "by_marker")
    result.assert_outcomes(failed=1, deselected=6)


def test_every_fixture_is_documented(pytester):
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--fixtures")
    out = result.stdout.str()
    for name in ("x_sim", "x_clock", "x_app", "x_user", "x_user_oauth2", "x_mock", "x_audience", "x_server"):
        assert f"{name} -- " in out or f"{name} [session scope] -- " in out, name
    assert "no docstring available" not in out.split("fixtures defined from xmock.simulator.pytest_plugin")[-1]
    result.stdout.fnmatch_lines(["*tweepy_kwargs*", "*X's hosts (api.x.com*"], consecutive=False)


def test_adapter_options_stay_out_of_other_projects_help(pytester):
    out = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--help").stdout.str()
    assert "--xmock-adapter" not in out and "--xmock-allow-real-x" in out
    out = pytester.runpytest_subprocess("--xmock-adapter", "tweepy", "--help").stdout.str()
    assert "--xmock-adapter-option" in out


NOT_SIMULATED = """
import requests


def test_calls_spaces(x_sim, x_mock):
    requests.get("https://api.x.com/2/spaces/1234", timeout=5)
    requests.get("https://api.x.com/2/spaces/search", params={"query": "x"}, timeout=5)


def test_calls_spaces_and_fails(x_sim, x_mock):
    assert requests.get("https://api.x.com/2/spaces/1234", timeout=5).status_code == 200


def test_a_plain_404_is_not_reported(x_sim, x_mock):
    requests.get("https://api.x.com/2/nothing/here", timeout=5)
"""


# xmock simulates every operation of X's spec 2.167; an xmock older than the API its users call is played by
# a simulator whose endpoint table leaves Spaces out.
OLDER_XMOCK = """
import pytest

from xmock.simulator import app, routes


@pytest.fixture(scope="session", autouse=True)
def _without_spaces():
    app.ENDPOINTS = [e for e in routes.ENDPOINTS if not e.path.startswith("/2/spaces")]
"""


def test_not_simulated_operations_are_named(pytester):
    pytester.makeconftest(OLDER_XMOCK)
    pytester.makepyfile(test_spaces=NOT_SIMULATED)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "*- xmock: not simulated -*",
            "*called 1 operation(s)*: getSpacesById",
            "*test_spaces.py:4: NotSimulatedWarning: the code under test called 2 operation(s) of X's API that "
            "xmock does not simulate (answered 404 with x-xmock-not-simulated): getSpacesById, searchSpaces",
        ],
        consecutive=False,
    )
    assert "nothing/here" not in out.split("warnings summary")[-1]


SECRETS = """
def test_fails(x_sim, x_user, x_app):
    x_sim.assert_requested("POST", "/2/tweets", user=x_user, app=x_app)


def test_fails_with_locals(x_user_oauth2):
    assert x_user_oauth2.bearer == "something else"
"""


def test_a_failed_assertion_prints_no_secret(pytester):
    pytester.makepyfile(test_secrets=SECRETS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--showlocals", "-vv")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "expected POST /2/tweets (user=" in out
    for word in ("consumer_secret='", "client_secret='", "secret='", "token='", "access_token"):
        assert word not in out, word
