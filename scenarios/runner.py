"""Certification runs: every scenario of a suite against one adapter, each in a world of its own."""

from __future__ import annotations

import inspect
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpx

from xmock.adapters.base import ProviderAdapter, adapter_class
from xmock.scenarios import invariants
from xmock.scenarios.base import CannotRun, Failed, NotApplicable, Scenario, ScenarioResult, Verdict, Violation
from xmock.scenarios.control import Control, ControlError
from xmock.scenarios.probe import Observed, probe, why_not
from xmock.scenarios.suite import SUITE_VERSIONS, SUITES
from xmock.scenarios.verdict import run_verdict, scenario_verdict
from xmock.scenarios.world import AdapterFactory, Context, World, arrange, keys_of
from xmock.simulator.control.guard import CLOCK_READ, new_token

_ID = re.compile(r"\b\d{15,20}\b")  # X's ids: snowflakes


def xmock_version() -> str:
    try:
        return version("xmock")
    except PackageNotFoundError:
        return "unknown (not installed)"


def bundled_factory(name: str, options: dict[str, Any] | None = None) -> AdapterFactory:
    """How to build an adapter for a scenario's world: bundled ones know their options; others get
    `x_base_url` and the given options."""
    options = dict(options or {})
    cls = adapter_class(name)
    check_options(name, cls, options, given=() if name == "http" else ("x_base_url", "provider_app"))

    def make(world: World) -> ProviderAdapter:
        if name == "legacy-shared":
            return cls(x_base_url=world.base_url, provider_app=keys_of(world.provider_app), **options)
        if name == "http":
            return cls(**options)
        return cls(x_base_url=world.base_url, **options)

    return make


def check_options(name: str, cls: type, options: dict[str, Any], given: tuple[str, ...] = ()) -> None:
    """ValueError, in a user's terms, for an option the adapter does not take or one it needs and lacks
    (`given`: what the factory supplies itself)."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    named = {p.name: p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    # `**kwargs` takes any option; `**_` only swallows what a caller passes to every adapter.
    open_ended = any(p.kind == p.VAR_KEYWORD and not p.name.startswith("_") for p in params)
    unknown = sorted(k for k in options if k not in named or k in given)
    if unknown and not open_ended:
        takes = ", ".join(k for k in named if k not in given) or "none"
        raise ValueError(f"adapter {name} has no option {', '.join(unknown)} (its options: {takes})")
    missing = [k for k, p in named.items() if p.default is p.empty and k not in given and k not in options]
    if missing:
        raise ValueError(f"adapter {name} needs " + " ".join(f"--option {k}=..." for k in missing))


@dataclass
class Run:
    suite: str
    adapter: str
    simulator: str
    started_at: str
    results: list[ScenarioResult] = field(default_factory=list)
    finished_at: str = ""
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    xmock_version: str = field(default_factory=xmock_version)
    suite_version: str = ""
    seen: Observed = field(default_factory=Observed)
    # How the provider was kept out of the control API; a problem when it was not (then the run cannot pass).
    lockout: str = ""
    lockout_problem: str = ""

    @property
    def verdict(self) -> Verdict:
        return run_verdict(self.results, self.lockout_problem)[0]

    @property
    def why(self) -> str:
        return run_verdict(self.results, self.lockout_problem)[1]

    def counts(self) -> dict[str, int]:
        return {str(v): sum(1 for r in self.results if r.verdict == v) for v in Verdict}


def run_scenario(scenario: Scenario, factory: AdapterFactory, control: Control, seen: Observed) -> ScenarioResult:
    """One scenario in a world of its own, judged by its own checks and then by the run-wide invariants."""
    started = time.monotonic()
    control.reset()
    world = arrange(control)
    ctx: Context | None = None
    adapter = None
    violations: list[Violation] = []
    names: dict[str, str] = {}
    try:
        adapter = factory(world)
        ctx = Context(world, adapter, seen=seen)
        not_applicable, cannot_run = why_not(scenario.needs, seen)
        if not_applicable:
            verdict, reason = Verdict.NOT_APPLICABLE, not_applicable
        elif cannot_run:
            verdict, reason = Verdict.NOT_CERTIFIED, cannot_run
        else:
            scenario.run(ctx)
            verdict, reason = Verdict.PASS, ""
    except Failed as exc:
        verdict, reason = Verdict.FAIL, str(exc)
    except NotApplicable as exc:
        verdict, reason = Verdict.NOT_APPLICABLE, str(exc)
    except (CannotRun, NotImplementedError) as exc:
        verdict, reason = Verdict.NOT_CERTIFIED, str(exc) or f"the adapter does not implement {type(exc).__name__}"
    except Exception as exc:  # the provider misbehaved in a way the scenario did not expect
        verdict, reason = Verdict.FAIL, f"the scenario could not complete: {type(exc).__name__}: {exc}"
    finally:
        if adapter is not None:
            adapter.close()
    try:
        names = plain_names(world, control)
        violations = invariants.check(world, control.journal(), control.findings(), scenario.provokes, lambda: names)
    finally:
        control.reset()
    own_reason = in_plain_words(reason, names) if verdict == Verdict.FAIL else ""
    verdict, reason = scenario_verdict(verdict, reason, violations)
    evidence = ctx.evidence if ctx is not None else []
    for e in evidence:
        e.summary = in_plain_words(e.summary, names)
    answers = {k: in_plain_words(v, names) for k, v in (ctx.answers if ctx is not None else {}).items()}
    return ScenarioResult(
        scenario,
        verdict,
        in_plain_words(reason, names),
        evidence,
        answers,
        time.monotonic() - started,
        violations,
        own_reason,
    )


def plain_names(world: World, control: Control) -> dict[str, str]:
    """The world's ids (apps, developer accounts, end users) and the names a reader knows them by."""
    names = {a["id"]: a["name"] for a in control.apps()}
    for tenant in (world.tenant, world.other_tenant):
        names[tenant.account["id"]] = tenant.account["name"]
        names.update({u["id"]: "@" + u["username"] for u in tenant.users.values()})
    names[world.provider_account["id"]] = world.provider_account["name"]
    return names


