"""Who the end user authorises, and how users linked under an old shared app are moved."""

from __future__ import annotations

import re

from xmock.adapters.base import LinkState
from xmock.scenarios.world import Context, keys_of

_APP = re.compile(r'id="app-name">([^<]*)<')
_DEVELOPER = re.compile(r'id="developer">([^<]*)<')


def consent_brand(ctx: Context) -> None:
    """The end user is sent to X's consent screen for the tenant's app, showing the tenant's name."""
    ctx.onboard()
    start = ctx.adapter.connect_user(ctx.tenant.id, "carol")
    page = ctx.control.consent_page(start.authorization_url)
    app = (_APP.search(page) or [None, ""])[1]
    developer = (_DEVELOPER.search(page) or [None, ""])[1]
    ctx.note("page", f"X's consent screen shows '{app}' by '{developer}'", url=start.authorization_url.split("?")[0])
    ctx.answers["consent"] = f"X's consent screen shows '{app}' by '{developer}'."
    if not app:
        ctx.fail("the user is not sent to X's consent screen")
    if app != ctx.tenant.app["name"]:
        ctx.fail(f"the consent screen shows '{app}' by '{developer}', not the tenant's app '{ctx.tenant.app['name']}'")


def relink_migration(ctx: Context) -> None:
    """Users linked under the old shared app are refused after the switch, reported, and re-linked properly."""
    old = ctx.world.provider_app
    ctx.adapter.onboard_tenant(ctx.tenant.id, keys_of(old))  # the pre-mandate days: the shared app
    ctx.link("alice")
    linked_under = ctx.control.journal(path="/oauth/access_token", status=200) + ctx.control.journal(
        path="/2/oauth2/token", status=200
    )
    ctx.note(
        "journal", f"alice first linked under {old['name']}", app=linked_under[-1]["app_id"] if linked_under else None
    )
    ctx.control.suspend(old["id"])
    ctx.note("clock", f"X suspends the shared app {old['name']}; the tenant switches to its own app")
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, ctx.tenant.keys)
    result = ctx.post("alice", "Still working after the switch?")
    if result.ok:
        ctx.fail("a user linked under the suspended shared app could still post")
    state = ctx.adapter.link_state(ctx.tenant.id, "alice")
    ctx.note("adapter", f"link state after the switch: {state}")
    if state != LinkState.RELINK_REQUIRED:
        ctx.fail(f"the provider reports alice as '{state}' instead of needing a re-link")
    before = len(ctx.control.journal())
    ctx.link("alice")
    exchanges = [
        e
        for e in ctx.control.journal()[before:]
        if e["path"] in ("/oauth/access_token", "/2/oauth2/token") and e["status"] == 200
    ]
    apps = {e["app_id"] for e in exchanges}
    if apps != {ctx.tenant.app["id"]}:
        ctx.fail(f"the re-link issued tokens under {sorted(apps)}, not the tenant's own app")
    ctx.require_ok(ctx.post("alice", "Re-linked under the tenant's own app"), "posting after the re-link")
    old_calls = [e for e in ctx.control.journal()[before:] if e.get("app_id") == old["id"] and e["status"] < 400]
    if old_calls:
        ctx.fail("the old shared app's tokens were used successfully after the switch")
    ctx.answers["migration"] = (
        "Users linked under the old shared app are reported as needing a re-link; re-linking "
        "sends them to your own app's consent screen, and the old tokens stay dead."
    )
