"""Verdicts: not applicable is never a pass, not certified keeps a run from passing, nothing run is no pass."""

from __future__ import annotations

from xmock.scenarios.base import Scenario, ScenarioResult, Verdict, Violation
from xmock.scenarios.verdict import run_verdict, scenario_verdict

S = Scenario("s", "S", "rule", "clause", lambda ctx: None)


def _results(*verdicts: Verdict) -> list[ScenarioResult]:
    return [ScenarioResult(S, v, "", [], {}, 0.0) for v in verdicts]


def test_pass_needs_every_applicable_scenario_to_pass_and_one_to_run():
    assert run_verdict(_results(Verdict.PASS, Verdict.NOT_APPLICABLE)) == (Verdict.PASS, "")
    assert run_verdict(_results(Verdict.PASS, Verdict.NOT_CERTIFIED))[0] == Verdict.NOT_CERTIFIED
    assert run_verdict(_results(Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE)) == (
        Verdict.NOT_CERTIFIED, "no scenario that applies to the provider ran")
    assert run_verdict([])[0] == Verdict.NOT_CERTIFIED
    assert run_verdict(_results(Verdict.PASS, Verdict.FAIL, Verdict.NOT_CERTIFIED)) == (
        Verdict.FAIL, "1 scenario(s) failed")


def test_an_open_control_api_keeps_a_run_from_passing():
    assert run_verdict(_results(Verdict.PASS), "open")[0] == Verdict.NOT_CERTIFIED


def test_a_violation_fails_a_scenario_and_keeps_its_own_cause():
    v = Violation("own-app", "signed with Provider Platform")
    assert scenario_verdict(Verdict.PASS, "", [v]) == (Verdict.FAIL, "signed with Provider Platform")
    assert scenario_verdict(Verdict.FAIL, "posted twice", [v]) == (
        Verdict.FAIL, "posted twice; and signed with Provider Platform")
    assert scenario_verdict(Verdict.PASS, "", []) == (Verdict.PASS, "")
