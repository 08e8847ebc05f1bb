"""Token lifetimes: OAuth 1.0a for scheduled work, and OAuth 2.0 refresh discipline."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from xmock.adapters.base import LinkState
from xmock.scenarios.world import Context

TWO_HOURS = 7200


def scheduled_after_expiry(ctx: Context) -> None:
    """A post scheduled far past the two-hour OAuth 2.0 lifetime is still published."""
    ctx.onboard()
    ctx.link("alice")
    at = ctx.control.clock()["now"] + 3 * 3600
    ctx.require_ok(ctx.adapter.schedule(ctx.tenant.id, "alice", "Three hours after authorising", at), "scheduling")
    ctx.control.advance(3 * 3600 + 60)
    ctx.note("clock", "the clock moved 3 h 1 min past the authorisation")
    fired = ctx.adapter.run_due()
    ctx.note("adapter", f"scheduler fired {len(fired)} post(s): {[str(r.outcome) for r in fired]}")
    posts = [p for p in ctx.control.posts(author=ctx.x_user("alice")) if p["text"] == "Three hours after authorising"]
    if not posts:
        reasons = ", ".join(f"{r.outcome}: {r.detail}" for r in fired) or "nothing fired"
        ctx.fail(f"the scheduled post was not published ({reasons})")
    ctx.note("posts", f"published as post {posts[0]['id']}")


def refresh_discipline(ctx: Context) -> None:
    """An expired token is refreshed once and the new refresh token kept; concurrent work never reuses one."""
    ctx.onboard()
    ctx.link("alice")
    for round_ in (1, 2):
        ctx.control.advance(TWO_HOURS + 1)
        result = ctx.post("alice", f"After expiry number {round_}")
        if not result.ok:
            ctx.fail(
                f"after expiry number {round_} the provider could not post ({result.outcome}): "
                + (
                    "the refresh token from the last refresh was not kept"
                    if round_ == 2
                    else "the expired token was not refreshed"
                )
            )
    ctx.control.advance(TWO_HOURS + 1)
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda n: ctx.post("alice", f"Concurrent during expiry {n}"), range(3)))
    refreshes = ctx.control.journal(path="/2/oauth2/token")
    reused = [e for e in refreshes if e["status"] == 400]
    ctx.note("journal", f"{len(refreshes)} token requests, {len(reused)} refused as reused")
    if reused:
        ctx.fail(f"a rotated refresh token was reused ({len(reused)} refresh(es) refused by X)")


def rotation_before_firing(ctx: Context) -> None:
    """Keys rotated between scheduling a post and firing it: the post fires with the keys current at firing time."""
    ctx.onboard()
    ctx.link("alice")
    at = ctx.control.clock()["now"] + 3600
    ctx.require_ok(ctx.adapter.schedule(ctx.tenant.id, "alice", "Rotated before it fired", at), "scheduling")
    old_key = ctx.tenant.app["consumer_key"]
    ctx.adapter.set_tenant_credentials(ctx.tenant.id, ctx.rotate_keys())
    ctx.note("clock", "the tenant rotated its app keys after scheduling, before the post was due")
    before = len(ctx.control.journal())
    ctx.control.advance(3660)
    fired = ctx.adapter.run_due()
    calls = ctx.control.journal()[before:]
    stale = [e for e in calls if (e.get("diagnosis") or {}).get("consumer_key") == old_key]
    made = [e for e in calls if e["path"] == "/2/tweets" and e["method"] == "POST" and e["status"] == 201]
    ctx.note("journal", f"firing: {len(calls)} X call(s), {len(stale)} with the old key, {len(made)} post(s) made",
             outcomes=[str(r.outcome) for r in fired])
    if stale:
        ctx.fail(f"the scheduled post fired with the old, rotated keys ({len(stale)} call(s) refused by X)")
    if not made or made[0].get("app_id") != ctx.tenant.app["id"]:
        reasons = ", ".join(f"{r.outcome}: {r.detail}" for r in fired) or "nothing fired"
        ctx.fail(f"the scheduled post did not reach X with the tenant's current keys ({reasons})")
    state = ctx.adapter.link_state(ctx.tenant.id, "alice")
    if state != LinkState.LINKED:
        ctx.fail(f"after the keys rotated the provider reports the user as '{state}', though their link is intact")
