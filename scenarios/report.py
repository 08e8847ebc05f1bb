"""Certification reports: JUnit XML for CI, versioned JSON for machines, self-contained HTML for people.

The JSON report carries a SHA-256 digest of itself, so a customer can check it was not edited: the digest
is of the report without its `digest` member, serialised as canonical JSON (`canonical`: keys sorted, no
whitespace, non-ASCII kept, UTF-8). `verify` recomputes it; the HTML report shows the same digest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jinja2 import Environment, PackageLoader, select_autoescape

from xmock.scenarios.base import QUESTIONS, ScenarioResult, Verdict
from xmock.scenarios.invariants import RULES
from xmock.scenarios.runner import Run

SCHEMA = "xmock.certification/2"
DIGEST_COVERS = (
    "this JSON document without its 'digest' member, serialised with sorted keys, no whitespace "
    "(separators ',' and ':'), non-ASCII characters as they are, in UTF-8"
)
_env = Environment(loader=PackageLoader("xmock.scenarios", "templates"), autoescape=select_autoescape(["html"]))

# Which scenarios answer each question a customer should ask a provider.
QUESTION_SOURCES = {
    "credentials": ["secrets-at-rest", "credentials-per-request", "own-app"],
    "consent": ["consent-brand"],
    "leaving": ["portability"],
    "migration": ["relink-migration"],
    "receiving": ["webhooks-own-app"],
}


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest_of(report: dict[str, Any]) -> str:
    """The SHA-256 (hex) of a JSON report as DIGEST_COVERS says."""
    return hashlib.sha256(canonical({k: v for k, v in report.items() if k != "digest"})).hexdigest()


def verify(report: dict[str, Any]) -> bool:
    """Whether a JSON report (as parsed) still has the digest it was written with."""
    recorded = (report.get("digest") or {}).get("sha256") if isinstance(report.get("digest"), dict) else None
    return recorded is not None and recorded == digest_of(report)


def answers(run: Run) -> list[dict[str, Any]]:
    by_id = {r.scenario.id: r for r in run.results}
    out = []
    for key, question in QUESTIONS.items():
        sources = [by_id[s] for s in QUESTION_SOURCES[key] if s in by_id]
        failed = [r for r in sources if r.verdict == Verdict.FAIL]
        passed = [r for r in sources if r.verdict == Verdict.PASS and key in r.answers]
        if failed:
            answer = "Not as X requires: " + "; ".join(f"{r.scenario.title}: {r.reason}" for r in failed)
        elif passed:
            answer = passed[0].answers[key]
        else:
            why = "; ".join(f"{r.scenario.title}: {r.verdict} ({r.reason})" for r in sources if r.reason)
            answer = "Not shown by this run" + (f" ({why})." if why else ".")
        out.append(
            {
                "question": question,
                "answer": answer,
                "scenarios": [r.scenario.title for r in sources],
                "verdict": "fail" if failed else "pass" if passed else "not shown",
            }
        )
    return out


def causes(run: Run) -> list[dict[str, Any]]:
    """Failures grouped by root cause: a run-wide rule broken the same way, or one scenario's own cause."""
    groups: dict[str, dict[str, Any]] = {}

    def add(cause: str, rule: str, result: ScenarioResult) -> None:
        group = groups.setdefault(cause, {"cause": cause, "rule": rule, "scenarios": []})
        if result.scenario.title not in group["scenarios"]:
            group["scenarios"].append(result.scenario.title)

    for r in run.results:
        if r.verdict != Verdict.FAIL:
            continue
        if r.own_reason or not r.violations:
            add(r.own_reason or r.reason, r.scenario.rule, r)
        for v in r.violations:
            add(v.cause, RULES.get(v.rule, v.rule), r)
    return sorted(groups.values(), key=lambda g: -len(g["scenarios"]))


def _scenario(r: ScenarioResult) -> dict[str, Any]:
    data = r.as_dict()
    data["violations"] = [{**v, "rule": RULES.get(v["rule"], v["rule"])} for v in data["violations"]]
    return data


def as_json(run: Run) -> dict[str, Any]:
    """The report, with its digest (see the module's docstring)."""
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "run_id": run.run_id,
        "xmock_version": run.xmock_version,
        "suite": run.suite,
        "suite_version": run.suite_version,
        "adapter": run.adapter,
        "simulator": run.simulator,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "verdict": str(run.verdict),
        "why": run.why,
        "counts": run.counts(),
        "control_api_lockout": run.lockout or run.lockout_problem,
        "provider_seen": run.seen.as_dict(),
        "causes": causes(run),
        "scenarios": [_scenario(r) for r in run.results],
        "questions": answers(run),
    }
    report["digest"] = {"sha256": digest_of(report), "covers": DIGEST_COVERS}
    return report


def as_junit(run: Run, data: dict[str, Any] | None = None) -> str:
    data = data or as_json(run)
    counts = run.counts()
    suite = ET.Element(
        "testsuite",
        name=f"xmock.{run.suite}",
        tests=str(len(run.results)),
        failures=str(counts["fail"]),
        skipped=str(counts["not applicable"] + counts["not certified"]),
        errors="0",
        time=f"{sum(r.seconds for r in run.results):.3f}",
        timestamp=run.started_at,
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("adapter", run.adapter),
        ("simulator", run.simulator),
        ("schema", SCHEMA),
        ("run_id", run.run_id),
        ("xmock_version", run.xmock_version),
        ("suite_version", run.suite_version),
        ("verdict", str(run.verdict)),
        ("json_report_sha256", data["digest"]["sha256"]),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    for r in run.results:
        case = ET.SubElement(
            suite, "testcase", classname=f"xmock.{run.suite}.{run.adapter}", name=r.scenario.id, time=f"{r.seconds:.3f}"
        )
        if r.verdict == Verdict.FAIL:
            failure = ET.SubElement(case, "failure", message=r.reason)
            failure.text = "\n".join(e.summary for e in r.evidence)
        elif r.verdict in (Verdict.NOT_APPLICABLE, Verdict.NOT_CERTIFIED):
            ET.SubElement(case, "skipped", message=f"{r.verdict}: {r.reason}")
        out = ET.SubElement(case, "system-out")
        out.text = f"rule: {r.scenario.rule}\nclause: {r.scenario.clause}\n" + "\n".join(
            f"[{e.kind}] {e.summary}" for e in r.evidence
        )
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def as_html(run: Run, data: dict[str, Any] | None = None) -> str:
    return _env.get_template("report.html").render(run=run, data=data or as_json(run))


def write_reports(run: Run, directory: str | Path) -> dict[str, Path]:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"certification-{run.adapter}-{run.suite}"
    paths = {"json": folder / f"{stem}.json", "junit": folder / f"{stem}.xml", "html": folder / f"{stem}.html"}
    data = as_json(run)
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["junit"].write_text(as_junit(run, data))
    paths["html"].write_text(as_html(run, data), encoding="utf-8")
    return paths
