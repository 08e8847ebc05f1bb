"""The journal page: filters and server-side paging, an entry's signature diagnosis beside its request,
live rows over server-sent events, and no secret in any of it."""

from __future__ import annotations

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_support import assert_no_secrets, bad_signature, browser, make_world, page, ui  # noqa: F401

from xmock.simulator.ui import diagnosis
from xmock.simulator.ui.journal import PAGE_SIZE


def _entry(sim, **fields) -> dict:
    entry = {"id": fields.pop("id"), "time": sim.clock.now(), "method": "GET", "host": "api.x.com",
             "path": "/2/users/me", "query": {}, "endpoint": "findMyUser", "status": 200, "auth": "oauth1",
             "app_id": "1", "account_id": None, "user_id": "7", "token_fingerprint": None, "duration_ms": 0.1}
    entry.update(fields)
    sim.store.append_journal(entry)
    return entry


def test_the_journal_pages_newest_first_on_the_server(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    for i in range(PAGE_SIZE * 2 + 5):
        _entry(sim, id=f"e{i:04d}", path=f"/2/tweets/{i}")
    first = httpx.get(ui.url("/journal"), headers=ui.headers)
    assert first.status_code == 200
    assert "/2/tweets/104" in first.text and "/2/tweets/55" in first.text
    assert "/2/tweets/54" not in first.text  # on page 2
    assert "page 1 of 3" in first.text
    assert first.text.index("/2/tweets/104") < first.text.index("/2/tweets/103")
    last = httpx.get(ui.url("/journal?page=3"), headers=ui.headers)
    assert "/2/tweets/4<" in last.text and "/2/tweets/0<" in last.text and "/2/tweets/5<" not in last.text
    assert "data-live-journal" not in last.text  # a later page stays put
    # a page past the end shows the last one; a nonsense page number the first
    assert "page 3 of 3" in httpx.get(ui.url("/journal?page=99"), headers=ui.headers).text
    assert "page 1 of 3" in httpx.get(ui.url("/journal?page=x"), headers=ui.headers).text


def test_the_journal_filters_by_app_user_status_and_endpoint(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    _entry(sim, id="a", app_id="10", path="/2/tweets/aaa")
    _entry(sim, id="b", app_id="11", user_id="8", status=429, endpoint="createPosts", path="/2/tweets/bbb")
    get = lambda q: httpx.get(ui.url("/journal?" + q), headers=ui.headers).text  # noqa: E731
    assert "/2/tweets/bbb" in get("app=11") and "/2/tweets/aaa" not in get("app=11")
    assert "/2/tweets/bbb" in get("user=8") and "/2/tweets/aaa" not in get("user=8")
    assert "/2/tweets/bbb" in get("status=429") and "/2/tweets/aaa" not in get("status=429")
    assert "/2/tweets/aaa" in get("endpoint=findMyUser") and "/2/tweets/bbb" not in get("endpoint=findMyUser")
    bad = httpx.get(ui.url("/journal?status=abc"), headers=ui.headers)
    assert bad.status_code == 200 and "Status is an HTTP status code" in bad.text
    assert httpx.get(ui.url("/journal/live?status=abc"), headers=ui.headers).status_code == 400


def test_an_unknown_entry_is_a_404_page(ui) -> None:  # noqa: F811
    r = httpx.get(ui.url("/journal/nope"), headers=ui.headers)
    assert r.status_code == 404 and "no such entry" in r.text


def test_journal_pages_ask_for_the_token(ui) -> None:  # noqa: F811
    for path in ("/journal", "/journal/live", "/journal/x"):
        assert httpx.get(ui.url(path), follow_redirects=False).status_code == 303
    assert httpx.post(ui.url("/journal/x"), follow_redirects=False).status_code == 401


def test_a_bad_signature_shows_its_candidates_and_what_differs_without_secrets(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    assert bad_signature(ui.base, world) == 401
    (failed,) = sim.journal(status=401)
    r = httpx.get(ui.url(f"/journal/{failed['id']}"), headers=ui.headers)
    assert r.status_code == 200
    assert "Candidate 1" in r.text and ui.base + "/2/users/me" in r.text
    assert_no_secrets(r.text, world)
    # the client's base string, pasted: its token compared as a fingerprint and never shown
    candidate = failed["diagnosis"]["signature_candidates"][0]
    ours = candidate["base_string"]
    from xmock.simulator.redact import fingerprint

    theirs = ours.replace(fingerprint(world.oauth1.token), world.oauth1.token).replace("GET&", "POST&", 1)
    compared = httpx.post(ui.url(f"/journal/{failed['id']}"), headers=ui.headers, data={"signed": theirs})
    assert compared.status_code == 200
    assert "differs from yours" in compared.text and "same as yours" not in compared.text
    assert world.oauth1.token not in compared.text
    parts = diagnosis.compare(ours, theirs)
    assert [p.name for p in parts if p.differs] == ["method"]


def test_split_base_string_reads_method_url_and_parameters() -> None:
    rows = diagnosis.split_base_string("GET&https%3A%2F%2Fapi.x.com%2F2%2Fusers%2Fme&a%3D1%26b%3Dx%2520y")
    assert rows == [("method", "GET"), ("URL", "https://api.x.com/2/users/me"), ("a", "1"), ("b", "x y")]
    missing = diagnosis.compare("GET&u&a%3D1", "GET&u&b%3D2")
    assert [(p.name, p.ours, p.theirs) for p in missing if p.differs] == [("a", "1", "(missing)"),
                                                                          ("b", "(missing)", "2")]


def test_a_person_finds_the_diagnosis_of_a_bad_signature(page, ui) -> None:  # noqa: F811
    world = make_world(ui.simulator)
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Journal").click()
    page.wait_for_selector("#live-status:text('Live:')")
    # the request arrives while the page is open: the live stream puts it on top
    assert bad_signature(ui.base, world) == 401
    row = page.locator("tbody tr.fresh").first
    row.wait_for()
    assert "401" in row.inner_text()
    page.get_by_label("Status").fill("401")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Diagnosis of GET /2/users/me").click()
    assert page.get_by_role("heading", name="Diagnosis").is_visible()
    assert page.get_by_role("heading", name="Request").is_visible()
    assert page.get_by_role("heading", name="Candidate 1:").first.is_visible()
    assert "signature does not match" in page.content()
    assert_no_secrets(page.content(), world)


@settings(max_examples=150, deadline=None)
@given(signed=st.one_of(st.none(), st.text(max_size=200)),
       found=st.one_of(st.none(), st.text(max_size=20), st.dictionaries(
           st.sampled_from(["signature_candidates", "scheme", "app_id"]),
           st.one_of(st.text(max_size=30), st.lists(st.one_of(st.text(max_size=5), st.dictionaries(
               st.sampled_from(["url", "base_string"]), st.text(max_size=60))), max_size=3)))))
def test_a_diagnosis_of_any_shape_and_any_pasted_text_is_shown_without_an_error(signed, found) -> None:
    shown = diagnosis.view({"diagnosis": found}, signed)
    assert (shown is None) == (not isinstance(found, dict))
    if shown is not None:
        for candidate in shown["candidates"]:
            assert candidate["parts"][0].name == "method"
