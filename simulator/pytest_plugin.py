"""xmock's pytest plugin, registered through the `pytest11` entry point: installing xmock is enough.

Fixtures (`pytest --fixtures` shows each one's docstring):
    x_sim          the simulator (running on a free 127.0.0.1 port for the session), reset per test
    x_clock        its clock (simulator.time_travel.XClock): `advance(hours=2)`, and `travel()`, after which the
                   test process's own time and sleeps follow the simulator clock
    x_app          a developer account and its app, with keys
    x_user         a user of that app's account, with OAuth 1.0a tokens
    x_user_oauth2  a user with OAuth 2.0 tokens (access and refresh)
    x_mock         `mock_x()` active for the test: X's hosts reach x_sim, no code change needed
    x_audience     simulated users who act on x_sim's clock: `x_audience.replies(to=post, count=3, within=60)`

Markers:
    @pytest.mark.xmock(**settings)        e.g. rate_limits=False, prices={"ContentCreate": "0.02"}
    @pytest.mark.xmock_fault(**rule)      e.g. path="/2/tweets", status=503, count=1
    @pytest.mark.xmock_credits("0.015")   the balance x_app starts with
    @pytest.mark.xmock_allow_real_x       this test may reach the real X (the leak guard stands aside)
    @pytest.mark.xmock_stub(**stub)       e.g. method="GET", path="/2/users/me", status=503, body={...}
    @pytest.mark.xmock_time_travel        the test process feels the simulator clock from the start (x_clock.travel())
    @pytest.mark.xmock_world(tables)      accounts, apps, users, tokens, follows, posts to start with (or "world.toml")
    @pytest.mark.xmock_snapshot(doc)      start from a saved world (or "world.json")

A stub that never answered, or a fault rule that never struck, fails the test that declared it (unless
declared with required=False).

Every pytest run in an environment with xmock installed loads this module, so it imports pytest and
the standard library only; the simulator is imported when a fixture first needs it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from xmock.simulator import leak_guard
from xmock.simulator.arrange import XUser
from xmock.simulator.evidence import Evidence

if TYPE_CHECKING:
    from xmock.scenarios.session import Certification
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.interception import MockX
    from xmock.simulator.models import App
    from xmock.simulator.server import ServerThread
    from xmock.simulator.time_travel import XClock
    from xmock.simulator.x_audience import XAudience

__all__ = ["XSim", "XUser"]

CALLBACK = "https://app.example/callback"
CONTROL_TOKEN_ENV = "XMOCK_CONTROL_TOKEN"  # the control guard's variable (simulator.control.guard.ENV_VAR)
NOT_SIMULATED = "not simulated: "  # how the journal names an operation xmock does not simulate


class XSim(Evidence):
    """The simulator under test (the `x_sim` fixture), with assertions on what the code under test sent.

    Attributes and methods:
        simulator     the `Simulator`; every other attribute is looked up on it (create_app, create_user,
                      mint_oauth1_token, top_up, add_fault, configure, store, settings, ...)
        base_url      where it listens, e.g. http://127.0.0.1:43117; `url(path)` joins a path to it
        clock         its clock (`freeze()`, `advance(seconds)`, `set(...)`, `now()`)
        journal(...)  the requests it answered, oldest first (filters: app, user, path, status, method,
                      endpoint, limit); each entry carries the request body, credentials redacted
        assert_requested(method, path, *, count=None, json=..., text_contains=..., app=, user=, status=)
        assert_not_requested(method, path, ...)
        posts(author=, app=, text_contains=)  the posts in the simulated world
        ledger(app), findings(...)            credits charged, policy findings
        stub(method, path, status=, body=, headers=, app=, user=, count=, required=)  answer requests as told
        time_travel   the test process's time following the simulator clock (x_clock.travel())
        declared      what an xmock_world marker made, by name

    Paths match exactly, with `*` wildcards, or as X's templates (`/2/users/:id/tweets`); app= and user=
    take ids or the fixture objects.
    """

    def __init__(self, simulator: Simulator, base_url: str) -> None:
        from xmock.simulator.time_travel import TimeTravel

        self.simulator = simulator
        self.base_url = base_url
        self.time_travel = TimeTravel(simulator.clock)  # started by x_clock.travel() or the marker
        self.declared: Any = None  # what an xmock_world marker made, by name

    def __getattr__(self, name: str) -> Any:  # create_app, create_user, top_up, add_fault, ...
        return getattr(self.simulator, name)

    @property
    def clock(self) -> Clock:
        return self.simulator.clock

    def url(self, path: str) -> str:
        return self.base_url + path

    def stub(self, method: str | None = None, path: str | None = None, **stub: Any) -> dict[str, Any]:
        """Answer matching requests with `status`, `body`, `headers` (simulator.stubs): `stub("GET", "/2/users/me",
        status=503)`; `app=`/`user=` take the fixtures' objects or ids. The test fails if it never answers,
        unless `required=False`."""
        from xmock.simulator.filters import resolve

        for name in ("app", "user"):
            if name in stub:
                stub[f"{name}_id"] = resolve(name, stub.pop(name))
        return self.simulator.add_stub(
            **({"method": method} if method is not None else {}), **({"path": path} if path is not None else {}), **stub
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("xmock", "xmock: the X API simulator")
    group.addoption(
        "--xmock-control-token",
        default=None,
        metavar="TOKEN",
        help="control token the session's simulator asks for and its clients send (default: $XMOCK_CONTROL_TOKEN)",
    )
    group.addoption(
        "--xmock-allow-real-x",
        action="store_true",
        default=False,
        help="let tests reach X's real hosts (by default a request to one fails the test unless x_mock is used)",
    )


def _asks_for_certification(args: list[str]) -> bool:
    for arg in args:
        if arg.startswith("--xmock-adapter"):
            return True
        target = arg.split("::")[0].rstrip("/")
        if not arg.startswith("-") and (
            target.startswith("xmock.scenarios") or os.path.basename(target) in ("test_certification.py", "scenarios")
        ):
            return True
    return False


def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """The certification options exist only in runs that ask for them (the scenarios package, or the
    options themselves), so they stay out of every other project's `pytest --help`."""
    if _asks_for_certification(args):
        group = parser.getgroup("xmock", "xmock: the X API simulator")
        group.addoption(
            "--xmock-adapter",
            default="reference",
            help="provider adapter for the certification scenarios (xmock.scenarios.test_certification)",
        )
        group.addoption(
            "--xmock-adapter-option",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="an option for that adapter (repeatable)",
        )


