"""Stream connections (`/2/connections`: history and kills) and filtered-stream webhook links
(`/2/tweets/search/webhooks`).

A kill closes the connection's record at once (its slot is free for a new connection) and the open stream,
in whichever process serves it, ends with X's ForceDisconnect notice within a few tenths of a second.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import digits, errors, webhooks
from xmock.simulator.clock import iso_utc
from xmock.simulator.deliveries import deliverer
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import STREAM_LINKED_APPS
from xmock.simulator.resources import paging
from xmock.simulator.resources.streams import ENDPOINT_IDS
from xmock.simulator.xrequest import Reply

ANY = "*"  # the one node the index of apps with webhook links hangs from

STATUSES = ("active", "inactive", "all")
MAX_UUIDS = 100


def _app_id(call: Call) -> str:
    app = call.auth.app
    if app is None:
        raise errors.unauthorized("no app")
    return app.id


def _shown(conn: dict[str, Any]) -> dict[str, Any]:
    out = {
        "id": conn["id"],
        "client_ip": conn["client_ip"],
        "connected_at": iso_utc(conn["connected_at"]),
        "endpoint_name": conn["endpoint"].partition(":")[0],
    }
    if conn.get("disconnected_at") is not None:
        out["disconnected_at"] = iso_utc(conn["disconnected_at"])
        out["disconnect_reason"] = conn.get("disconnect_reason") or "ClientDisconnect"
    return out


def history(call: Call) -> Reply:
    """GET /2/connections"""
    req = call.req
    status = req.arg("status") or "active"
    if status not in STATUSES:
        raise errors.invalid_param(
            "status", status, f"The `status` query parameter value [{status}] is not one of [active,inactive,all]"
        )
    conns = call.sim.store.stream_connections(_app_id(call))
    if status != "all":
        conns = [c for c in conns if (c.get("disconnected_at") is None) == (status == "active")]
    wanted = req.arg("endpoints")
    if wanted is not None:
        names = wanted.split(",")
        for name in names:
            if name not in ENDPOINT_IDS:
                message = f"The `endpoints` query parameter value [{name}] is not valid"
                raise errors.invalid_param("endpoints", name, message)
        conns = [c for c in conns if c["endpoint"].partition(":")[0] in names]
    conns.sort(key=lambda c: (-c["connected_at"], c["id"]))
    limit = paging.max_results(req, 10)
    start = 0
    token = req.arg("pagination_token")
    if token is not None:
        start = paging.decode_token(token, "pagination_token")
    page = conns[start : start + limit]
    meta: dict[str, Any] = {"result_count": len(page)}
    if start + limit < len(conns):
        meta["next_token"] = paging.encode_token(str(start + limit))
    body: dict[str, Any] = {"data": [_shown(c) for c in page], "meta": meta} if page else {"meta": meta}
    return Reply(200, body)


def _kill(call: Call, ids: list[str], known: set[str]) -> Reply:
    sim = call.sim
    results = []
    for conn_id in ids:
        ok = conn_id in known and sim.store.close_stream_connection(conn_id, sim.clock.now(), "ForceDisconnect")
        item: dict[str, Any] = {"uuid": conn_id, "success": ok}
        if not ok:
            item["error_message"] = "Connection not found or already closed"
        results.append(item)
    done = sum(1 for r in results if r["success"])
    data = {"successful_kills": done, "failed_kills": len(results) - done, "results": results}
    return Reply(200, {"data": data}, note={"resource_ids": [r["uuid"] for r in results if r["success"]]})


def _active(call: Call) -> list[dict[str, Any]]:
    return [c for c in call.sim.store.stream_connections(_app_id(call)) if c.get("disconnected_at") is None]


def kill_by_uuids(call: Call) -> Reply:
    """DELETE /2/connections with {"uuids": [...]}"""
    body = call.req.json_object()
    for key in body:
        if key != "uuids":
            raise errors.invalid_request(
                f"$.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    if "uuids" not in body:
        raise errors.invalid_request("$.uuids: is missing but it is required")
    uuids = body["uuids"]
    if not isinstance(uuids, list):
        raise errors.type_mismatch("uuids", uuids, "array")
    if not 1 <= len(uuids) <= MAX_UUIDS:
        raise errors.invalid_request(f"$.uuids: must contain between 1 and {MAX_UUIDS} items")
    for n, item in enumerate(uuids):
        if not isinstance(item, str):
            raise errors.type_mismatch(f"uuids[{n}]", item, "string")
    return _kill(call, list(dict.fromkeys(uuids)), {c["id"] for c in _active(call)})


def kill_all(call: Call) -> Reply:
    """DELETE /2/connections/all"""
    ids = [c["id"] for c in _active(call)]
    return _kill(call, ids, set(ids))


def kill_by_endpoint(call: Call) -> Reply:
    """DELETE /2/connections/{endpoint_id}"""
    endpoint = call.params["endpoint_id"]
    if endpoint not in ENDPOINT_IDS:
        message = f"The `endpoint_id` path parameter value [{endpoint}] is not one of the stream endpoints"
        raise errors.invalid_param("endpoint_id", endpoint, message)
    ids = [c["id"] for c in _active(call) if c["endpoint"].partition(":")[0] == endpoint]
    return _kill(call, ids, set(ids))


# filtered-stream webhook links ----------------------------------------------------------------
def _webhook_id(call: Call) -> str:
    webhook_id = call.params["webhook_id"]
    if not digits.is_id(webhook_id):
        raise errors.invalid_param(
            "webhook_id", webhook_id, f"The `webhook_id` path parameter value [{webhook_id}] is not valid"
        )
    return webhook_id


def links(call: Call) -> Reply:
    """GET /2/tweets/search/webhooks"""
    found = sorted(call.sim.store.stream_links(_app_id(call)), key=lambda link: link["created_at"])
    return Reply(200, {"data": found})


def link(call: Call) -> Reply:
    """POST /2/tweets/search/webhooks/{webhook_id}: matches of the app's rules go to that webhook too."""
    webhook_id = _webhook_id(call)
    app_id = _app_id(call)
    sim = call.sim
    hook = webhooks.load(sim, webhook_id)
    if hook is None or hook.app_id != app_id:
        raise errors.missing_resource(404, errors.not_found_error("webhook", "webhook_id", webhook_id))
    fields = [f"{name}={value}" for name, value in call.req.query if name.endswith(".fields") or name == "expansions"]
    record = {
        "application_id": app_id,
        "created_at": iso_utc(sim.clock.now()),
        "fields": fields,
        "instance_id": sim.ids.next_id(),
        "webhook_id": webhook_id,
    }
    sim.store.set_stream_link(app_id, webhook_id, record)
    sim.store.set_edge(STREAM_LINKED_APPS, ANY, app_id, True, sim.clock.now())  # the deliverer's index
    deliverer(sim).ensure_running()
    return Reply(200, {"data": {"provisioned": True}}, note={"resource_ids": [webhook_id]})


def unlink(call: Call) -> Reply:
    """DELETE /2/tweets/search/webhooks/{webhook_id}"""
    webhook_id, app_id, store = _webhook_id(call), _app_id(call), call.sim.store
    if not store.set_stream_link(app_id, webhook_id, None):
        raise errors.missing_resource(404, errors.not_found_error("webhook", "webhook_id", webhook_id))
    if not store.stream_links(app_id):
        store.set_edge(STREAM_LINKED_APPS, ANY, app_id, False, call.sim.clock.now())
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [webhook_id]})
