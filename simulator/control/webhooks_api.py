"""The control API's view of webhook deliveries.

    GET /_xmock/deliveries?webhook_id=&app=&kind=&limit=
        every delivery attempt and CRC check, oldest first: event, URL, status, latency, whether the
        receiver's CRC answer held and whether the delivery was accepted (never a secret)
    GET /_xmock/webhooks?app=
        X's side of receiving, read-only: every registered webhook with the app (and developer account) that
        owns it and the users subscribed to it (Account Activity), and every X Activity subscription with its
        app, filter and webhook; certification checks whose app receives a tenant's users' events with it
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator import activity, webhooks
from xmock.simulator.clock import iso_utc
from xmock.simulator.control.errors import ControlError, check_names
from xmock.simulator.control.plumbing import Handler
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.core import Simulator
from xmock.simulator.relations import AAA_SUBSCRIPTIONS

KINDS = ("crc", "event", "replay")


def deliveries(sim: Simulator, request: Request, body: dict) -> list[dict]:
    q = request.query_params
    check_names("filter", q, ("webhook_id", "app", "kind", "limit"))
    if "kind" in q and q["kind"] not in KINDS:
        raise ControlError(400, f"kind is one of {', '.join(KINDS)}")
    limit = None
    if "limit" in q:
        if not q["limit"].isascii() or not q["limit"].isdigit() or len(q["limit"]) > 9:
            raise ControlError(400, "limit is a number of entries, 0 or more")
        limit = int(q["limit"])
    found = [
        d for d in sim.store.deliveries()
        if q.get("webhook_id") in (None, d.get("webhook_id")) and q.get("app") in (None, d.get("app_id"))
        and q.get("kind") in (None, d.get("kind"))
    ]
    return found[-limit:] if limit else ([] if limit == 0 else found)


def registered(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    check_names("filter", q, ("app",))
    app_id = q.get("app")
    if app_id is not None and (not app_id.isascii() or not app_id.isdigit() or len(app_id) > 19):
        raise ControlError(400, "app is an app id of 1 to 19 digits")
    apps = [a for a in sim.store.list_apps() if app_id in (None, a.id)]
    hooks = []
    for account_id in sorted({a.account_id for a in apps}):
        for hook in webhooks.of_account(sim, account_id):
            if app_id not in (None, hook.app_id):
                continue
            subscribed = sorted(sim.store.edges_from(AAA_SUBSCRIPTIONS, hook.id), key=lambda e: (e[1], e[0]))
            hooks.append({
                "id": hook.id, "app_id": hook.app_id, "account_id": hook.account_id, "url": hook.url,
                "valid": hook.valid, "created_at": iso_utc(hook.created_at),
                "subscriptions": [{"user_id": user_id, "at": at} for user_id, at in subscribed],
            })
    subs = [{**activity.public(s), "app_id": s["app_id"]} for a in apps for s in activity.of_app(sim, a.id)]
    return {"webhooks": hooks, "activity_subscriptions": subs}


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Handler, method: str) -> Route:
        return Route("/_xmock" + path, _endpoint(sim, handler), methods=[method])

    return [r("/deliveries", deliveries, "GET"), r("/webhooks", registered, "GET")]