@pytest.fixture(scope="session")
def xmock_certification(x_server: ServerThread, request: pytest.FixtureRequest) -> Iterator[Certification]:
    """Runs certification scenarios against the adapter named by --xmock-adapter (default: reference)."""
    from xmock.scenarios.session import Certification

    options = {}
    for pair in request.config.getoption("--xmock-adapter-option", []):
        key, _, value = pair.partition("=")
        options[key] = value
    certification = Certification(
        request.config.getoption("--xmock-adapter", "reference"),
        options,
        x_server.base_url,
        _control_token(request.config),
    )
    yield certification
    certification.control.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "xmock(**settings): configure the X simulator for this test")
    config.addinivalue_line("markers", "xmock_fault(**rule): inject a fault rule into the X simulator")
    config.addinivalue_line("markers", "xmock_credits(amount): the balance x_app starts with")
    config.addinivalue_line("markers", "xmock_allow_real_x: this test may send requests to X's real hosts")
    config.addinivalue_line("markers", "xmock_world(tables or 'world.toml'): accounts, apps, users, ... to start with")
    config.addinivalue_line("markers", "xmock_snapshot(document or 'world.json'): start from a saved world")
    config.addinivalue_line("markers", "xmock_stub(**stub): answer matching requests with this status, body, headers")
    config.addinivalue_line("markers", "xmock_time_travel: the test process's time follows the simulator clock")
    if not config.getoption("--xmock-allow-real-x", False):
        leak_guard.install()
        config.stash[_GUARDED] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_GUARDED, False):
        leak_guard.uninstall()


_GUARDED = pytest.StashKey[bool]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    leak_guard.allow(item.get_closest_marker("xmock_allow_real_x") is not None)
    leak_guard.take()  # what an earlier test left behind is that test's


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    refused = leak_guard.take() if leak_guard.installed() else []
    if refused:  # fails the test even if the code under test swallowed the connection error
        text = leak_guard.message(refused)
        if report.passed:
            report.outcome = "failed"
            report.longrepr = text
        else:
            report.sections.append(("xmock: real X refused", text))
    if report.when == "call" and report.failed:
        operations = _not_simulated(item)
        if operations:
            report.sections.append(("xmock: not simulated", _not_simulated_text(operations)))


