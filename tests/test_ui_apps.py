"""The dashboard's developer accounts and apps: balance and its chart, ledger, rate-limit windows, suspend
and key rotation; plain HTTP for each route and a person's journey in the real browser."""

from __future__ import annotations

import httpx
from requests_oauthlib import OAuth1Session
from ui_support import UI, browser, page, ui  # noqa: F401
from ui_world import all_secrets, make_world


def _signed_call(base: str, world) -> int:
    app = world.app
    session = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=world.oauth1.token,
        resource_owner_secret=world.oauth1.secret,
    )
    return session.get(base + "/2/users/me").status_code


def test_each_route_answers_asks_for_the_token_and_shows_no_secret(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    sim.top_up(world.app.id, "10")
    assert _signed_call(ui.base, world) == 200
    pages = ["/apps", f"/apps/{world.app.id}", f"/apps/{world.app.id}?page=9"]
    for path in pages:
        assert httpx.get(ui.url(path), follow_redirects=False).status_code == 303  # to sign in
        answer = httpx.get(ui.url(path), headers=ui.headers)
        assert answer.status_code == 200, path
        assert not [s for s in all_secrets(sim, world) if s in answer.text], path
    detail = httpx.get(ui.url(f"/apps/{world.app.id}"), headers=ui.headers).text
    assert "users:me" in detail and ">74<" in detail  # the window the call opened: 74 of 75 left
    assert "<svg" in detail and "Acme Scheduler" in detail
    assert httpx.get(ui.url("/apps/404"), headers=ui.headers).status_code == 404
    for action in ("credits", "suspension", "keys"):
        assert httpx.post(ui.url(f"/apps/{world.app.id}/{action}")).status_code == 401
    # a bad amount says what is wrong, as the control API would
    bad = httpx.post(ui.url(f"/apps/{world.app.id}/credits"), data={"amount": "lots"}, headers=ui.headers,
                     follow_redirects=True)
    assert bad.status_code == 200 and 'role="alert"' in bad.text
    rotated = httpx.post(ui.url(f"/apps/{world.app.id}/keys"), headers=ui.headers, follow_redirects=True)
    assert "New consumer key" in rotated.text
    assert not [s for s in all_secrets(sim, world) if s in rotated.text]


def test_a_person_tops_up_and_sees_the_balance_and_chart_change_then_suspends_the_app(page, ui) -> None:  # noqa: F811
    sim = ui.simulator
    world = make_world(sim)
    sim.clock.freeze()
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Apps").click()
    page.get_by_role("link", name="Acme Scheduler").click()
    assert page.locator("#balance").inner_text() == "10.00 USD"  # the credits a new app is granted
    chart = page.get_by_role("img", name=f"Balance and spending of {world.app.name}")
    assert "balance now 10.00 USD" in chart.locator("desc").text_content()
    page.get_by_label("Buy credits (USD)").fill("12.50")
    page.get_by_role("button", name="Top up").click()
    page.get_by_role("status").wait_for()
    assert "22.50" in page.get_by_role("status").inner_text()
    assert page.locator("#balance").inner_text() == "22.50 USD"
    assert "balance now 22.50 USD" in chart.locator("desc").text_content()
    assert page.locator("svg.chart polyline.balance").count() == 1
    page.get_by_label("Buy credits (USD)").fill("5")
    page.keyboard.press("Enter")  # by keyboard too
    page.wait_for_function("document.getElementById('balance').textContent.startsWith('27.50')")
    assert "balance now 27.50 USD" in chart.locator("desc").text_content()
    assert page.get_by_role("cell", name="top-up").count() == 2
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Suspend the app").click()
    page.get_by_role("button", name="Unsuspend the app").wait_for()
    assert sim.app(world.app.id).suspended
    assert _signed_call(ui.base, world) == 401  # X refuses a suspended app's keys
