"""Whose credentials a provider uses: its tenant's, per request, portable; never its own."""

from __future__ import annotations

import httpx
from oauthlib.oauth1 import Client as OAuth1Signer

from xmock.adapters.base import Capability, Outcome
from xmock.scenarios.byo.tokens import TWO_HOURS
from xmock.scenarios.world import Context
from xmock.simulator.redact import fingerprint

TOKEN_ENDPOINTS = ("/2/oauth2/token", "/2/oauth2/revoke")  # where an OAuth 2.0 client authenticates

PPU_SERVICE_BUREAU = (
    "X Pay-Per-Use Agreement §III.A(e): no service bureau use; Developer Policy: do not use "
    "credentials owned by others."
)


def own_app(ctx: Context) -> None:
    """Every X call made for a tenant is signed with that tenant's own app."""
    ctx.onboard()
    ctx.link("alice")
    post = ctx.require_ok(ctx.post("alice", "Fresh sourdough from 7am"), "posting")
    post_id = str(post.data.get("post_id", ""))
    ctx.adapter.read(ctx.tenant.id, "alice", post_id)
    ctx.adapter.delete(ctx.tenant.id, "alice", post_id)
    entries = [e for e in ctx.control.journal() if e.get("app_id")]
    used = sorted({e["app_id"] for e in entries})
    names = ctx.app_names()
    ctx.note(
        "journal",
        f"{len(entries)} X calls made with: " + ", ".join(names.get(a, a) for a in used),
        apps=used,
        calls=len(entries),
    )
    foreign = [a for a in used if a != ctx.tenant.app["id"]]
    if foreign:
        ctx.fail(
            "X calls for the tenant were made with "
            + ", ".join(names.get(a, a) for a in foreign)
            + f", not the tenant's own app {ctx.tenant.app['name']}"
        )
    bureau = ctx.control.findings(rule="service-bureau")
    if bureau:
        ctx.note("finding", bureau[0]["detail"], **bureau[0])
        ctx.fail("service-bureau finding: " + bureau[0]["detail"])
    ctx.answers["credentials"] = f"Every X call for you was made with your own app ({ctx.tenant.app['name']})."


def credentials_per_request(ctx: Context) -> None:
    """Without the tenant's keys the provider refuses and calls nothing; rotated keys take over at once."""
    ctx.onboard()
    ctx.link("alice")
    kept = ctx.post("alice", "Posted with the tenant's keys")
    post_id = str(kept.data.get("post_id", "0"))
    before = len(ctx.control.journal())
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, None)
    withheld = {
        "posting": ctx.post("alice", "Posted without the tenant's keys?"),
        "reading": ctx.adapter.read(ctx.tenant.id, "alice", post_id),
        "deleting": ctx.adapter.delete(ctx.tenant.id, "alice", post_id),
    }
    calls = ctx.control.journal()[before:]
    ctx.note(
        "journal",
        f"{len(calls)} X calls while the tenant withheld its keys (posting, reading, deleting)",
        calls=[f"{e['method']} {e['path']}" for e in calls],
    )
    done = [what for what, result in withheld.items() if result.ok]
    if done:
        ctx.fail(f"the provider went on {', '.join(done)} although the tenant withheld its credentials")
    if calls:
        ctx.fail(f"the provider made {len(calls)} X call(s) without the tenant's credentials "
                 f"({', '.join(sorted({e['method'] + ' ' + e['path'] for e in calls}))})")
    old_key = ctx.tenant.app["consumer_key"]
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, ctx.rotate_keys())
    before = len(ctx.control.journal())
    after = ctx.post("alice", "Posted with the rotated keys")
    if after.ok:
        ctx.adapter.read(ctx.tenant.id, "alice", str(after.data.get("post_id", "")))
    calls = ctx.control.journal()[before:]
    if not after.ok:
        ctx.fail(f"after the tenant rotated its keys the provider could not post: {after.outcome}")
    stale = [e for e in calls if (e.get("diagnosis") or {}).get("consumer_key") == old_key]
    foreign = [e for e in calls if e.get("app_id") and e["app_id"] != ctx.tenant.app["id"]]
    ctx.note("journal", f"after rotation: {len(calls)} X calls, {len(stale)} with the old key", calls=len(calls))
    if stale:
        ctx.fail("the provider still used the tenant's old, rotated key")
    if foreign:
        ctx.fail("after rotation the provider posted with an app that is not the tenant's")
    ctx.answers["credentials"] = (
        "Your app key and secret are sent with each request: without them the provider refused and "
        "called nothing, and after you rotated them only the new ones were used."
    )
    if ctx.has(Capability.OAUTH2):
        _client_credentials_per_request(ctx)
        ctx.answers["credentials"] += (
            " The same holds for your OAuth 2.0 client secret: your users' tokens were refreshed with the "
            "regenerated one, and without it the provider refreshed nothing."
        )


