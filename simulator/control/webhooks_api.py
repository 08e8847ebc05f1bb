"""The control API's view of webhook deliveries.

    GET /_xmock/deliveries?webhook_id=&app=&kind=&limit=
        every delivery attempt and CRC check, oldest first: event, URL, status, latency, whether the
        receiver's CRC answer held and whether the delivery was accepted (never a secret)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.api import Handler, _endpoint
from xmock.simulator.control.errors import ControlError, check_names
from xmock.simulator.core import Simulator

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


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Handler, method: str) -> Route:
        return Route("/_xmock" + path, _endpoint(sim, handler), methods=[method])

    return [r("/deliveries", deliveries, "GET")]
