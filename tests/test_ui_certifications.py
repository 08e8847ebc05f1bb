"""The dashboard's certification runs: a run against the simulator tells it of itself; a person opens the
run and reads its HTML report, shown sandboxed."""

from __future__ import annotations

import httpx
from ui_support import TOKEN, browser, page, ui  # noqa: F401

from xmock.scenarios.runner import bundled_factory, certify


def test_a_person_opens_the_report_of_a_run_the_simulator_took_part_in(page, ui) -> None:  # noqa: F811
    run = certify("reference", bundled_factory("reference"), ui.base, only=["own-app"], control_token=TOKEN)
    listed = httpx.get(ui.base + "/_xmock/certifications", headers=ui.headers).json()["runs"]
    assert [r["run_id"] for r in listed][:1] == [run.run_id]
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Certification").click()
    row = page.get_by_role("row").filter(has_text=run.run_id[:12])
    assert row.locator(".badge").inner_text() == str(run.verdict)
    row.get_by_role("link", name="reference").click()
    report = page.frame_locator("iframe.report")
    assert report.locator("#run-id").inner_text() == run.run_id
    # the report is posted content: served so that no script of it runs, in the frame or opened alone
    assert page.locator("iframe.report").get_attribute("sandbox") == ""
    alone = httpx.get(ui.url(f"/certifications/{run.run_id}/report"), headers=ui.headers)
    assert alone.headers["content-security-policy"].startswith("sandbox")
    assert httpx.get(ui.url(f"/certifications/{run.run_id}/report")).status_code in (303, 401)
    assert httpx.get(ui.url("/certifications/ffffffff"), headers=ui.headers).status_code == 404
