"""Certification runs: every scenario of a suite against one adapter, each in a world of its own."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from xmock.adapters.base import ProviderAdapter, adapter_class
from xmock.scenarios.base import Failed, Scenario, ScenarioResult, Verdict
from xmock.scenarios.control import Control
from xmock.scenarios.suite import SUITES
from xmock.scenarios.world import AdapterFactory, Context, World, arrange, keys_of


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

    @property
    def verdict(self) -> Verdict:
        return Verdict.FAIL if any(r.verdict == Verdict.FAIL for r in self.results) else Verdict.PASS

    def counts(self) -> dict[str, int]:
        return {str(v): sum(1 for r in self.results if r.verdict == v) for v in Verdict}


def run_scenario(scenario: Scenario, factory: AdapterFactory, control: Control) -> ScenarioResult:
    started = time.monotonic()
    control.reset()
    world = arrange(control)
    adapter = factory(world)
    ctx = Context(world, adapter)
    try:
        missing = sorted(str(c) for c in scenario.needs - adapter.capabilities)
        if missing:
            verdict, reason = Verdict.SKIP, f"the adapter does not declare {', '.join(missing)}"
        else:
            scenario.run(ctx)
            verdict, reason = Verdict.PASS, ""
    except Failed as exc:
        verdict, reason = Verdict.FAIL, str(exc)
    except Exception as exc:  # the provider misbehaved in a way the scenario did not expect
        verdict, reason = Verdict.FAIL, f"the scenario could not complete: {type(exc).__name__}: {exc}"
    finally:
        adapter.close()
        control.reset()
    return ScenarioResult(scenario, verdict, reason, ctx.evidence, ctx.answers, time.monotonic() - started)


def certify(
    adapter_name: str,
    factory: AdapterFactory,
    simulator_url: str,
    suite: str = "x-byo-2026",
    on_result: Callable[[ScenarioResult], None] | None = None,
    only: list[str] | None = None,
    control_token: str | None = None,
) -> Run:
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite}; known: {', '.join(SUITES)}")
    control = Control(simulator_url, control_token)
    run = Run(suite, adapter_name, simulator_url, _now())
    try:
        for scenario in SUITES[suite]:
            if only and scenario.id not in only:
                continue
            result = run_scenario(scenario, factory, control)
            run.results.append(result)
            if on_result:
                on_result(result)
    finally:
        control.close()
    run.finished_at = _now()
    return run


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