def in_plain_words(text: str, names: dict[str, str]) -> str:
    """Ids in a reason or summary replaced by names ("app 2127..." reads "app Provider Platform")."""
    return _ID.sub(lambda m: names.get(m.group(0), m.group(0)), text) if text else text


def lockout_state(simulator_url: str) -> tuple[str, str]:
    """(how the provider is kept out of the control API, the problem when it is not) for a simulator given by URL."""
    try:
        answer = httpx.get(simulator_url.rstrip("/") + "/_xmock/settings", timeout=10)
    except httpx.HTTPError as exc:
        return "", f"could not check the simulator's control API ({type(exc).__name__})"
    if answer.status_code == 401:
        return "the simulator's control token (refused without it; the provider must not be given it)", ""
    return "", (
        "the simulator's control API answers without a token, so the provider could have steered it unnoticed: "
        "run certification with a simulator of its own, or one started with a control token"
    )


def certify(
    adapter_name: str,
    factory: AdapterFactory,
    simulator_url: str | None = None,
    suite: str = "x-byo-2026",
    on_result: Callable[[ScenarioResult], None] | None = None,
    only: list[str] | None = None,
    control_token: str | None = None,
    on_probe: Callable[[Observed], None] | None = None,
) -> Run:
    """Run a suite. Without `simulator_url` a simulator of the run's own is started, its control API locked
    with a token only the scenarios hold (the provider may read its clock, nothing else)."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite}; known: {', '.join(SUITES)}")
    server = None
    if simulator_url is None:
        from xmock.simulator.server import ServerThread

        control_token = new_token()
        server = ServerThread(control_token=control_token, open_reads=CLOCK_READ).start()
        simulator_url, problem = server.base_url, ""
        lockout = "a control token of this run's own, held by the scenarios"
    else:
        lockout, problem = lockout_state(simulator_url)
    control = Control(simulator_url, control_token)
    run = Run(suite, adapter_name, simulator_url, _now(), suite_version=SUITE_VERSIONS[suite])
    run.lockout, run.lockout_problem = lockout, problem
    try:
        run.seen = probe(factory, control)
        if on_probe:
            on_probe(run.seen)
        for scenario in SUITES[suite]:
            if only and scenario.id not in only:
                continue
            result = run_scenario(scenario, factory, control, run.seen)
            run.results.append(result)
            if on_result:
                on_result(result)
        run.finished_at = _now()
        if server is None:  # a simulator that outlives the run shows it in its dashboard
            publish(run, control)
    finally:
        control.close()
        if server is not None:
            server.stop()
    run.finished_at = run.finished_at or _now()
    return run


def publish(run: Run, control: Control) -> bool:
    """Post the run's reports to the simulator it ran against; a simulator without the route is left alone."""
    from xmock.scenarios.report import as_html, as_json  # report builds on this module

    data = as_json(run)
    try:
        control.certification(data, as_html(run, data))
    except (ControlError, httpx.HTTPError):
        return False
    return True


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
