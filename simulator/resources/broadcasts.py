"""Broadcasts: lookup and list, and scheduled broadcasts (create, read, list, replace, delete, go live).

Bodies were checked against the spec before the handler (simulator/body_rules.py); what is left is state and
permission: only the owner reads, changes or publishes a schedule (X's 403 otherwise), a live or ended broadcast
cannot be rescheduled, and only a schedule made with `manual_publish` goes live by hand.
"""

from __future__ import annotations

import re
from typing import Any

from xmock.simulator import broadcasts, digits, errors
from xmock.simulator.clock import parse_instant
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BROADCASTS_OWNED
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.params import missing, path_param
from xmock.simulator.xrequest import Reply, XRequest

BROADCAST_FIELDS = frozenset(
    [
        "available_for_replay", "broadcast_id", "chat_option", "created_at_ms", "end_ms", "height", "id", "image_url",
        "image_url_medium", "image_url_small", "is_high_latency", "language", "media_key", "scheduled_end_ms",
        "scheduled_start_ms", "share_url", "source_id", "start_ms", "state", "title", "total_watched",
        "total_watching", "tweet_id", "twitter_user_id", "updated_at_ms", "width",
    ]
)  # fmt: skip
DEFAULT_FIELDS = frozenset(["id", "state", "title"])
BROADCAST_ID = re.compile(r"[a-zA-Z0-9]{1,13}\Z")
IMAGE = "https://pbs.twimg.com/amplify_video_thumb/{}/img/{}.jpg"


def ms(seconds: float) -> str:
    return str(round(seconds * 1000))


def path_broadcast_id(call: Call) -> str:
    return path_param(call, "id", BROADCAST_ID, "^[a-zA-Z0-9]{1,13}$")


def find(call: Call, broadcast_id: str) -> dict[str, Any]:
    b = broadcasts.get(call.sim.store, broadcast_id)
    if b is None:
        raise missing(call, "broadcast", "id", broadcast_id)
    return b


def owned(call: Call, verb: str, scheduled: bool = True) -> dict[str, Any]:
    """The path's broadcast, which the caller must own (and, with `scheduled`, one made by the scheduler)."""
    b = find(call, path_broadcast_id(call))
    if scheduled and b.get("scheduled_broadcast_id") is None:
        raise missing(call, "scheduled_broadcast", "id", b["id"], "scheduled broadcast")
    if b["owner_id"] != call.user.id:
        raise errors.forbidden_because(f"You are not allowed to {verb} this broadcast.", f"{b['id']} is not yours")
    return b


# rendering ------------------------------------------------------------------------------------
def render_broadcast(b: dict[str, Any], fields: frozenset[str], now: float) -> dict[str, Any]:
    state = broadcasts.state(b, now)
    start, end = broadcasts.start_of(b), b.get("ended_at") or b.get("scheduled_end")
    number = b["id"]
    values: dict[str, Any] = {
        "id": b["id"],
        "broadcast_id": b["id"],
        "state": state,
        "title": b.get("title", ""),
        "twitter_user_id": b["owner_id"],
        "created_at_ms": ms(b["created_at"]),
        "updated_at_ms": ms(max([b["updated_at"], *(t for t in (start, end) if t is not None and t <= now)])),
        "available_for_replay": bool(b.get("available_for_replay", False)),
        "chat_option": int(b.get("chat_option") or 0),
        "language": b.get("locale") or "en",
        "source_id": b.get("source_id", ""),
        "share_url": f"https://x.com/i/broadcasts/{b['id']}",
        "image_url": IMAGE.format(number, "large"),
        "image_url_medium": IMAGE.format(number, "medium"),
        "image_url_small": IMAGE.format(number, "small"),
        "is_high_latency": False,
        "media_key": f"28_{b['media_id']}",
        "width": 1280,
        "height": 720,
        "total_watched": str(b.get("total_watched", 0)),
        "total_watching": str(b.get("total_watching", 0) if state == broadcasts.RUNNING else 0),
    }
    if b.get("scheduled_start") is not None:
        values["scheduled_start_ms"] = ms(b["scheduled_start"])
        values["scheduled_end_ms"] = ms(b["scheduled_end"])
    if state != broadcasts.NOT_STARTED and start is not None:
        values["start_ms"] = ms(start)
    if state == broadcasts.ENDED and end is not None:
        values["end_ms"] = ms(end)
    return {k: values[k] for k in sorted(fields | {"id", "state"}) if k in values}


def render_schedule(b: dict[str, Any], now: float) -> dict[str, Any]:
    """A scheduled broadcast as the scheduler gives it (always whole: these operations take no fields)."""
    out = {
        "available_for_replay": bool(b.get("available_for_replay", False)),
        "broadcast_id": b["id"],
        "manual_publish": bool(b.get("manual_publish", False)),
        "scheduled_broadcast_id": b["scheduled_broadcast_id"],
        "scheduled_end_ms": ms(b["scheduled_end"]),
        "scheduled_start_ms": ms(b["scheduled_start"]),
        "source_id": b["source_id"],
        "state": broadcasts.SCHEDULER_STATE[broadcasts.state(b, now)],
        "title": b.get("title", ""),
    }
    for key in ("chat_option", "description", "locale", "recurring_schedule_id", "telecast_id", "thumbnail_media_id"):
        if b.get(key) is not None:
            out[key] = b[key]
    return dict(sorted(out.items()))


