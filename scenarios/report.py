"""Certification reports: JUnit XML for CI, versioned JSON for machines, self-contained HTML for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jinja2 import Environment, PackageLoader, select_autoescape

from xmock.scenarios.base import QUESTIONS, Verdict
from xmock.scenarios.runner import Run

SCHEMA = "xmock.certification/1"
_env = Environment(loader=PackageLoader("xmock.scenarios", "templates"), autoescape=select_autoescape(["html"]))

# Which scenarios answer each question a customer should ask a provider.
QUESTION_SOURCES = {
    "credentials": ["secrets-at-rest", "credentials-per-request", "own-app"],
    "consent": ["consent-brand"],
    "leaving": ["portability"],
    "migration": ["relink-migration"],
    "receiving": ["webhooks-own-app"],
}


def answers(run: Run) -> list[dict[str, Any]]:
    by_id = {r.scenario.id: r for r in run.results}
    out = []
    for key, question in QUESTIONS.items():
        sources = [by_id[s] for s in QUESTION_SOURCES[key] if s in by_id]
        failed = [r for r in sources if r.verdict == Verdict.FAIL]
        passed = [r for r in sources if r.verdict == Verdict.PASS and key in r.answers]
        if failed:
            answer = "Not as X requires: " + "; ".join(f"{r.scenario.id}: {r.reason}" for r in failed)
        elif passed:
            answer = passed[0].answers[key]
        else:
            answer = "Not shown by this run (the scenarios that would answer it were skipped)."
        out.append(
            {
                "question": question,
                "answer": answer,
                "scenarios": [r.scenario.id for r in sources],
                "verdict": "fail" if failed else "pass" if passed else "skip",
            }
        )
    return out


def as_json(run: Run) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "suite": run.suite,
        "adapter": run.adapter,
        "simulator": run.simulator,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "verdict": str(run.verdict),
        "counts": run.counts(),
        "scenarios": [r.as_dict() for r in run.results],
        "questions": answers(run),
    }


def as_junit(run: Run) -> str:
    counts = run.counts()
    suite = ET.Element(
        "testsuite",
        name=f"xmock.{run.suite}",
        tests=str(len(run.results)),
        failures=str(counts["fail"]),
        skipped=str(counts["skip"]),
        errors="0",
        time=f"{sum(r.seconds for r in run.results):.3f}",
        timestamp=run.started_at,
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (("adapter", run.adapter), ("simulator", run.simulator), ("schema", SCHEMA)):
        ET.SubElement(props, "property", name=name, value=value)
    for r in run.results:
        case = ET.SubElement(
            suite, "testcase", classname=f"xmock.{run.suite}.{run.adapter}", name=r.scenario.id, time=f"{r.seconds:.3f}"
        )
        if r.verdict == Verdict.FAIL:
            failure = ET.SubElement(case, "failure", message=r.reason)
            failure.text = "\n".join(e.summary for e in r.evidence)
        elif r.verdict == Verdict.SKIP:
            ET.SubElement(case, "skipped", message=r.reason)
        out = ET.SubElement(case, "system-out")
        out.text = f"rule: {r.scenario.rule}\nclause: {r.scenario.clause}\n" + "\n".join(
            f"[{e.kind}] {e.summary}" for e in r.evidence
        )
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def as_html(run: Run) -> str:
    return _env.get_template("report.html").render(run=run, data=as_json(run))


def write_reports(run: Run, directory: str | Path) -> dict[str, Path]:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"certification-{run.adapter}-{run.suite}"
    paths = {"json": folder / f"{stem}.json", "junit": folder / f"{stem}.xml", "html": folder / f"{stem}.html"}
    paths["json"].write_text(json.dumps(as_json(run), indent=2))
    paths["junit"].write_text(as_junit(run))
    paths["html"].write_text(as_html(run))
    return paths
