"""xmock's pytest plugin, registered through the `pytest11` entry point: installing xmock is enough.

Fixtures:
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
    @pytest.mark.xmock_stub(**stub)       e.g. method="GET", path="/2/users/me", status=503, body={...}
    @pytest.mark.xmock_time_travel        the test process feels the simulator clock from the start (x_clock.travel())

A stub that never answered, or a fault rule that never struck, fails the test that declared it (unless
declared with required=False).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from xmock.simulator.clock import Clock
from xmock.simulator.config import Settings
from xmock.simulator.control.errors import ControlError, InvalidInput
from xmock.simulator.control.guard import ENV_VAR as CONTROL_TOKEN_ENV
from xmock.simulator.core import Simulator
from xmock.simulator.interception import MockX
from xmock.simulator.models import App, OAuth1Token, User
from xmock.simulator.server import ServerThread
from xmock.simulator.time_travel import TimeTravel, XClock

CALLBACK = "https://app.example/callback"


class XSim:
    """The simulator under test, with helpers to assert on what the code under test sent."""

    def __init__(self, simulator: Simulator, base_url: str) -> None:
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

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        return self.simulator.journal(**filters)

    def findings(self, **filters: Any) -> list[dict[str, Any]]:
        return self.simulator.findings.query(**filters)

    def ledger(self, app: str | None = None) -> list[dict[str, Any]]:
        return self.simulator.ledger(app)

    def assert_requested(
        self, method: str, path: str, *, count: int | None = None, **filters: Any
    ) -> list[dict[str, Any]]:
        """Journal entries for `method path` (and app, user, status); fails with what was seen instead."""
        found = self.simulator.journal(method=method, path=path, **filters)
        if (count is None and not found) or (count is not None and len(found) != count):
            seen = (
                "\n".join(
                    f"  {e['method']} {e['path']} -> {e['status']} app={e['app_id']} user={e['user_id']}"
                    for e in self.simulator.journal()[-20:]
                )
                or "  (nothing)"
            )
            wanted = f"{count} time(s)" if count is not None else "at least once"
            raise AssertionError(
                f"expected {method} {path} {filters or ''} {wanted}, found {len(found)}; "
                f"the journal's last entries:\n{seen}"
            )
        return found

    def assert_not_requested(self, method: str, path: str, **filters: Any) -> None:
        self.assert_requested(method, path, count=0, **filters)

    def stub(self, method: str | None = None, path: str | None = None, **stub: Any) -> dict[str, Any]:
        """Answer matching requests with `status`, `body`, `headers` (simulator.stubs): `stub("GET", "/2/users/me",
        status=503)`; `app=`/`user=` take the fixtures' objects or ids. The test fails if it never answers,
        unless `required=False`."""
        for name in ("app", "user"):
            if name in stub:
                value = stub.pop(name)
                stub[f"{name}_id"] = getattr(value, "id", value)
        return self.simulator.add_stub(
            **({"method": method} if method is not None else {}), **({"path": path} if path is not None else {}), **stub
        )


@dataclass
class XUser:
    """A user with credentials for `app`, ready to hand to a client."""

    user: User
    app: App
    oauth1: OAuth1Token | None = None
    oauth2: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def tweepy_kwargs(self) -> dict[str, str]:
        """Keyword arguments for `tweepy.Client` (OAuth 1.0a user context)."""
        assert self.oauth1 is not None, "this user has no OAuth 1.0a token"
        return {
            "consumer_key": self.app.consumer_key,
            "consumer_secret": self.app.consumer_secret,
            "access_token": self.oauth1.token,
            "access_token_secret": self.oauth1.secret,
        }


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("xmock", "xmock: the X API simulator")
    group.addoption(
        "--xmock-adapter",
        default="reference",
        help="provider adapter for the certification scenarios (scenarios.test_certification)",
    )
    group.addoption(
        "--xmock-adapter-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option for that adapter (repeatable)",
    )
    group.addoption(
        "--xmock-control-token",
        default=None,
        metavar="TOKEN",
        help="control token the session's simulator asks for and its clients send (default: $XMOCK_CONTROL_TOKEN)",
    )


class Certification:
    """Runs certification scenarios against the adapter chosen on the command line."""

    def __init__(
        self, adapter: str, options: dict[str, str], simulator_url: str, control_token: str | None = None
    ) -> None:
        from xmock.scenarios.control import Control
        from xmock.scenarios.runner import bundled_factory

        self.adapter = adapter
        self.factory = bundled_factory(adapter, options)
        self.control = Control(simulator_url, control_token)
        self.seen: Any = None

    def run(self, scenario: Any) -> Any:
        from xmock.scenarios.probe import probe
        from xmock.scenarios.runner import run_scenario

        if self.seen is None:  # what the provider does, found out once for the session
            self.seen = probe(self.factory, self.control)
        return run_scenario(scenario, self.factory, self.control, self.seen)


@pytest.fixture(scope="session")
def xmock_certification(x_server: ServerThread, request: pytest.FixtureRequest) -> Iterator[Certification]:
    options = {}
    for pair in request.config.getoption("--xmock-adapter-option"):
        key, _, value = pair.partition("=")
        options[key] = value
    certification = Certification(
        request.config.getoption("--xmock-adapter"), options, x_server.base_url, _control_token(request.config)
    )
    yield certification
    certification.control.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "xmock(**settings): configure the X simulator for this test")
    config.addinivalue_line("markers", "xmock_fault(**rule): inject a fault rule into the X simulator")
    config.addinivalue_line("markers", "xmock_credits(amount): the balance x_app starts with")
    config.addinivalue_line("markers", "xmock_world(tables or 'world.toml'): accounts, apps, users, ... to start with")
    config.addinivalue_line("markers", "xmock_snapshot(document or 'world.json'): start from a saved world")
    config.addinivalue_line("markers", "xmock_stub(**stub): answer matching requests with this status, body, headers")
    config.addinivalue_line("markers", "xmock_time_travel: the test process's time follows the simulator clock")


def _control_token(config: pytest.Config) -> str | None:
    return config.getoption("--xmock-control-token") or os.environ.get(CONTROL_TOKEN_ENV) or None


@pytest.fixture(scope="session")
def x_server(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    """One simulator per test session (per pytest-xdist worker), on a free 127.0.0.1 port; its control
    API asks for the control token when one is given."""
    with ServerThread(Simulator(), control_token=_control_token(request.config)) as server:
        yield server


@pytest.fixture
def x_sim(x_server: ServerThread, request: pytest.FixtureRequest) -> Iterator[XSim]:
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
    x_sim = XSim(sim, x_server.base_url)
    x_sim.declared = declared
    if request.node.get_closest_marker("xmock_time_travel") is not None:
        x_sim.time_travel.start()
    try:
        yield x_sim
    finally:
        x_sim.time_travel.stop()


def _declared_world(sim: Simulator, request: pytest.FixtureRequest, settings: dict[str, Any]) -> Any:
    """`xmock_snapshot(doc or "file.json")` restores a world, `xmock_world(tables or "file.toml")` then declares
    one (x_sim.declared holds what it made, by name); the xmock marker's settings still win."""
    found = {name: request.node.get_closest_marker(name) for name in ("xmock_world", "xmock_snapshot")}
    if not any(found.values()):
        return None
    from xmock.simulator import seed  # only for tests that declare a world
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
    try:
        yield
    except ControlError as exc:
        pytest.fail(f"@pytest.mark.{name}: {exc.message}", pytrace=False)


