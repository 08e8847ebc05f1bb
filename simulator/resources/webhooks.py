"""/2/webhooks: register (after X's CRC challenge passes), list, validate (PUT), delete, and replay.

Webhooks belong to the app that registered them; the limit counts per developer account, as X's does.
"""

from __future__ import annotations

from calendar import timegm
from time import strptime

from xmock.simulator import digits, errors, webhooks
from xmock.simulator.clock import iso_utc
from xmock.simulator.deliveries import deliverer
from xmock.simulator.models import App
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import APP_WEBHOOKS
from xmock.simulator.resources.body_schema import checked_body
from xmock.simulator.xrequest import Reply

REPLAY_WINDOW = 24 * 3600  # X replays events delivered or attempted in the last 24 hours


def _app(call: Call) -> App:
    app = call.auth.app
    if app is None:
        raise errors.unauthorized("no app")
    return app


def owned(call: Call, name: str = "webhook_id", value: str | None = None) -> webhooks.Webhook:
    """The caller's app's webhook named in the path (or `value`), or X's WebhookIdInvalid."""
    webhook_id = value if value is not None else call.params[name]
    hook = webhooks.load(call.sim, webhook_id) if digits.ID.match(webhook_id) else None
    if hook is None or hook.app_id != _app(call).id:
        raise errors.webhook_problem("WebhookIdInvalid", f"Webhook {webhook_id} does not exist for this app.")
    return hook


async def create(call: Call) -> Reply:
    sim, app = call.sim, _app(call)
    url = checked_body(call, "CreateWebhooksRequest")["url"]
    problem = webhooks.url_problem(sim, url)
    if problem:
        raise errors.webhook_problem("UrlValidationFailed", problem)
    if any(h.url == url for h in webhooks.of_app(sim, app)):
        raise errors.webhook_problem("DuplicateUrlFailed", "This app already has a webhook with this URL.")
    now = sim.clock.now()
    webhook_id = sim.ids.next_id()
    if sim.store.add_edge_capped(APP_WEBHOOKS, app.account_id, webhook_id, now, webhooks.webhook_limit(sim)) == "full":
        raise errors.webhook_problem("WebhookLimitExceeded", "The account has reached its limit of webhooks.", 403)
    deliverer(sim).ensure_running()
    outcome = await webhooks.challenge(sim, app, url)
    sim.store.append_delivery(
        {"kind": "crc", "webhook_id": webhook_id, "url": url, "app_id": app.id, "at": now, "status": outcome.status,
         "latency_ms": outcome.latency_ms, "crc_ok": outcome.passed, "error": outcome.reason or None}
    )
    if not outcome.passed:
        sim.store.set_edge(APP_WEBHOOKS, app.account_id, webhook_id, False, sim.clock.now())
        raise errors.webhook_problem("CrcValidationFailed", outcome.reason)
    hook = webhooks.Webhook(webhook_id, app.id, app.account_id, url, True, now, now, now)
    webhooks.save(sim, hook)
    return Reply(200, {"data": hook.public()}, note={"resource_ids": [webhook_id]})


def list_(call: Call) -> Reply:
    found = webhooks.of_app(call.sim, _app(call))
    return Reply(200, {"data": [h.public() for h in found], "meta": {"result_count": len(found)}})


async def validate(call: Call) -> Reply:
    hook = owned(call)
    deliverer(call.sim).ensure_running()
    outcome = await webhooks.recheck(call.sim, hook)
    return Reply(200, {"data": {"valid": outcome.passed}})


def delete(call: Call) -> Reply:
    webhooks.remove(call.sim, owned(call))
    return Reply(200, {"data": {"deleted": True}})


def _minute(name: str, value: str) -> float:
    try:
        return float(timegm(strptime(value, "%Y%m%d%H%M")))
    except ValueError:
        raise errors.webhook_problem("QueryParamInvalid", f"{name} must be a UTC time as yyyymmddhhmm.") from None


def replay(call: Call) -> Reply:
    """Re-deliver what the webhook's subscriptions saw between from_date and to_date (within the last 24 h)."""
    sim = call.sim
    body = checked_body(call, "CreateWebhookReplayJobRequest")
    hook = owned(call, value=body["webhook_id"])
    start, end = _minute("from_date", body["from_date"]), _minute("to_date", body["to_date"])
    now = sim.clock.now()
    if start >= end:
        raise errors.webhook_problem("QueryParamInvalid", "from_date must be earlier than to_date.")
    if end > now:
        raise errors.webhook_problem("QueryParamInvalid", "to_date must not be in the future.")
    if start < now - REPLAY_WINDOW:
        raise errors.webhook_problem("QueryParamInvalid", "from_date must be within the last 24 hours.")
    job_id = sim.ids.next_id()
    if not deliverer(sim).start_replay(hook, start, end, job_id):
        raise errors.webhook_problem("ReplayConflictError", "A replay job is already running for this webhook.", 409)
    return Reply(200, {"data": {"job_id": job_id, "created_at": iso_utc(now)}})