def _client_credentials_per_request(ctx: Context) -> None:
    """OAuth 2.0: a regenerated client secret takes over at the token endpoint at once; withheld, nothing is
    refreshed. The user's access token is let expire so that acting for the user needs a refresh."""
    old = fingerprint(ctx.tenant.app["client_secret"])
    before = len(ctx.control.journal())
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, ctx.rotate_client_secret())
    ctx.control.advance(TWO_HOURS + 1)
    after = ctx.post("alice", "Posted after the client secret was regenerated")
    calls = ctx.control.journal()[before:]
    at_token = [e for e in calls if e["path"] in TOKEN_ENDPOINTS]
    stale = [e for e in calls if (e.get("diagnosis") or {}).get("client_secret_fingerprint") == old]
    refused = [e for e in at_token if e["status"] >= 400]
    refreshed = [e for e in at_token if e["status"] == 200 and e.get("grant") == "refresh_token"]
    ctx.note(
        "journal",
        f"after the tenant regenerated its client secret and the access token expired: {len(at_token)} call(s) "
        f"at X's token endpoint, {len(refreshed)} refresh(es), {len(refused)} refused, {len(stale)} with the old "
        "secret",
        calls=[f"{e['method']} {e['path']} {e['status']}" for e in calls],
    )
    if stale:
        ctx.fail("the provider authenticated at X's token endpoint with the tenant's old, regenerated client secret")
    if refused:
        ctx.fail(f"X refused {len(refused)} of the provider's calls at its token endpoint after the tenant "
                 f"regenerated its client secret ({refused[0].get('error') or refused[0]['status']})")
    if not after.ok:
        ctx.fail(f"after the tenant regenerated its client secret and the user's access token expired, the provider "
                 f"could not post: {after.outcome}")
    if not refreshed:
        ctx.fail("the provider posted after the user's access token expired without refreshing it at X")
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, None)
    ctx.control.advance(TWO_HOURS + 1)
    before = len(ctx.control.journal())
    withheld = ctx.post("alice", "Posted without the tenant's client credentials?")
    calls = ctx.control.journal()[before:]
    ctx.note(
        "journal",
        f"{len(calls)} X calls while the tenant withheld its credentials and the access token had expired",
        calls=[f"{e['method']} {e['path']} {e['status']}" for e in calls],
    )
    if withheld.ok:
        ctx.fail("the provider went on posting after the access token expired although the tenant withheld its "
                 "client credentials")
    if calls:
        ctx.fail(f"the provider made {len(calls)} X call(s) without the tenant's client credentials "
                 f"({', '.join(sorted({e['method'] + ' ' + e['path'] for e in calls}))})")


