"""A PNG of each dashboard page, for the README: `python -m xmock.simulator.ui.screenshots docs/ui/`.

Starts a simulator of its own with a control token, gives it a small world with some history (signed calls
spread over the simulator clock, credits bought, tokens issued, rotated, revoked and expired, a certification
run), signs in with Debian's chromium (playwright, `--chromium PATH`) and saves each page the navigation
lists, plus an app's page and a certification run's. Run it again after changing a page: the README's
pictures stay current."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import httpx
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.server import ServerThread
from xmock.simulator.ui import render

TOKEN = "screenshots-control-token"
START = 1_767_600_000.0  # 2026-01-05T08:00:00Z: the pictures show the same dates every time
VIEWPORT = {"width": 1366, "height": 860}


def _world(sim: Simulator, base: str) -> dict[str, str]:
    """Some history worth looking at; the ids of what the extra pages show."""
    sim.clock.freeze(START)
    account = sim.create_account("Acme Social")
    app = sim.create_app(account.id, "Acme Scheduler", use_case="Schedule Acme's own posts", permission="read-write")
    sim.create_app(account.id, "Acme Insights", use_case="Read analytics of Acme's posts")
    other = sim.create_account("Birdhouse Tools")
    sim.create_app(other.id, "Birdhouse Publisher", use_case="Publish for small shops")
    alice, bob = sim.create_user(username="acme"), sim.create_user(username="acme_support")
    token = sim.mint_oauth1_token(app.id, alice.id)
    signed = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )
    sim.top_up(app.id, "5.00")
    for i in range(12):
        sim.clock.advance(600)
        signed.get(base + "/2/users/me")
        if i % 3 == 0:
            signed.post(base + "/2/tweets", json={"text": f"Scheduled post number {i}"})
    sim.clock.advance(300)
    sim.top_up(app.id, "10.00")
    wrong = OAuth1Session(app.consumer_key, client_secret="not-the-secret", resource_owner_key=token.token,
                          resource_owner_secret=token.secret)
    wrong.get(base + "/2/users/me")  # a bad signature, for the journal
    old = sim.mint_oauth1_token(app.id, bob.id)
    sim.invalidate_oauth1_token(old.token)
    _, refresh = sim.mint_oauth2_token(app.id, bob.id)
    sim.clock.advance(1800)
    httpx.post(
        base + "/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh.token if refresh else ""},
        auth=(app.client_id, app.client_secret),
    )  # the refresh token rotates into a new pair
    spare, _ = sim.mint_oauth2_token(app.id, alice.id, scopes="tweet.read users.read")
    sim.revoke_oauth2_token(spare.token)
    ended, _ = sim.mint_oauth2_token(app.id, alice.id, scopes="tweet.read users.read")
    sim.clock.advance(600)
    sim.expire_oauth2_token(ended.token)
    sim.clock.advance(60)
    return {"app": app.id}


def _name(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def take(out: Path, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from xmock.scenarios.runner import bundled_factory, certify

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with ServerThread(Simulator(Settings(seed=19)), control_token=TOKEN) as server:
        base = server.base_url
        # First: a certification run resets the world before each scenario, and leaves its report behind.
        run = certify("reference", bundled_factory("reference"), base, only=["own-app"], control_token=TOKEN)
        ids = _world(server.simulator, base)
        pages = [(_name(label), path) for label, path in render.NAV]
        pages += [("app", f"/apps/{ids['app']}"), ("certification-run", f"/certifications/{run.run_id}")]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            tab = browser.new_context(viewport=VIEWPORT).new_page()
            tab.goto(base + render.url("/login"))
            tab.get_by_label("Control token").fill(TOKEN)
            tab.get_by_role("button", name="Open the dashboard").click()
            tab.wait_for_url(base + render.url("/"))
            for name, path in pages:
                tab.goto(base + render.url(path), wait_until="load")
                target = out / f"{name}.png"
                tab.screenshot(path=str(target), full_page=True)
                saved.append(target)
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xmock.simulator.ui.screenshots", description=__doc__)
    parser.add_argument("out", type=Path, help="folder for the PNG files, e.g. docs/ui/")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the chromium to drive")
    args = parser.parse_args(argv)
    for path in take(args.out, args.chromium):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