@pytest.fixture
def x_clock(x_sim: XSim) -> XClock:
    return XClock(x_sim.clock, x_sim.time_travel)


@pytest.fixture
def x_app(x_sim: XSim, request: pytest.FixtureRequest) -> App:
    account = x_sim.create_account("Test Developer")
    app = x_sim.create_app(
        account.id,
        "Test App",
        use_case="Automated tests",
        website="https://app.example",
        callback_urls=[CALLBACK, x_sim.url("/callback")],
    )
    marker = request.node.get_closest_marker("xmock_credits")
    if marker is not None:
        with _marker("xmock_credits"):
            if len(marker.args) != 1 or marker.kwargs:
                raise InvalidInput('expected one amount, e.g. @pytest.mark.xmock_credits("0.50")')
            x_sim.set_credits(app.id, marker.args[0])
    return app


@pytest.fixture
def x_user(x_sim: XSim, x_app: App) -> XUser:
    user = x_sim.create_user(account_id=x_app.account_id)
    return XUser(user, x_app, oauth1=x_sim.mint_oauth1_token(x_app.id, user.id))


@pytest.fixture
def x_user_oauth2(x_sim: XSim, x_app: App) -> XUser:
    from xmock.simulator.oauth2.issue import token_response

    user = x_sim.create_user(account_id=x_app.account_id)
    access, refresh = x_sim.mint_oauth2_token(x_app.id, user.id)
    return XUser(user, x_app, oauth2=token_response(x_sim.simulator, access, refresh))