def portability(ctx: Context) -> None:
    """Tokens obtained through the provider work with the tenant's own keys, outside the provider."""
    ctx.onboard()
    ctx.link("alice")
    _tokens_work(ctx, "right after linking")
    # after the two-hour lifetime of OAuth 2.0 tokens: the provider refreshes, the tenant's copy must follow
    ctx.control.advance(7201)
    ctx.post("alice", "After the token lifetime")
    _tokens_work(ctx, "after the provider refreshed the user's token")
    leaving = ctx.adapter.offboard_tenant(ctx.tenant.id)
    if leaving.outcome == Outcome.REFUSED:  # no offboarding offered: leaving is no longer sending keys
        ctx.adapter.set_tenant_credentials(ctx.tenant.id, None)
    ctx.note("adapter", f"the tenant leaves the provider: {leaving.outcome}")
    _tokens_work(ctx, "after the tenant left the provider")
    ctx.answers["leaving"] = (
        "Your users' X tokens are handed to you and work with your own app keys without the "
        "provider, so you can leave and keep your users: checked after linking, after a token "
        "refresh, and after leaving."
    )


def _tokens_work(ctx: Context, when: str) -> None:
    """The user's tokens, as the provider hands them to the tenant, work with the tenant's own keys at X."""
    tokens = ctx.adapter.user_tokens(ctx.tenant.id, "alice")
    if not tokens:
        ctx.fail(f"{when}, the provider does not hand the user's X tokens to the tenant")
    base = ctx.world.base_url
    if "oauth_token" in tokens:
        signer = OAuth1Signer(
            ctx.tenant.app["consumer_key"],
            client_secret=ctx.tenant.app["consumer_secret"],
            resource_owner_key=tokens["oauth_token"],
            resource_owner_secret=tokens["oauth_token_secret"],
        )
        _, headers, _ = signer.sign(base + "/2/users/me", "GET")
    else:
        headers = {"Authorization": f"Bearer {tokens.get('access_token', '')}"}
    r = httpx.get(base + "/2/users/me", headers=headers)
    entry = ctx.control.journal(path="/2/users/me")[-1]
    ctx.note(
        "journal", f"{when}: the tenant's own call with the handed-over tokens: {r.status_code}, app {entry['app_id']}"
    )
    if r.status_code != 200 or r.json().get("data", {}).get("id") != ctx.x_user("alice"):
        ctx.fail(f"{when}, the handed-over tokens do not work with the tenant's own app keys")
    if entry["app_id"] != ctx.tenant.app["id"]:
        ctx.fail(f"{when}, the handed-over tokens belong to another app than the tenant's")


def single_use_case(ctx: Context) -> None:
    """The provider does not register per-customer white-label apps under its own developer account."""
    for tenant, user in ((ctx.tenant, "alice"), (ctx.world.other_tenant, "dana")):
        ctx.onboard(tenant)
        ctx.link(user, tenant)
        ctx.post(user, f"Hello from {tenant.account['name']}", tenant)
    apps = {a["id"]: a for a in ctx.control.apps()}
    used: dict[str, set[str]] = {}
    for entry in ctx.control.journal():
        if entry.get("app_id") and entry.get("user_id"):
            used.setdefault(entry["app_id"], set()).add(entry["user_id"])
    owners = {apps[a]["account_id"] for a in used if a in apps}
    tenant_accounts = {ctx.tenant.account["id"], ctx.world.other_tenant.account["id"]}
    ctx.note("journal", f"apps used: {sorted(apps[a]['name'] for a in used if a in apps)}")
    white_label = [a for a in used if a in apps and apps[a]["account_id"] not in tenant_accounts]
    if len(white_label) > 1 and len({apps[a]["account_id"] for a in white_label}) == 1:
        ctx.fail(
            f"{len(white_label)} per-customer apps under one developer account that is not the tenants' "
            f"({apps[white_label[0]]['account_id']})"
        )
    findings = ctx.control.findings(rule="single-use-case")
    if findings:
        ctx.fail("single-use-case finding: " + findings[0]["detail"])
    ctx.note("journal", f"{len(owners)} developer account(s) behind the apps used", accounts=sorted(owners))
