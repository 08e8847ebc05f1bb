"""Verdicts: a scenario's, from its own checks and the run-wide invariants; a run's, from its scenarios.

PASS needs every scenario that applies to pass and at least one to have run; "not applicable" is never a
pass and "not certified" (applies, could not run) keeps a run from passing.
"""

from __future__ import annotations

from collections.abc import Sequence

from xmock.scenarios.base import ScenarioResult, Verdict, Violation


def scenario_verdict(verdict: Verdict, reason: str, violations: Sequence[Violation]) -> tuple[Verdict, str]:
    """A run-wide rule broken during a scenario fails it, whatever its own checks said."""
    if not violations:
        return verdict, reason
    causes = "; ".join(v.cause for v in violations)
    if verdict == Verdict.FAIL and reason:
        return Verdict.FAIL, f"{reason}; and {causes}"
    return Verdict.FAIL, causes


def run_verdict(results: Sequence[ScenarioResult], lockout_problem: str = "") -> tuple[Verdict, str]:
    """The run's verdict and, unless it passed, why in one sentence."""
    failed = [r for r in results if r.verdict == Verdict.FAIL]
    if failed:
        return Verdict.FAIL, f"{len(failed)} scenario(s) failed"
    if lockout_problem:
        return Verdict.NOT_CERTIFIED, lockout_problem
    if not any(r.verdict == Verdict.PASS for r in results):
        return Verdict.NOT_CERTIFIED, "no scenario that applies to the provider ran"
    blocked = [r for r in results if r.verdict == Verdict.NOT_CERTIFIED]
    if blocked:
        return Verdict.NOT_CERTIFIED, f"{len(blocked)} scenario(s) that apply could not run"
    return Verdict.PASS, ""
