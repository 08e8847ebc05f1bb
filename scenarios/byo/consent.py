"""Who the end user authorises, and how users linked under an old shared app are moved."""

from __future__ import annotations

import re

from xmock.adapters.base import LinkState
from xmock.scenarios.world import Context, keys_of

_APP = re.compile(r'id="app-name">([^<]*)<')
_DEVELOPER = re.compile(r'id="developer">([^<]*)<')
TOKEN_PATHS = ("/oauth/access_token", "/2/oauth2/token")


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
    # The name alone can be copied: the developer account behind the app must be the tenant's too.
    owner = ctx.tenant.account["name"]
    if developer != owner:
        ctx.fail(
            f"the consent screen shows the tenant's app name '{app}', but registered by '{developer}', "
            f"not the tenant's own developer account '{owner}'"
        )
    # ... and the tokens the user grants there are issued to the tenant's own app, by X's record.
    before = len(ctx.control.journal())
    callback = ctx.control.approve(start.authorization_url, ctx.x_user("carol"))
    ctx.adapter.complete_connect(ctx.tenant.id, "carol", callback)
    issued = [e for e in ctx.control.journal()[before:] if e["path"] in TOKEN_PATHS and e["status"] == 200]
    apps = sorted({e["app_id"] for e in issued})
    ctx.note("journal", f"the user's grant issued tokens to: {', '.join(ctx.app_names().get(a, a) for a in apps)}")
    if apps != [ctx.tenant.app["id"]]:
        ctx.fail("the user's tokens were issued to " + ", ".join(ctx.app_names().get(a, a) for a in apps or ["no app"])
                 + ", not the tenant's own app")


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


def link_state_from_x(ctx: Context) -> None:
    """Link state as X sees it: after unlinking nothing reaches X with the user's token; after linking, posts do."""
    ctx.onboard()
    ctx.link("alice")
    alice = ctx.x_user("alice")
    ctx.require_ok(ctx.post("alice", "Before unlinking"), "posting while linked")
    tokens = {e["token_fingerprint"] for e in ctx.control.journal(path="/2/tweets", method="POST") if e.get("user_id")
              == alice and e.get("token_fingerprint")}
    ctx.require_ok(ctx.adapter.unlink(ctx.tenant.id, "alice"), "unlinking")
    before = len(ctx.control.journal())
    said = ctx.adapter.link_state(ctx.tenant.id, "alice")
    result = ctx.post("alice", "After unlinking")
    reached = [e for e in ctx.control.journal()[before:] if e.get("user_id") == alice
               or (e.get("token_fingerprint") in tokens)]
    ctx.note("journal", f"after unlinking the provider says '{said}'; {len(reached)} X call(s) with alice's token",
             calls=[{k: e.get(k) for k in ("method", "path", "status", "app_id")} for e in reached])
    if reached:
        ctx.fail(
            f"after unlinking, a post still reached X with the user's token ({reached[0]['method']} "
            f"{reached[0]['path']}: {reached[0]['status']}), whatever the provider reports ('{said}')"
        )
    if result.ok:
        ctx.fail("after unlinking, the provider reported a post as made")
    ctx.link("alice")
    before = len(ctx.control.journal())
    ctx.require_ok(ctx.post("alice", "Linked again"), "posting after linking again")
    made = [e for e in ctx.control.journal()[before:] if e["path"] == "/2/tweets" and e["method"] == "POST"
            and e["status"] == 201]
    ctx.note("journal", f"after linking again: {len(made)} post(s) reached X",
             calls=[{k: e.get(k) for k in ("user_id", "app_id")} for e in made])
    if not made or any(e.get("user_id") != alice or e.get("app_id") != ctx.tenant.app["id"] for e in made):
        ctx.fail("after linking again the post did not reach X as the user, signed by the tenant's own app")