def _not_simulated(item: pytest.Item) -> list[str]:
    """The operations of X's spec that this test called and xmock does not simulate, in order."""
    sim = getattr(item, "funcargs", {}).get("x_sim")
    if not isinstance(sim, XSim):
        return []
    try:
        entries = sim.simulator.journal(status=404)
    except Exception:  # a report must never fail on the evidence
        return []
    reasons = (str(e.get("error") or "") for e in entries)
    return list(dict.fromkeys(r[len(NOT_SIMULATED) :] for r in reasons if r.startswith(NOT_SIMULATED)))


def _not_simulated_text(operations: list[str]) -> str:
    return (
        f"the code under test called {len(operations)} operation(s) of X's API that xmock does not simulate "
        f"(answered 404 with x-xmock-not-simulated): {', '.join(operations)}"
    )


class NotSimulatedWarning(UserWarning):
    """The code under test called an operation of X's API that xmock does not simulate."""


def _control_token(config: pytest.Config) -> str | None:
    return config.getoption("--xmock-control-token") or os.environ.get(CONTROL_TOKEN_ENV) or None


@pytest.fixture(scope="session")
def x_server(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    """One simulator per test session (per pytest-xdist worker), on a free 127.0.0.1 port; its control
    API asks for the control token when one is given. Tests use `x_sim`, which resets it."""
    from xmock.simulator.core import Simulator
    from xmock.simulator.server import ServerThread

    with ServerThread(Simulator(), control_token=_control_token(request.config)) as server:
        yield server


@pytest.fixture
def x_sim(x_server: ServerThread, request: pytest.FixtureRequest) -> Iterator[XSim]:
    """The simulator, reset for this test (an empty world, the real time, default settings plus the
    test's `@pytest.mark.xmock(...)` settings, then its `xmock_snapshot`/`xmock_world`, `xmock_fault(...)`
    rules, `xmock_stub(...)` stubs and `xmock_time_travel`).

    An `XSim`: `x_sim.url(path)`, `x_sim.journal(...)`, `x_sim.assert_requested(method, path, ...)`,
    `x_sim.posts(...)`, and every `Simulator` method (create_user, add_fault, configure, ...). At the end
    of the test, a call to an operation xmock does not simulate is reported as a NotSimulatedWarning
    (and in the failure report of a failed test)."""
    from xmock.simulator.config import Settings

    sim = x_server.simulator
    settings: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("xmock"))):
        settings.update(marker.kwargs)
    with _marker("xmock"):
        sim.settings = Settings().updated(**settings)
    sim.reset()
    declared = _declared_world(sim, request, settings)  # a restored snapshot first: faults, stubs, travel on top
    for marker in request.node.iter_markers("xmock_fault"):
        with _marker("xmock_fault"):
            sim.add_fault(**marker.kwargs)
    for marker in request.node.iter_markers("xmock_stub"):
        with _marker("xmock_stub"):
            sim.add_stub(**marker.kwargs)
    handle = XSim(sim, x_server.base_url)
    handle.declared = declared
    if request.node.get_closest_marker("xmock_time_travel") is not None:
        handle.time_travel.start()
    try:
        yield handle
    finally:
        handle.time_travel.stop()
    operations = _not_simulated(request.node)
    if operations:
        path, line, _ = request.node.location  # shown at the test, not in this plugin
        warnings.warn_explicit(NotSimulatedWarning(_not_simulated_text(operations)), None, path, (line or 0) + 1)


