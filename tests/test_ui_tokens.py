"""The dashboard's tokens page: each token's life on a timeline; a person advances the clock and watches an
OAuth 2.0 access token expire."""

from __future__ import annotations

import httpx
from ui_support import browser, page, ui  # noqa: F401
from ui_world import all_secrets, make_world


def test_the_page_lists_both_kinds_filters_and_shows_no_secret(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    other = sim.create_user(username="bystander")
    sim.mint_oauth1_token(world.app.id, other.id)
    sim.invalidate_oauth1_token(world.oauth1.token)
    assert httpx.get(ui.url("/tokens"), follow_redirects=False).status_code == 303
    shown = httpx.get(ui.url("/tokens"), headers=ui.headers).text
    assert shown.count("<tr data-fingerprint") == 4  # two OAuth 1.0a, an access and a refresh token
    assert "invalidated" in shown and "OAuth 2.0 refresh" in shown
    assert not [s for s in all_secrets(sim, world) if s in shown]
    mine = httpx.get(ui.url("/tokens"), params={"user": other.id}, headers=ui.headers).text
    assert mine.count("<tr data-fingerprint") == 1
    assert httpx.post(ui.url("/tokens/advance"), data={"seconds": "60"}).status_code == 401
    bad = httpx.post(ui.url("/tokens/advance"), data={"seconds": "soon"}, headers=ui.headers, follow_redirects=True)
    assert 'role="alert"' in bad.text


def test_a_person_advances_the_clock_and_watches_an_access_token_expire(page, ui) -> None:  # noqa: F811
    sim = ui.simulator
    world = make_world(sim)
    sim.clock.freeze()
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Tokens").click()
    access = page.locator(f"tr[data-fingerprint='{world.access.public(0)['token_fingerprint']}']")
    assert access.locator(".state").inner_text() == "active"
    assert access.get_by_role("img").get_attribute("aria-label").startswith("issued ")
    page.get_by_role("button", name="2 hours").click()
    page.get_by_role("status").wait_for()
    assert access.locator(".state").inner_text() == "expired"  # X's user access tokens live two hours
    refresh = page.locator(f"tr[data-fingerprint='{world.refresh.public(0)['token_fingerprint']}']")
    assert refresh.locator(".state").inner_text() == "active"
    states = {t["token_fingerprint"]: t["state"] for t in sim.tokens(app=world.app.id)}  # in no set order on Redis
    assert states[world.access.public(0)["token_fingerprint"]] == "expired"
