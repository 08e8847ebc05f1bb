"""The findings page: grouped by rule with each finding's evidence, filtered by app."""

from __future__ import annotations

import httpx
from markupsafe import escape
from ui_support import assert_no_secrets, make_world, ui  # noqa: F401

from xmock.simulator.findings import RULES


def test_findings_are_grouped_by_rule_with_their_evidence(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    other = sim.create_app(sim.create_account("Other").id, "Other app")
    sim.findings.record("duplicate-content", app=world.app, user=world.user, detail="posted twice",
                        evidence={"post_ids": ["111", "222"]})
    sim.findings.record("service-bureau", app=other, detail="acting for another account's user",
                        evidence={"acting_app": other.id})
    r = httpx.get(ui.url("/findings"), headers=ui.headers)
    assert r.status_code == 200
    for rule in ("duplicate-content", "service-bureau"):
        assert escape(RULES[rule]["title"]) in r.text
    assert "posted twice" in r.text and "&#34;222&#34;" in r.text  # the evidence, escaped
    assert "2 findings under 2 rules" in r.text
    assert_no_secrets(r.text, world)
    mine = httpx.get(ui.url(f"/findings?app={world.app.id}"), headers=ui.headers).text
    assert "posted twice" in mine and "acting for another" not in mine
    none = httpx.get(ui.url("/findings?app=nope"), headers=ui.headers).text
    assert "No findings" in none


def test_findings_ask_for_the_token(ui) -> None:  # noqa: F811
    assert httpx.get(ui.url("/findings"), follow_redirects=False).status_code == 303
