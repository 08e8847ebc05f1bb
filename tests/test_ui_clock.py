"""The clock page: each action goes through the control API's checks; a person advances the clock and
watches an OAuth 2.0 token expire."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import requests
from ui_support import browser, make_world, page, ui  # noqa: F401

MAY_6 = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp()


def _act(ui, **data) -> httpx.Response:  # noqa: F811
    return httpx.post(ui.url("/clock"), headers=ui.headers, data=data, follow_redirects=False)


def test_freeze_advance_set_resume_and_reset(ui) -> None:  # noqa: F811
    clock = ui.simulator.clock
    clock.reset()
    assert "said=Clock+frozen" in _act(ui, action="freeze", at="2031-05-06T07:08:09").headers["location"]
    assert clock.state().frozen and clock.now() == MAY_6
    _act(ui, action="advance", seconds="3600")
    assert clock.now() == MAY_6 + 3600
    _act(ui, action="set", at="2032-01-01T00:00")
    assert clock.now() == datetime(2032, 1, 1, tzinfo=UTC).timestamp()
    html = httpx.get(ui.url("/clock"), headers=ui.headers).text
    assert "2032-01-01T00:00:00.000Z" in html and "Frozen" in html
    _act(ui, action="resume")
    assert not clock.state().frozen
    _act(ui, action="reset")
    assert clock.state().offset == 0


def test_a_bad_clock_action_leaves_it_alone_and_says_why(ui) -> None:  # noqa: F811
    clock = ui.simulator.clock
    clock.reset()
    clock.freeze(2_000_000_000)
    for data, said in (
        ({"action": "advance", "seconds": "soon"}, "advance%3A+expected+a+number"),
        ({"action": "set", "at": "yesterday"}, "set"),
        ({"action": "explode"}, "say+one+of"),
        ({"action": "advance", "seconds": "-1e30"}, "Clock+unchanged"),
    ):
        r = _act(ui, **data)
        assert r.status_code == 303 and "error=Clock+unchanged" in r.headers["location"], data
        assert said in r.headers["location"]
    assert clock.now() == 2_000_000_000
    clock.reset()


def test_clock_actions_ask_for_the_token(ui) -> None:  # noqa: F811
    before = ui.simulator.clock.state().offset
    assert httpx.post(ui.url("/clock"), data={"action": "advance", "seconds": "60"}).status_code == 401
    assert ui.simulator.clock.state().offset == before


def test_a_person_advances_the_clock_and_watches_a_token_expire(page, ui) -> None:  # noqa: F811
    world = make_world(ui.simulator)
    headers = {"Authorization": f"Bearer {world.oauth2_access}"}
    assert requests.get(ui.base + "/2/users/me", headers=headers).status_code == 200
    page.get_by_role("link", name="Clock").click()
    page.get_by_role("button", name="Freeze").click()
    assert "Frozen" in page.locator("#clock-state").inner_text()
    before = page.locator("#clock-now").inner_text()
    page.get_by_role("button", name="+ 1 hour").click()
    page.get_by_role("button", name="+ 1 hour").click()
    page.get_by_role("button", name="+ 15 minutes").click()
    assert page.locator("#clock-now").inner_text() > before
    assert requests.get(ui.base + "/2/users/me", headers=headers).status_code == 401
    page.get_by_role("link", name="Journal").click()
    failed = page.locator("tbody tr.failed").first
    assert "bearer token is expired" in failed.inner_text()
    assert "200" in page.locator("tbody tr").nth(1).inner_text()
    ui.simulator.clock.reset()
