"""The dashboard's frame: mounted at /_xmock/ui, asks for the control token where the control API does,
ships its own static files; and a person signs in with a real browser."""

from __future__ import annotations

import httpx
from ui_support import TOKEN, UI, assert_no_secrets, browser, page, ui  # noqa: F401

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
    # keyboard first: the first Tab reaches "Skip to content", which lands in the page's main part
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # every field of every form has a label
    for path in ("/journal", "/faults", "/clock", "/world", "/findings"):
        page.goto(ui.url(path))
        unlabelled = page.evaluate(
            """[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
                 .filter(el => !el.labels || el.labels.length === 0).map(el => el.name)"""
        )
        assert unlabelled == [], path
    page.goto(ui.url("/"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(ui.url("/login"))
    page.goto(ui.url("/"))
    assert page.get_by_label("Control token").is_visible()


def test_every_page_asks_for_the_token_and_shows_no_secret(ui) -> None:  # noqa: F811
    from ui_support import bad_signature, make_world

    from xmock.simulator.ui.render import NAV

    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    sim.add_fault(path="/2/users/me", status=503, count=1)
    bearer = {"Authorization": f"Bearer {world.oauth2_access}"}
    assert httpx.get(ui.base + f"/2/users/me?access_token={world.oauth2_access}", headers=bearer).status_code == 503
    assert bad_signature(ui.base, world) == 401
    entries = [e["id"] for e in sim.journal()]
    paths = [path for _, path in NAV] + [f"/journal/{i}" for i in entries] + ["/login"]
    assert len(NAV) >= 6
    for path in paths:
        if path != "/login":
            assert httpx.get(ui.url(path), follow_redirects=False).status_code == 303, path
        page_html = httpx.get(ui.url(path), headers=ui.headers)
        assert page_html.status_code == 200, path
        assert_no_secrets(page_html.text, world)


def test_the_journal_first_page_holds_one_page_of_thousands(ui) -> None:  # noqa: F811
    from xmock.simulator.ui.journal import PAGE_SIZE

    sim = ui.simulator
    sim.reset()
    for i in range(5000):
        sim.store.append_journal({"id": f"n{i}", "time": 0, "method": "GET", "host": "", "path": f"/2/x/{i}",
                                  "query": {}, "endpoint": None, "status": 200, "auth": None, "app_id": None,
                                  "account_id": None, "user_id": None, "token_fingerprint": None, "duration_ms": 0})
    html = httpx.get(ui.url("/journal"), headers=ui.headers).text
    assert html.count("<tr") == PAGE_SIZE + 1  # the rows of one page and the header
    assert "5000 entries" in html and "page 1 of 100" in html
