"""Fault rules and stubs in the dashboard: added and removed through forms, refused with the control API's
message, and seen striking, by HTTP and by a person in a browser."""

from __future__ import annotations

import httpx
import requests
from ui_support import assert_no_secrets, browser, make_world, page, ui  # noqa: F401


def test_a_fault_rule_is_added_listed_and_removed(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    r = httpx.post(ui.url("/faults"), headers=ui.headers, follow_redirects=False,
                   data={"path": "/2/users/me", "action": "status", "status": "503", "count": "2"})
    assert r.status_code == 303 and "added" in r.headers["location"]
    (rule,) = sim.store.list_faults()
    assert (rule["path"], rule["status"], rule["count"], rule["required"]) == ("/2/users/me", 503, 2, False)
    assert rule["id"] in httpx.get(ui.url("/faults"), headers=ui.headers).text
    gone = httpx.post(ui.url(f"/faults/{rule['id']}/remove"), headers=ui.headers, follow_redirects=False)
    assert gone.status_code == 303 and sim.store.list_faults() == []
    again = httpx.post(ui.url(f"/faults/{rule['id']}/remove"), headers=ui.headers, follow_redirects=False)
    assert "error=No+fault+rule" in again.headers["location"]


def test_a_bad_fault_rule_is_refused_with_the_control_api_message(ui) -> None:  # noqa: F811
    ui.simulator.reset()
    for data, said in (
        ({"action": "status", "status": "abc"}, "status: expected a whole number"),
        ({"action": "status", "status": "200"}, "status"),
        ({"action": "explode"}, "action: expected one of"),
        ({"action": "latency", "probability": "x"}, "probability: expected a number"),
    ):
        r = httpx.post(ui.url("/faults"), headers=ui.headers, data=data)
        assert r.status_code == 400 and "Fault rule not added" in r.text and said in r.text
    assert ui.simulator.store.list_faults() == []


def test_a_stub_is_added_answers_and_is_removed(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    r = httpx.post(ui.url("/stubs"), headers=ui.headers, follow_redirects=False,
                   data={"method": "GET", "path": "/2/users/me", "status": "200", "body": '{"data": {"id": "42"}}'})
    assert r.status_code == 303
    (stub,) = sim.list_stubs()
    answer = requests.get(ui.base + "/2/users/me", headers={"Authorization": f"Bearer {world.oauth2_access}"})
    assert answer.json() == {"data": {"id": "42"}}
    html = httpx.get(ui.url("/faults"), headers=ui.headers).text
    assert f"stub {stub['id']}" in html  # among the requests they answered
    assert_no_secrets(html, world)
    bad = httpx.post(ui.url("/stubs"), headers=ui.headers, data={"body": "{not json"})
    assert bad.status_code == 400 and "body: expected JSON" in bad.text
    assert httpx.post(ui.url(f"/stubs/{stub['id']}/remove"), headers=ui.headers).status_code == 303
    assert sim.list_stubs() == []


def test_fault_forms_ask_for_the_token(ui) -> None:  # noqa: F811
    assert httpx.post(ui.url("/faults"), data={"action": "drop"}).status_code == 401
    assert httpx.post(ui.url("/stubs"), data={}).status_code == 401
    assert ui.simulator.store.list_faults() == []


def test_a_person_adds_a_fault_and_watches_it_strike(page, ui) -> None:  # noqa: F811
    world = make_world(ui.simulator)
    page.get_by_role("link", name="Faults & stubs").click()
    form = page.get_by_role("form", name="Add a fault rule")
    form.get_by_label("Path (a prefix ends in *)").fill("/2/users/me")
    form.get_by_label("Status").fill("503")
    form.get_by_label("Times (blank: always)").fill("1")
    form.get_by_role("button", name="Add fault rule").click()
    assert "added" in page.get_by_role("status").inner_text()
    (rule,) = ui.simulator.store.list_faults()
    assert page.locator(f"[data-struck='{rule['id']}']").inner_text() == "0"
    headers = {"Authorization": f"Bearer {world.oauth2_access}"}
    assert requests.get(ui.base + "/2/users/me", headers=headers).status_code == 503
    assert requests.get(ui.base + "/2/users/me", headers=headers).status_code == 200  # once only
    page.reload()
    assert page.locator(f"[data-struck='{rule['id']}']").inner_text() == "1"
    struck = page.get_by_role("region", name="Latest requests they answered")
    assert f"fault rule {rule['id']}" in struck.inner_text() and "503" in struck.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Remove fault rule {rule['id']}").click()
    assert "removed" in page.get_by_role("status").inner_text()
    assert ui.simulator.store.list_faults() == []
