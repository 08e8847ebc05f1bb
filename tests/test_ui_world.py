"""Snapshot download and upload, and reset with a confirmation, from the dashboard."""

from __future__ import annotations

import json

import httpx
from ui_support import browser, make_world, page, ui  # noqa: F401


def test_a_snapshot_downloads_and_restores(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    sim.clock.freeze()  # so the snapshot's clock and the one compared with it agree
    saved = httpx.get(ui.url("/world/snapshot?journal=false"), headers=ui.headers)
    assert saved.status_code == 200
    assert saved.headers["content-disposition"].startswith('attachment; filename="xmock-snapshot-')
    assert json.loads(saved.content) == sim.snapshot(journal=False)
    sim.reset()
    assert sim.store.list_apps(None) == []
    r = httpx.post(ui.url("/world/snapshot"), headers=ui.headers, follow_redirects=False,
                   files={"snapshot": ("world.json", saved.content, "application/json")})
    assert r.status_code == 303 and "said=Snapshot+restored" in r.headers["location"]
    assert [a.id for a in sim.store.list_apps(None)] == [world.app.id]
    sim.clock.reset()


def test_a_bad_snapshot_is_refused_and_changes_nothing(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    world = make_world(sim)
    for content in (b"not json", b"[1, 2]", b'{"format": "something else"}', b""):
        r = httpx.post(ui.url("/world/snapshot"), headers=ui.headers, follow_redirects=False,
                       files={"snapshot": ("world.json", content, "application/json")})
        assert r.status_code == 303 and "error=" in r.headers["location"], content
        assert [a.id for a in sim.store.list_apps(None)] == [world.app.id]
    bad = httpx.get(ui.url("/world/snapshot?journal=maybe"), headers=ui.headers, follow_redirects=False)
    assert bad.status_code == 303 and "journal" in bad.headers["location"]


def test_reset_needs_its_confirmation_and_the_token(ui) -> None:  # noqa: F811
    sim = ui.simulator
    sim.reset()
    make_world(sim)
    unconfirmed = httpx.post(ui.url("/world/reset"), headers=ui.headers, follow_redirects=False)
    assert "error=Nothing+was+reset" in unconfirmed.headers["location"]
    assert httpx.post(ui.url("/world/reset"), data={"confirm": "yes"}).status_code == 401
    assert httpx.get(ui.url("/world/snapshot"), follow_redirects=False).status_code == 303
    assert sim.store.list_apps(None) != []
    httpx.post(ui.url("/world/reset"), headers=ui.headers, data={"confirm": "yes"})
    assert sim.store.list_apps(None) == []


def test_a_person_resets_the_world_after_confirming(page, ui) -> None:  # noqa: F811
    make_world(ui.simulator)
    page.get_by_role("link", name="Snapshot & reset").click()
    page.get_by_role("button", name="Reset the simulator").click()  # the box is not ticked: the browser stops it
    assert ui.simulator.store.list_apps(None) != []
    page.get_by_label("Yes, erase everything").check()
    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Reset the simulator").click()
    assert dialogs and ui.simulator.store.list_apps(None) != []  # dismissed: nothing happened
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset the simulator").click()
    assert "The world was reset" in page.get_by_role("status").inner_text()
    assert ui.simulator.store.list_apps(None) == []