def _declared_world(sim: Simulator, request: pytest.FixtureRequest, settings: dict[str, Any]) -> Any:
    """`xmock_snapshot(doc or "file.json")` restores a world, `xmock_world(tables or "file.toml")` then declares
    one (x_sim.declared holds what it made, by name); the xmock marker's settings still win."""
    found = {name: request.node.get_closest_marker(name) for name in ("xmock_world", "xmock_snapshot")}
    if not any(found.values()):
        return None
    from xmock.simulator import seed  # only for tests that declare a world
    from xmock.simulator.control.errors import ControlError

    args = {}
    for name, marker in found.items():
        with _marker(name):
            if marker is not None and (len(marker.args) != 1 or marker.kwargs):
                raise ControlError(400, "give one dict or one file path")
            args[name] = marker.args[0] if marker is not None else None
    with _marker("xmock_world" if found["xmock_world"] else "xmock_snapshot"):
        seeded = seed.from_markers(sim, args["xmock_world"], args["xmock_snapshot"], request.path.parent)
        if found["xmock_snapshot"] and settings:
            sim.configure(**settings)
    return seeded


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test that passed still fails when a stub it declared never answered or a fault rule never struck."""
    result = yield
    x_sim = getattr(item, "funcargs", {}).get("x_sim")
    if isinstance(x_sim, XSim):
        report = x_sim.simulator.unused_report()
        if report is not None:
            pytest.fail(report, pytrace=False)
    return result


@contextmanager
def _marker(name: str) -> Iterator[None]:
    """A marker's values pass the control API's checks; a refusal fails the test at setup, in one line."""
    from xmock.simulator.control.errors import ControlError

    try:
        yield
    except ControlError as exc:
        pytest.fail(f"@pytest.mark.{name}: {exc.message}", pytrace=False)


@pytest.fixture
def x_clock(x_sim: XSim) -> XClock:
    """x_sim's clock, the one every expiry, rate-limit window and timestamp reads (an `XClock`): `freeze()`,
    `advance(seconds, minutes=, hours=, days=)`, `set(instant)`, `now()`, and `travel()`: from then on the test
    process's own time (time.time, datetime.now) follows it and the test's sleeps advance it, so clients that
    wait out a 429 or judge token expiry by their own clock feel it. Reset to real time for each test."""
    from xmock.simulator.time_travel import XClock

    return XClock(x_sim.clock, x_sim.time_travel)


@pytest.fixture
def x_app(x_sim: XSim, request: pytest.FixtureRequest) -> App:
    """A developer account and its app (an `App`): `id`, `account_id`, `consumer_key`, `consumer_secret`,
    `client_id`, `client_secret`, callback URLs https://app.example/callback and x_sim's /callback.
    `@pytest.mark.xmock_credits("0.50")` sets the balance it starts with."""
    from xmock.simulator.arrange import developer_app
    from xmock.simulator.control.errors import InvalidInput

    app = developer_app(x_sim.simulator, extra_callbacks=(x_sim.url("/callback"),))
    marker = request.node.get_closest_marker("xmock_credits")
    if marker is not None:
        with _marker("xmock_credits"):
            if len(marker.args) != 1 or marker.kwargs:
                raise InvalidInput('expected one amount, e.g. @pytest.mark.xmock_credits("0.50")')
            x_sim.set_credits(app.id, marker.args[0])
    return app


@pytest.fixture
def x_user(x_sim: XSim, x_app: App) -> XUser:
    """A user of x_app's account with an OAuth 1.0a access token (an `XUser`): `id`, `username`, `user`,
    `app`, `oauth1` (`.token`, `.secret`) and `tweepy_kwargs` for `tweepy.Client(**x_user.tweepy_kwargs)`."""
    from xmock.simulator.arrange import oauth1_user

    return oauth1_user(x_sim.simulator, x_app)


@pytest.fixture
def x_user_oauth2(x_sim: XSim, x_app: App) -> XUser:
    """A user of x_app's account with OAuth 2.0 tokens (an `XUser`): `oauth2` is X's token answer
    (access_token, refresh_token, expires_in 7200, scope, token_type) and `bearer` its access token."""
    from xmock.simulator.arrange import oauth2_user

    return oauth2_user(x_sim.simulator, x_app)


@pytest.fixture
def x_audience(x_sim: XSim) -> XAudience:
    """Simulated users who act on x_sim's clock (an `XAudience`): `replies(to=post, count=3, within=60)`,
    `quotes`, `mentions`, `likes`, `reposts`, `follows`, `dm`, `spaces`, `plan(...)`; moving x_clock makes them
    act."""
    from xmock.simulator.x_audience import XAudience

    return XAudience(x_sim.simulator)


@pytest.fixture
def x_mock(x_sim: XSim) -> Iterator[MockX]:
    """Requests to X's hosts (api.x.com, api.twitter.com, upload.twitter.com, ...) from any requests, httpx
    or aiohttp client reach x_sim for this test, with no change to the code under test. Without it, the
    leak guard fails a test that tries to reach the real X. The same as `with xmock.mock_x(url=x_sim.base_url):`."""
    from xmock.simulator.interception import MockX

    with MockX(url=x_sim.base_url) as mock:
        yield mock
