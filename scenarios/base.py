"""What a scenario is, what it records, and its verdict: pass, fail, not certified or not applicable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from xmock.adapters.base import Capability

if TYPE_CHECKING:
    from xmock.scenarios.world import Context

QUESTIONS = {
    "credentials": "What happens to my X credentials?",
    "consent": "Whose app name is on the consent screen?",
    "leaving": "What happens to my users if I leave?",
    "migration": "How are users linked under the old shared app moved?",
    "receiving": "Whose app receives my users' mentions and DMs?",
}


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_CERTIFIED = "not certified"  # the scenario applies to the provider but could not run
    NOT_APPLICABLE = "not applicable"  # the provider does not do what the scenario checks (never a pass)


class Failed(Exception):
    """The provider broke the scenario's rule; the message names the cause."""


class NotApplicable(Exception):
    """What the scenario checks is not something this provider does; the message says why."""


class CannotRun(Exception):
    """The scenario applies but could not run to a verdict; the message says what stopped it."""


@dataclass
class Evidence:
    kind: str  # journal, finding, ledger, clock, adapter, page, posts, secrets (a secrets scan)
    summary: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "summary": self.summary, "detail": self.detail}


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    rule: str
    clause: str
    run: Callable[[Context], None]
    # What the provider must be seen doing for the scenario to apply (probed, never taken from a declaration).
    needs: frozenset[Capability] = frozenset()
    # Findings the scenario provokes on purpose: run-wide invariants leave them to the scenario's own checks.
    provokes: frozenset[str] = frozenset()


@dataclass
class Violation:
    """A run-wide rule broken during a scenario, found in X's records (journal, findings)."""

    rule: str  # an invariant's id (see scenarios/invariants.py)
    cause: str  # plain words, the same for every scenario the same root cause breaks
    evidence: list[dict[str, Any]] = field(default_factory=list)  # journal entries or findings, as X recorded them

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "cause": self.cause, "evidence": self.evidence}


@dataclass
class ScenarioResult:
    scenario: Scenario
    verdict: Verdict
    reason: str
    evidence: list[Evidence]
    answers: dict[str, str]
    seconds: float
    violations: list[Violation] = field(default_factory=list)
    own_reason: str = ""  # the scenario's own cause, before the run-wide rules' (the report groups by cause)

    @property
    def secrets(self) -> dict[str, Any] | None:
        """The secrets scan behind the credentials answer (see scenarios/secrets_scan.py), if this scenario ran one."""
        return next((e.detail for e in self.evidence if e.kind == "secrets"), None)

    def as_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "id": s.id,
            "title": s.title,
            "rule": s.rule,
            "clause": s.clause,
            "verdict": str(self.verdict),
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "evidence": [e.as_dict() for e in self.evidence],
            "violations": [v.as_dict() for v in self.violations],
            "answers": self.answers,
        }
