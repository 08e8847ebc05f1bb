"""/2/account_activity: per-user subscriptions of an app's webhook (subscribe with the user's token; list,
count and delete with the app's bearer token)."""

from __future__ import annotations

from xmock.simulator import errors, webhooks
from xmock.simulator.deliveries import deliverer
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import AAA_SUBSCRIPTIONS
from xmock.simulator.resources.webhooks import _app, owned
from xmock.simulator.xrequest import Reply


def subscription_limit(call: Call) -> int:
    return 3 if call.sim.settings.access_tier == "self-serve" else call.sim.settings.max_aaa_subscriptions


def subscribe(call: Call) -> Reply:
    hook = owned(call)
    if call.req.body:
        call.req.json_object()  # the spec's body is an empty object; anything else is refused as X does
    if not hook.valid:
        raise errors.webhook_problem("CrcValidationFailed", "The webhook has not passed its CRC check.")
    user = call.user
    total = sum(call.sim.store.count_edges(AAA_SUBSCRIPTIONS, h.id) for h in webhooks.of_app(call.sim, _app(call)))
    if call.sim.store.edge_at(AAA_SUBSCRIPTIONS, hook.id, user.id) is not None:
        raise errors.webhook_problem("DuplicateSubscriptionFailed", "The user is already subscribed to this webhook.",
                                     409)
    if total >= subscription_limit(call):
        raise errors.webhook_problem("SubscriptionLimitExceeded", "The app has reached its subscription limit.", 403)
    outcome = call.sim.store.add_edge_capped(AAA_SUBSCRIPTIONS, hook.id, user.id, call.sim.clock.now(),
                                             subscription_limit(call))
    if outcome == "full":
        raise errors.webhook_problem("SubscriptionLimitExceeded", "The app has reached its subscription limit.", 403)
    deliverer(call.sim).ensure_running()
    return Reply(200, {"data": {"subscribed": True}})


def check(call: Call) -> Reply:
    hook = owned(call)
    subscribed = call.sim.store.edge_at(AAA_SUBSCRIPTIONS, hook.id, call.user.id) is not None
    return Reply(200, {"data": {"subscribed": subscribed}})


def list_(call: Call) -> Reply:
    hook = owned(call)
    users = sorted(call.sim.store.edges_from(AAA_SUBSCRIPTIONS, hook.id), key=lambda e: e[1])
    return Reply(200, {"data": {"application_id": hook.app_id, "webhook_id": hook.id, "webhook_url": hook.url,
                                "subscriptions": [{"user_id": user_id} for user_id, _ in users]}})


def delete(call: Call) -> Reply:
    hook = owned(call)
    user_id = call.params["user_id"]
    if call.sim.store.edge_at(AAA_SUBSCRIPTIONS, hook.id, user_id) is None:
        raise errors.webhook_problem("SubscriptionNotFound", f"User {user_id} is not subscribed to this webhook.", 404)
    call.sim.store.set_edge(AAA_SUBSCRIPTIONS, hook.id, user_id, False, call.sim.clock.now())
    return Reply(200, {"data": {"subscribed": False}})


def count(call: Call) -> Reply:
    app = _app(call)
    total = sum(call.sim.store.count_edges(AAA_SUBSCRIPTIONS, h.id) for h in webhooks.of_app(call.sim, app))
    account = call.sim.store.get_account(app.account_id)
    return Reply(200, {"data": {
        "account_name": account.name if account is not None else app.name,
        "provisioned_count": str(subscription_limit(call)),
        "subscriptions_count_all": str(total),
        "subscriptions_count_direct_messages": "0",  # DM-only subscriptions no longer exist on X
    }})