def _fields(req: XRequest) -> frozenset[str]:
    if not req.query_string:
        return DEFAULT_FIELDS
    asked = render.listed(req, ("broadcast.fields",), BROADCAST_FIELDS)
    return frozenset(asked) if asked else DEFAULT_FIELDS


# lookup -----------------------------------------------------------------------------------------
def get_one(call: Call) -> Reply:
    """GET /2/broadcasts/{id}"""
    fields = _fields(call.req)
    b = find(call, path_broadcast_id(call))
    body = {"data": render_broadcast(b, fields, call.sim.clock.now())}
    return Reply(200, body, note={"resource_ids": [b["id"]]})


def list_all(call: Call) -> Reply:
    """GET /2/broadcasts: the broadcasts with `ids`, or the caller's own, newest first, paged."""
    fields, store, now = _fields(call.req), call.sim.store, call.sim.clock.now()
    if call.req.arg("ids") is not None:
        found, missing = [], []
        for broadcast_id in paging.listed(call.req, "ids"):
            b = broadcasts.get(store, broadcast_id)
            if b is None:
                missing.append(errors.not_found_error("broadcast", "ids", broadcast_id))
            else:
                found.append(b)
        data = [render_broadcast(b, fields, now) for b in found] or None
        body = render.envelope(data, None, missing, {"result_count": len(found)})
        return Reply(200, body, note={"resource_ids": [b["id"] for b in found]})
    limit = paging.max_results(call.req, 100)
    ids, meta = paging.edge_page(store.edges_from(BROADCASTS_OWNED, call.user.id), call.req, limit)
    found = [b for b in (broadcasts.get(store, i) for i in ids) if b is not None]
    body = render.envelope([render_broadcast(b, fields, now) for b in found] or None, meta=meta)
    return Reply(200, body, note={"resource_ids": [b["id"] for b in found]})


# scheduled broadcasts -----------------------------------------------------------------------------
def _times(call: Call, body: dict[str, Any]) -> tuple[float, float]:
    start, end = int(body["scheduled_start_ms"]) / 1000, int(body["scheduled_end_ms"]) / 1000
    if end <= start:
        raise errors.invalid_request("$.scheduled_end_ms: must be later than scheduled_start_ms")
    if end <= call.sim.clock.now():
        raise errors.invalid_request("$.scheduled_end_ms: must be in the future")
    return start, end


_SETTINGS = ("available_for_replay", "chat_option", "description", "is_locked", "locale", "manual_publish",
             "source_id", "telecast_id", "thumbnail_media_id", "title")  # fmt: skip


def create_scheduled(call: Call) -> Reply:
    """POST /2/broadcasts/scheduled (201); a `recurrence` makes its occurrences too, one series."""
    body = call.req.json_object()
    start, end = _times(call, body)
    recurrence = body.get("recurrence")
    count, step, series = 1, 0.0, None
    if recurrence is not None:
        count = int(recurrence["repeats"])
        if not 1 <= count <= broadcasts.MAX_OCCURRENCES:
            raise errors.invalid_request(f"$.recurrence.repeats: must be between 1 and {broadcasts.MAX_OCCURRENCES}")
        step = 86400.0 * (7 if recurrence["frequency"] == "Weekly" else 1)
        series = call.sim.ids.next_id()
    now = call.sim.clock.now()
    made = []
    for i in range(count):
        record = {k: body[k] for k in _SETTINGS if k in body}
        record.update(
            owner_id=call.user.id,
            scheduled_broadcast_id=call.sim.ids.next_id(),
            media_id=call.sim.ids.next_id(),
            recurring_schedule_id=series,
            scheduled_start=start + i * step,
            scheduled_end=end + i * step,
            created_at=now,
            updated_at=now,
        )
        made.append(broadcasts.create(call.sim, record))
    return Reply(201, {"data": render_schedule(made[0], now)}, note={"resource_ids": [b["id"] for b in made]})


def get_scheduled(call: Call) -> Reply:
    """GET /2/broadcasts/scheduled/{id}"""
    b = owned(call, "read")
    return Reply(200, {"data": render_schedule(b, call.sim.clock.now())}, note={"resource_ids": [b["id"]]})


def _query_time(req: XRequest, name: str) -> float | None:
    raw = req.arg(name)
    if raw is None:
        return None
    if digits.is_digits(raw, 19):
        return int(raw) / 1000
    try:
        return parse_instant(raw, name)
    except InvalidInput:
        message = f"The `{name}` query parameter value [{raw}] is not a valid time (ISO 8601 or milliseconds)"
        raise errors.invalid_param(name, raw, message) from None


