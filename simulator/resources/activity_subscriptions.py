"""/2/activity/subscriptions: the X Activity API's subscriptions (create, list, update, delete, delete by ids).

Public event types may be subscribed with the app's bearer token; private ones need the filtered user's own
token (with the matching OAuth 2.0 scope), as X documents. Events reach the subscription's webhook (the
deliverer) and the activity stream (`activity.activity_matches`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from xmock.simulator import activity, digits, errors, webhooks
from xmock.simulator.clock import iso_utc
from xmock.simulator.deliveries import deliverer
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import ACTIVITY_FILTER_USERS, APP_ACTIVITY_SUBSCRIPTIONS
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.resources.webhooks import _app
from xmock.simulator.spec import spec
from xmock.simulator.xrequest import Reply

ALIASES = {"chat.conversation_join": "chat.conversation.join"}  # deprecated spelling, answered canonically
ENTERPRISE_ONLY = ("news.new",)
BULK_MAX = 100


@cache
def event_types() -> tuple[str, ...]:
    schema = spec()["components"]["schemas"]["CreateActivitySubscriptionRequest"]
    return tuple(schema["properties"]["event_type"]["enum"])


def _limit(call: Call) -> int:
    return 1500 if call.sim.settings.access_tier == "self-serve" else call.sim.settings.max_activity_subscriptions


def _filter(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise errors.type_mismatch("filter", value, "object")
    for key, item in value.items():
        if key not in ("user_id", "keyword", "direction"):
            raise errors.invalid_request(
                f"$.filter.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
        if not isinstance(item, str):
            raise errors.type_mismatch(f"filter.{key}", item, "string")
    if "user_id" in value and not digits.ID.match(value["user_id"]):
        raise errors.invalid_request("$.filter.user_id: does not match the regex pattern ^[0-9]{1,19}$")
    if "keyword" in value and not 1 <= len(value["keyword"]) <= 150:
        raise errors.invalid_request("$.filter.keyword: must be 1 to 150 characters long")
    if "direction" in value and value["direction"] not in ("inbound", "outbound"):
        raise errors.invalid_request("$.filter.direction: must be one of [inbound, outbound]")
    return dict(value)


def _webhook(call: Call, webhook_id: str | None) -> None:
    if webhook_id is None:
        return
    hook = webhooks.load(call.sim, webhook_id)
    if hook is None or hook.app_id != _app(call).id:
        raise errors.webhook_problem("WebhookIdInvalid", f"Webhook {webhook_id} does not exist for this app.")


def create(call: Call) -> Reply:
    sim, app = call.sim, _app(call)
    body = checked_body(call, "CreateActivitySubscriptionRequest")
    event_type = body["event_type"]
    if event_type not in event_types():
        raise errors.invalid_request(f"$.event_type: does not have a value in the enumeration {list(event_types())}")
    event_type = ALIASES.get(event_type, event_type)
    flt = _filter(body["filter"])
    _webhook(call, body.get("webhook_id"))
    if event_type in ENTERPRISE_ONLY and sim.settings.access_tier == "self-serve":
        raise errors.forbidden_because("news.new is available to Enterprise and Partner apps only.")
    if activity.is_private(event_type):
        user = call.auth.user
        if user is None or flt.get("user_id") != user.id:
            raise errors.forbidden_because(
                f"{event_type} is private: subscribe with the token of the user the filter names."
            )
        token = call.auth.oauth2_token
        if token is not None and activity.scope_for(event_type) not in token.scopes:
            raise errors.missing_scopes([activity.scope_for(event_type)])
        if event_type.startswith(("mute.", "block.")) and "direction" in flt:
            raise errors.invalid_request(f"$.filter.direction: not allowed for {event_type}")
    now = sim.clock.now()
    sid = sim.ids.next_id()
    if sim.store.add_edge_capped(APP_ACTIVITY_SUBSCRIPTIONS, app.id, sid, now, _limit(call)) == "full":
        raise errors.webhook_problem("SubscriptionLimitExceeded", "The app has reached its subscription limit.", 403)
    record = {"subscription_id": sid, "app_id": app.id, "event_type": event_type, "filter": flt,
              "tag": body.get("tag"), "webhook_id": body.get("webhook_id"), "created_at": iso_utc(now),
              "updated_at": iso_utc(now)}
    sim.store.put_record(activity.TABLE, sid, record)
    sim.store.set_edge(ACTIVITY_FILTER_USERS, sid, flt.get("user_id", activity.ANY_USER), True, now)
    if record["webhook_id"]:
        deliverer(sim).ensure_running()
    return Reply(200, {"data": {"subscription": activity.public(record)}}, note={"resource_ids": [sid]})


def list_(call: Call) -> Reply:
    subs = activity.of_app(call.sim, _app(call).id)
    return Reply(200, {"data": [activity.public(s) for s in subs]})


def _owned(call: Call, sid: str) -> dict[str, Any] | None:
    sub = activity.load(call.sim, sid) if digits.ID.match(sid) else None
    return sub if sub is not None and sub["app_id"] == _app(call).id else None


def _not_found(sid: str) -> errors.XError:
    return errors.webhook_problem("SubscriptionNotFound", f"Subscription {sid} does not exist for this app.", 404)


def update(call: Call) -> Reply:
    sid = call.params["subscription_id"]
    body = checked_body(call, "UpdateActivitySubscriptionRequest")
    sub = _owned(call, sid)
    if sub is None:
        raise _not_found(sid)
    _webhook(call, body.get("webhook_id"))
    sub.update({k: body[k] for k in ("tag", "webhook_id") if k in body}, updated_at=iso_utc(call.sim.clock.now()))
    call.sim.store.put_record(activity.TABLE, sid, sub)
    total = len(activity.of_app(call.sim, sub["app_id"]))
    return Reply(200, {"data": {"subscription": activity.public(sub), "total_subscriptions": total}})


def delete(call: Call) -> Reply:
    sid = call.params["subscription_id"]
    sub = _owned(call, sid)
    if sub is None:
        raise _not_found(sid)
    activity.remove(call.sim, sub)
    return Reply(200, {"data": {"deleted": True}})


def delete_many(call: Call) -> Reply:
    raw = call.req.arg("ids")
    ids = [i for i in (raw or "").split(",") if i]
    if not ids or len(ids) > BULK_MAX:
        raise errors.invalid_request(f"The `ids` query parameter needs 1 to {BULK_MAX} subscription ids.")
    done, failed = [], []
    for sid in dict.fromkeys(ids):
        sub = _owned(call, sid)
        if sub is None:
            failed.append({"subscription_id": sid, "reason": "SubscriptionNotFound",
                           "message": f"Subscription {sid} does not exist for this app."})
            continue
        activity.remove(call.sim, sub)
        done.append({"subscription_id": sid, "deleted": True})
    body: dict[str, Any] = {"data": done, "meta": {"total_subscriptions": len(activity.of_app(call.sim,
                                                                                                _app(call).id))}}
    if failed:
        body["errors"] = failed
    return Reply(200, body)
