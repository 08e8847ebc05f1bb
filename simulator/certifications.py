"""Certification runs the simulator took part in: the runner posts each run's JSON and HTML reports
(scenarios/runner.py) and the simulator keeps a summary and the HTML report for people to open.

Kept apart from the world: a run resets the world before every scenario, and a later reset or snapshot
leaves the record of the runs alone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from xmock.simulator.control.errors import ControlError, InvalidInput, check_names, check_text

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

RUN_ID = re.compile(r"[0-9a-f]{8,64}")
MAX_REPORT = 5_000_000  # characters of HTML: a report of a few hundred scenarios is well under
SUMMARY_TEXT = ("schema", "suite", "suite_version", "adapter", "simulator", "started_at", "finished_at", "why")
VERDICTS = ("pass", "fail", "not certified", "not applicable")


def record(sim: Simulator, document: dict[str, Any]) -> dict[str, Any]:
    """Keep a posted run: {"report": <the JSON report>, "html": <the HTML report>}; its summary back."""
    check_names("field", document, ("report", "html"))
    report, html = document.get("report"), document.get("html")
    if not isinstance(report, dict):
        raise InvalidInput("report: expected the run's JSON report (an object)")
    check_text("html", html, max_length=MAX_REPORT, empty=False)
    run_id = report.get("run_id")
    if not isinstance(run_id, str) or not RUN_ID.fullmatch(run_id):
        raise InvalidInput("report.run_id: expected the run's id (8 to 64 lowercase hex digits)")
    if report.get("verdict") not in VERDICTS:
        raise InvalidInput(f"report.verdict: expected one of {', '.join(VERDICTS)}")
    summary: dict[str, Any] = {"run_id": run_id, "verdict": report["verdict"], "received_at": sim.clock.now()}
    for name in SUMMARY_TEXT:
        summary[name] = check_text(f"report.{name}", report.get(name, ""), max_length=2000)
    counts = report.get("counts", {})
    if not isinstance(counts, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in counts.items()
    ):
        raise InvalidInput("report.counts: expected verdicts and how many scenarios had each")
    summary["counts"] = {k: counts[k] for k in VERDICTS if k in counts}
    digest = report.get("digest")
    sha = digest.get("sha256") if isinstance(digest, dict) else None
    summary["sha256"] = sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None
    summary["scenarios"] = len(report["scenarios"]) if isinstance(report.get("scenarios"), list) else None
    sim.store.add_certification(summary, html)
    return summary


def runs(sim: Simulator) -> list[dict[str, Any]]:
    return sim.store.certifications()


def report_html(sim: Simulator, run_id: str) -> str:
    html = sim.store.certification_report(run_id) if RUN_ID.fullmatch(run_id) else None
    if html is None:
        raise ControlError(404, f"no certification run {run_id}")
    return html
