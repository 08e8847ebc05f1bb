"""The dashboard's frame: mounted at /_xmock/ui, asks for the control token where the control API does,
ships its own static files; and a person signs in with a real browser."""

from __future__ import annotations

import httpx
from ui_support import TOKEN, UI, browser, page, ui  # noqa: F401

from xmock.simulator import Simulator
from xmock.simulator.control.guard import UI_COOKIE, ui_session
from xmock.simulator.server import ServerThread


def test_pages_ask_for_the_token_and_send_the_browser_to_sign_in(ui) -> None:  # noqa: F811
    r = httpx.get(ui.url("/"), follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"{UI}/login?next=%2F_xmock%2Fui%2F"
    assert httpx.get(ui.url("/login")).status_code == 200
    assert httpx.get(ui.url("/static/ui.css")).status_code == 200
    # a form posted without the token is refused, as the control API refuses it
    assert httpx.post(ui.url("/logout"), follow_redirects=False).status_code == 401
    # the bearer header opens the UI too, as it opens the control API
    assert httpx.get(ui.url("/"), headers=ui.headers).status_code == 200


def test_sign_in_takes_the_token_and_sets_a_cookie_that_is_not_the_token(ui) -> None:  # noqa: F811
    with httpx.Client(base_url=ui.base) as client:
        wrong = client.post(f"{UI}/login", data={"token": "nope", "next": f"{UI}/"})
        assert wrong.status_code == 401
        assert "not the control token" in wrong.text
        ok = client.post(f"{UI}/login", data={"token": TOKEN, "next": "https://evil.example/"}, follow_redirects=False)
        assert ok.status_code == 303
        assert ok.headers["location"] == f"{UI}/"  # never off to another host
        cookie = ok.headers["set-cookie"]
        assert TOKEN not in cookie
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and f"Path={UI}" in cookie
        assert client.cookies[UI_COOKIE] == ui_session(TOKEN)
        assert client.get(f"{UI}/").status_code == 200
        # the cookie opens the UI only, not the rest of the control API
        assert client.get("/_xmock/journal").status_code == 401


def test_a_forged_cookie_is_refused(ui) -> None:  # noqa: F811
    r = httpx.get(ui.url("/"), cookies={UI_COOKIE: ui_session("another token")}, follow_redirects=False)
    assert r.status_code == 303


def test_a_form_posted_from_another_site_is_refused(ui) -> None:  # noqa: F811
    headers = {**ui.headers, "Origin": "https://evil.example"}
    assert httpx.post(ui.url("/logout"), headers=headers).status_code == 403
    assert httpx.post(ui.url("/logout"), headers={**ui.headers, "Origin": "null"}).status_code == 403
    same = httpx.post(ui.url("/logout"), headers={**ui.headers, "Origin": ui.base}, follow_redirects=False)
    assert same.status_code == 303


def test_without_a_token_the_ui_is_open_as_the_control_api_is() -> None:
    with ServerThread(Simulator()) as server:
        base = server.base_url + UI
        r = httpx.get(base + "/")
        assert r.status_code == 200
        assert "Sign out" not in r.text
        assert httpx.get(base + "/login", follow_redirects=False).headers["location"] == f"{UI}/"


def test_a_person_signs_in_and_finds_the_navigation(page, ui) -> None:  # noqa: F811
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"
    nav = page.get_by_role("navigation", name="Dashboard")
    assert nav.get_by_role("link", name="Overview").get_attribute("aria-current") == "page"
    assert page.locator("main").count() == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(ui.url("/login"))
    page.goto(ui.url("/"))
    assert page.get_by_label("Control token").is_visible()
