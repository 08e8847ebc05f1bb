"""Whose app receives a tenant's users' events: the webhook, its subscriptions, and the inbox they feed."""

from __future__ import annotations

import time
from typing import Any

from xmock.scenarios.world import Context

DELIVERY_WAIT = 15.0  # real seconds for a delivery to reach the tenant's inbox (deliveries run off the request path)


def webhooks_own_app(ctx: Context) -> None:
    """Every webhook and subscription for the tenant's users belongs to the tenant's own app, and events arrive."""
    ctx.onboard()
    for end_user in ("alice", "bob"):
        ctx.link(end_user)
    before = {h["id"] for h in ctx.control.webhooks()["webhooks"]}
    result = ctx.adapter.start_receiving(ctx.tenant.id)
    ctx.note("adapter", f"start receiving: {result.outcome}" + (f" ({result.detail})" if result.detail else ""))
    record = ctx.control.webhooks()
    names = ctx.app_names()
    tenant_app = ctx.tenant.app["id"]
    users = {ctx.x_user(u): u for u in ("alice", "bob")}
    # the tenant's webhooks: made while the provider set up receiving, or receiving for one of its users
    hooks = [
        h for h in record["webhooks"]
        if h["id"] not in before or any(s["user_id"] in users for s in h["subscriptions"])
    ]
    activity = [s for s in record["activity_subscriptions"] if s.get("filter", {}).get("user_id") in users]
    ctx.note(
        "webhooks",
        f"{len(hooks)} webhook(s) for the tenant's users: "
        + (", ".join(_described(h, names, users) for h in hooks) or "none"),
        webhooks=hooks,
        activity_subscriptions=activity,
    )
    foreign = sorted({h["app_id"] for h in hooks if h["app_id"] != tenant_app}
                     | {s["app_id"] for s in activity if s["app_id"] != tenant_app})
    if foreign:
        ctx.fail(
            "webhooks or subscriptions for the tenant's users are registered under "
            + ", ".join(names.get(a, a) for a in foreign)
            + f", not the tenant's own app {names.get(tenant_app, tenant_app)}: X signs their CRC and deliveries "
            "with another app's secret (a service bureau)"
        )
    if not result.ok:
        ctx.fail(f"the provider could not set up receiving: {result.outcome} ({result.detail})")
    for x_id, end_user in users.items():
        if not any(h["valid"] and any(s["user_id"] == x_id for s in h["subscriptions"]) for h in hooks):
            ctx.fail(f"{end_user} is not subscribed to a valid webhook of the tenant's app")

    fan = ctx.control.user(username="bakery_fan", name="A Bakery Fan")
    text = f"@{ctx.tenant.users['alice']['username']} are you open on Sunday? & what time?"
    post = ctx.control.create_post(fan["id"], text)
    item = _wait_for(ctx, "alice", post["id"])
    deliveries = [d for d in ctx.control.deliveries(kind="event") if d.get("webhook_id") in {h["id"] for h in hooks}]
    ctx.note(
        "deliveries",
        f"{len(deliveries)} event deliveries to the tenant's webhook, "
        f"{sum(1 for d in deliveries if d.get('delivered'))} accepted",
        deliveries=[{k: d.get(k) for k in ("event", "status", "delivered", "app_id")} for d in deliveries],
    )
    if item is None:
        ctx.fail(f"a mention of alice (post {post['id']}) delivered by X never reached the tenant's inbox")
    ctx.note("adapter", f"the tenant's inbox shows the mention as a {item['kind']} for {item['end_user_id']}",
             item=item)
    if item.get("text") != text:
        ctx.fail(f"the inbox shows the mention's text as {item.get('text')!r}, not {text!r}")
    other = ctx.adapter.inbox(ctx.world.other_tenant.id)
    if any(i.get("id") == post["id"] for i in other.data.get("items", [])):
        ctx.fail("a mention of the tenant's user showed up in another tenant's inbox")
    ctx.answers["receiving"] = (
        f"Your users' mentions and DMs come to a webhook of your own app ({ctx.tenant.app['name']}), "
        "signed by X with your app's secret."
    )


def _described(hook: dict[str, Any], names: dict[str, str], users: dict[str, str]) -> str:
    subscribed = [users.get(s["user_id"], s["user_id"]) for s in hook["subscriptions"]]
    return (f"webhook {hook['id']} of {names.get(hook['app_id'], hook['app_id'])}"
            f" ({'valid' if hook['valid'] else 'invalid'}, subscribed: {', '.join(subscribed) or 'nobody'})")


def _wait_for(ctx: Context, end_user: str, post_id: str) -> dict[str, Any] | None:
    """The inbox item for `post_id`, once the delivery has arrived (or None after DELIVERY_WAIT)."""
    deadline = time.monotonic() + DELIVERY_WAIT
    while True:
        found = ctx.adapter.inbox(ctx.tenant.id, end_user)
        item = next((i for i in found.data.get("items", []) if i.get("id") == post_id), None)
        if item is not None or time.monotonic() > deadline:
            return item
        time.sleep(0.05)
