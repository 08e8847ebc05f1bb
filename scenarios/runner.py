"""Certification runs: every scenario of a suite against one adapter, each in a world of its own."""

from __future__ import annotations

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

    def make(world: World) -> ProviderAdapter:
        if name == "legacy-shared":
            return cls(x_base_url=world.base_url, provider_app=keys_of(world.provider_app), **options)
        if name == "http":
            return cls(**options)
        return cls(x_base_url=world.base_url, **options)

    return make


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
) -> Run:
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite}; known: {', '.join(SUITES)}")
    control = Control(simulator_url)
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
