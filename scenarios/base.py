"""What a scenario is, what it records, and how it says pass, fail or skip."""

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
    SKIP = "skip"


class Failed(Exception):
    """The provider broke the scenario's rule; the message names the cause."""


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
    needs: frozenset[Capability] = frozenset()


@dataclass
class ScenarioResult:
    scenario: Scenario
    verdict: Verdict
    reason: str
    evidence: list[Evidence]
    answers: dict[str, str]
    seconds: float

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
            "needs": sorted(str(c) for c in s.needs),
            "seconds": round(self.seconds, 3),
            "evidence": [e.as_dict() for e in self.evidence],
            "answers": self.answers,
        }