def list_scheduled(call: Call) -> Reply:
    """GET /2/broadcasts/scheduled: the caller's schedules not over yet, soonest first (the answer has no `meta`)."""
    oldest, newest = _query_time(call.req, "oldest_start_time"), _query_time(call.req, "newest_start_time")
    limit = paging.max_results(call.req, 100)
    store, now = call.sim.store, call.sim.clock.now()
    found = []
    for broadcast_id, _ in store.edges_from(BROADCASTS_OWNED, call.user.id):
        b = broadcasts.get(store, broadcast_id)
        if b is None or b.get("scheduled_broadcast_id") is None or broadcasts.state(b, now) == broadcasts.ENDED:
            continue
        start = b["scheduled_start"]
        if (oldest is not None and start < oldest) or (newest is not None and start > newest):
            continue
        found.append(b)
    found.sort(key=lambda b: (b["scheduled_start"], b["id"]))
    found = found[:limit]
    body = render.envelope([render_schedule(b, now) for b in found] or None)
    return Reply(200, body, note={"resource_ids": [b["id"] for b in found]})


def update_scheduled(call: Call) -> Reply:
    """PUT /2/broadcasts/scheduled/{id}: a whole replacement; `roll_forward` moves the rest of its series alike."""
    b = owned(call, "update")
    body = call.req.json_object()
    if body["scheduled_broadcast_id"] != b["scheduled_broadcast_id"]:
        raise errors.invalid_request("$.scheduled_broadcast_id: does not name this scheduled broadcast")
    now = call.sim.clock.now()
    if broadcasts.state(b, now) != broadcasts.NOT_STARTED or b.get("went_live_at") is not None:
        raise errors.forbidden_because("A broadcast that is live or over cannot be rescheduled.")
    start, end = _times(call, body)
    shift = start - b["scheduled_start"]
    kept = {k: b[k] for k in ("id", "owner_id", "scheduled_broadcast_id", "media_id", "recurring_schedule_id",
                              "created_at", "telecast_id") if k in b}  # fmt: skip
    changed = {**kept, **{k: body[k] for k in _SETTINGS if k in body}}
    changed.setdefault("source_id", b["source_id"])
    changed.update(scheduled_start=start, scheduled_end=end, updated_at=now)
    broadcasts.put(call.sim.store, changed)
    if body.get("roll_forward") and b.get("recurring_schedule_id") is not None:
        for later in _series(call, b):
            if later["scheduled_start"] <= b["scheduled_start"]:
                continue
            if broadcasts.state(later, now) != broadcasts.NOT_STARTED:
                continue
            moved = {"scheduled_start": later["scheduled_start"] + shift,
                     "scheduled_end": later["scheduled_end"] + shift}  # fmt: skip
            broadcasts.put(call.sim.store, {**later, **moved, "updated_at": now})
    return Reply(200, {"data": render_schedule(changed, now)}, note={"resource_ids": [b["id"]]})


def _series(call: Call, b: dict[str, Any]) -> list[dict[str, Any]]:
    store = call.sim.store
    found = [broadcasts.get(store, i) for i, _ in store.edges_from(BROADCASTS_OWNED, b["owner_id"])]
    return [o for o in found if o is not None and o["id"] != b["id"] and
            o.get("recurring_schedule_id") == b["recurring_schedule_id"]]  # fmt: skip


def delete_scheduled(call: Call) -> Reply:
    """DELETE /2/broadcasts/scheduled/{id}: the occurrence, and with it the rest of its series unless
    `roll_forward=true` (the series then goes on from its next occurrence)."""
    b = owned(call, "delete")
    if broadcasts.state(b, call.sim.clock.now()) == broadcasts.RUNNING:
        raise errors.forbidden_because("A live broadcast cannot be deleted; it ends at its scheduled end.")
    gone = [b]
    if b.get("recurring_schedule_id") is not None and call.req.arg("roll_forward") != "true":
        gone += [o for o in _series(call, b) if o["scheduled_start"] > b["scheduled_start"]]
    for one in gone:
        broadcasts.delete(call.sim.store, one)
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [o["id"] for o in gone]})


def go_live(call: Call) -> Reply:
    """POST /2/broadcasts/scheduled/{id}/live: publish a `manual_publish` schedule now."""
    b = owned(call, "publish")
    now = call.sim.clock.now()
    if not b.get("manual_publish"):
        raise errors.invalid_request(
            "This scheduled broadcast is published at its scheduled start; only one created with manual_publish "
            "goes live by request."
        )
    state = broadcasts.state(b, now)
    if state == broadcasts.ENDED:
        raise errors.forbidden_because("This broadcast is over; it cannot go live.")
    if state == broadcasts.NOT_STARTED:
        b = {**b, "went_live_at": now, "updated_at": now}
        broadcasts.put(call.sim.store, b)
    return Reply(200, {"data": render_schedule(b, now)}, note={"resource_ids": [b["id"]]})
