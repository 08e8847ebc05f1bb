"""Certification runs the simulator took part in: posted by the runner, kept by a reset, out of snapshots."""

from __future__ import annotations

import pytest
import requests

from xmock.simulator import Simulator
from xmock.simulator.certifications import record, report_html, runs
from xmock.simulator.control.errors import ControlError
from xmock.simulator.store.memory_certifications import CERTIFICATIONS_KEPT


def _posted(run_id: str = "ab" * 16, verdict: str = "pass") -> dict:
    report = {
        "schema": "xmock.certification/2",
        "run_id": run_id,
        "suite": "x-byo-2026",
        "adapter": "reference",
        "verdict": verdict,
        "counts": {"pass": 3, "fail": 0},
        "scenarios": [{}, {}, {}],
        "digest": {"sha256": "0" * 64},
    }
    return {"report": report, "html": f"<html><body><h1>Run {run_id}</h1></body></html>"}


@pytest.fixture(params=["memory", "redis"])
def fresh(request: pytest.FixtureRequest) -> Simulator:
    if request.param == "memory":
        return Simulator()
    return Simulator(store=request.getfixturevalue("redis_server").store())


def test_a_run_is_kept_through_resets_and_left_out_of_snapshots(fresh: Simulator):
    sim = fresh
    summary = record(sim, _posted())
    assert summary["verdict"] == "pass" and summary["scenarios"] == 3 and summary["sha256"] == "0" * 64
    snapshot = sim.snapshot()
    sim.reset()
    assert [r["run_id"] for r in runs(sim)] == ["ab" * 16]
    assert "Run abab" in report_html(sim, "ab" * 16)
    record(sim, _posted("cd" * 16, "fail"))
    sim.restore(snapshot)  # a world restored: the runs stay as they are
    assert [r["run_id"] for r in runs(sim)] == ["cd" * 16, "ab" * 16]
    record(sim, _posted("ab" * 16, "fail"))  # posted again: shown once, as last posted
    assert [(r["run_id"], r["verdict"]) for r in runs(sim)] == [("ab" * 16, "fail"), ("cd" * 16, "fail")]


def test_only_the_newest_runs_are_kept(fresh: Simulator):
    for i in range(CERTIFICATIONS_KEPT + 2):
        record(fresh, _posted(f"{i:08x}"))
    kept = runs(fresh)
    assert len(kept) == CERTIFICATIONS_KEPT and kept[0]["run_id"] == f"{CERTIFICATIONS_KEPT + 1:08x}"
    with pytest.raises(ControlError):
        report_html(fresh, "00000000")
    assert report_html(fresh, "00000002")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"report": "x"}, "report: expected"),
        ({"html": ""}, "html: expected a non-empty"),
        ({"extra": 1}, "unknown field"),
        ({"report": {**_posted()["report"], "run_id": "../etc"}}, "report.run_id"),
        ({"report": {**_posted()["report"], "verdict": "great"}}, "report.verdict"),
        ({"report": {**_posted()["report"], "counts": {"pass": "3"}}}, "report.counts"),
    ],
)
def test_a_malformed_post_is_refused_with_what_is_wrong(change: dict, message: str):
    with pytest.raises(ControlError, match=message) as caught:
        record(Simulator(), {**_posted(), **change})
    assert caught.value.status == 400


def test_the_control_api_takes_lists_and_serves_a_report_sandboxed(sim, base, http: requests.Session):
    # Runs outlive resets, so another test's run on this server may be listed too.
    before = http.get(f"{base}/_xmock/certifications").json()["count"]
    assert http.post(f"{base}/_xmock/certifications", json=_posted()).status_code == 201
    listed = http.get(f"{base}/_xmock/certifications").json()
    ours = [run for run in listed["runs"] if run["run_id"] == "ab" * 16]
    assert listed["count"] == min(before + 1, 50) and [run["adapter"] for run in ours] == ["reference"]
    page = http.get(f"{base}/_xmock/certifications/{'ab' * 16}/report")
    assert page.status_code == 200 and "<h1>Run abab" in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("sandbox")
    assert http.get(f"{base}/_xmock/certifications/{'ef' * 16}/report").status_code == 404
    assert http.post(f"{base}/_xmock/certifications", data=b"[1]").status_code == 400