class XAudience:
    """Arranges what simulated users do in the next moments of the simulator clock; moving the clock
    (`x_clock.advance(60)`) makes it happen. Each call starts one audience plan and answers it (`members`,
    `id`); `plan(**plan)` takes a whole plan (rates, targets, texts, events)."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def plan(self, **plan: Any) -> dict[str, Any]:
        return self.simulator.add_audience(**plan)

    def script(self, events: list[dict[str, Any]], **plan: Any) -> dict[str, Any]:
        return self.simulator.add_audience(events=events, **plan)

    def _spread(self, kind: str, to: Any, count: int, within: float, text: str | None, **plan: Any) -> dict[str, Any]:
        # `count` actions evenly over the next `within` seconds, the last one at `within`.
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            raise InvalidInput(f"count: expected an integer from 1 to 1000, got {count!r}")
        if isinstance(within, bool) or not isinstance(within, int | float) or not 0 <= within <= 86400:
            raise InvalidInput(f"within: expected seconds from 0 to 86400, got {within!r}")
        target = str(getattr(to, "id", to))
        events = [
            {"at": within * (i + 1) / count, "kind": kind, "to": target, **({"text": text} if text else {})}
            for i in range(count)
        ]
        return self.simulator.add_audience(events=events, users=plan.pop("users", count), **plan)

    def replies(self, to: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        """`count` replies to post `to` within `within` seconds, each from another member."""
        return self._spread("reply", to, count, within, text, **plan)

    def quotes(self, of: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        return self._spread("quote", of, count, within, text, **plan)

    def mentions(self, of: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        """`count` posts that @mention user `of`."""
        return self._spread("mention", of, count, within, text, **plan)

    def likes(self, post: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        return self._spread("like", post, count, within, None, **plan)

    def reposts(self, post: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        return self._spread("repost", post, count, within, None, **plan)

    def follows(self, user: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        """`count` new followers of `user` (follow requests if it is protected)."""
        return self._spread("follow", user, count, within, None, **plan)

    def dm(self, to: Any, text: str | None = None, count: int = 1, within: float = 60, **plan: Any) -> dict:
        """`count` direct messages to user `to` (needs the DM surface)."""
        return self._spread("dm", to, count, within, text, **plan)

    def stop(self, plan_id: str | None = None) -> int:
        return self.simulator.stop_audience(plan_id)


@pytest.fixture
def x_audience(x_sim: XSim) -> XAudience:
    return XAudience(x_sim.simulator)


@pytest.fixture
def x_mock(x_sim: XSim) -> Iterator[MockX]:
    """Requests to X's hosts from any requests, httpx or aiohttp client reach x_sim for this test."""
    with MockX(url=x_sim.base_url) as mock:
        yield mock
