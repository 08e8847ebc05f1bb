"""The streaming endpoints: filtered stream, sample, sample10, firehose (and its language streams), likes,
compliance and label streams, and the X Activity stream.

Each connect is an ordinary request until it is answered (auth, rate limit on connect attempts, billing's
balance check, journal), then a long-lived chunked answer (simulator.streaming). A stream reads the world's
event bus: posts created anywhere in the simulator, likes, deletes. Enterprise-only streams refuse self-serve
apps with X's client-forbidden 403. Each app may hold X's number of connections per stream (per partition
where the stream is partitioned); one more gets X's 429 TooManyConnections.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xmock.simulator import activity, billing, digits, errors, stream_match, tiers
from xmock.simulator.clock import iso_utc, parse_instant
from xmock.simulator.lang import detect
from xmock.simulator.pipeline import Call
from xmock.simulator.pricing import price_table
from xmock.simulator.resources import render
from xmock.simulator.streaming import Render, Stream
from xmock.simulator.xrequest import Reply

MAX_BACKFILL_MINUTES = 5
MAX_RECOVERY_SECONDS = 24 * 3600

Line = dict[str, Any]
Renderer = Callable[["Opened"], Render]  # an opened connection -> (event -> lines)
Keep = Callable[["Opened", Any], bool]


@dataclass(frozen=True)
class Opened:
    """What a stream's renderer knows of its connection."""

    call: Call
    sel: render.Selection
    app_id: str
    partition: int  # 1 on streams that are not partitioned


@dataclass(frozen=True)
class Kind:
    endpoint: str  # X's endpoint id in the connections API
    renderer: Renderer
    enterprise: bool = True  # refused on self-serve access
    partitions: int = 0  # partitioned streams take `partition` 1..partitions
    connections: tuple[int, int] = (1, 1)  # (self-serve, enterprise) connections per app (per partition)


# renderers -------------------------------------------------------------------------------------
def _posts(keep: Keep) -> Renderer:
    """Lines for created posts that `keep` accepts."""

    def make(on: Opened) -> Render:
        sim = on.call.sim

        def lines(event: dict[str, Any]) -> list[Line]:
            if event.get("type") != "post.create":
                return []
            post = sim.store.get_post(event["post_id"])
            if post is None or not keep(on, post):
                return []
            return [stream_match.post_line(sim, post, on.sel)]

        return lines

    return make


def _filtered(on: Opened) -> Render:
    sim = on.call.sim

    def lines(event: dict[str, Any]) -> list[Line]:
        found = stream_match.filtered_lines(sim, on.app_id, event, on.sel)
        for line in found:
            _charge_delivery(on.call, on.app_id, line)
        return found

    return lines


def _charge_delivery(call: Call, app_id: str, line: Line) -> None:
    """Pay-per-use: a delivered post costs a Post read, once per post per UTC day (as REST reads)."""
    sim = call.sim
    hold = call.hold
    if hold is None:
        return
    price = price_table(sim.settings.prices)["Post"][0]
    items = [(f"Post:{line['data']['id']}", price)]
    items += [(f"Post:{p['id']}", price) for p in line.get("includes", {}).get("tweets", [])]
    entry = {
        "time": sim.clock.now(),
        "kind": "charge",
        "request_id": hold.request_id,
        "endpoint": hold.endpoint,
        "price_class": "Post",
    }
    sim.store.charge_resources(app_id, billing.utc_day(sim.clock.now()), items, entry)


def _sampled(percent: int) -> Keep:
    def keep(on: Opened, post: Any) -> bool:
        return not on.call.sim.settings.stream_sampling or int(post.id) % 100 < percent

    return keep


def _partitioned(count: int, keep: Keep | None = None) -> Keep:
    """Each post goes to one partition of a partitioned stream (by id), and to the connections on it."""

    def test(on: Opened, post: Any) -> bool:
        if keep is not None and not keep(on, post):
            return False
        return int(post.id) % count + 1 == on.partition

    return test


def _lang(code: str, count: int) -> Keep:
    return _partitioned(count, lambda on, post: (post.lang or detect(post.text)) == code)


def _likes(count: int, percent: int) -> Renderer:
    def make(on: Opened) -> Render:
        store = on.call.sim.store
        sampling = on.call.sim.settings.stream_sampling

        def lines(event: dict[str, Any]) -> list[Line]:
            if event.get("type") != "like.create":
                return []
            like_id = _like_id(event["actor_id"], event["target_id"])
            if sampling and int(like_id, 16) % 100 >= percent:
                return []
            if int(like_id, 16) % count + 1 != on.partition:
                return []
            post = store.get_post(event["target_id"])
            data = {
                "id": like_id,
                "created_at": iso_utc(event["at"]),
                "liked_tweet_id": event["target_id"],
                "timestamp_ms": int(event["at"] * 1000) % 2**31,  # the spec's int32
            }
            if post is not None:
                data["tweet_author_id"] = post.author_id
            return [{"data": data}]

        return lines

    return make


def _like_id(user_id: str, post_id: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_OID, f"like:{user_id}:{post_id}").hex


def _posts_compliance(on: Opened) -> Render:
    count = 4

    def lines(event: dict[str, Any]) -> list[Line]:
        if event.get("type") != "post.delete" or int(event["post_id"]) % count + 1 != on.partition:
            return []
        tweet = {"id": event["post_id"], "author_id": event["author_id"]}
        return [{"data": {"delete": {"tweet": tweet, "event_at": iso_utc(event["at"])}}}]

    return lines


def _likes_compliance(on: Opened) -> Render:
    def lines(event: dict[str, Any]) -> list[Line]:
        if event.get("type") != "like.delete":
            return []
        favorite = {"id": _like_id(event["actor_id"], event["target_id"]), "user_id": event["actor_id"]}
        return [{"data": {"delete": {"favorite": favorite, "event_at": iso_utc(event["at"])}}}]

    return lines


# X's user compliance events for an account taken down ("account_state.create") or restored (".delete")
_USER_EVENTS = {
    ("suspended", True): "user_suspend",
    ("suspended", False): "user_unsuspend",
    ("deactivated", True): "user_delete",
    ("deactivated", False): "user_undelete",
}


def _users_compliance(on: Opened) -> Render:
    count = 4

    def lines(event: dict[str, Any]) -> list[Line]:
        kind = event.get("type", "")
        if not kind.startswith("account_state.") or int(event["actor_id"]) % count + 1 != on.partition:
            return []
        name = _USER_EVENTS.get((event["target_id"], kind.endswith(".create")))
        if name is None:
            return []
        return [{"data": {name: {"user": {"id": event["actor_id"]}, "event_at": iso_utc(event["at"])}}}]

    return lines


def _nothing(on: Opened) -> Render:
    """Streams of happenings the simulator does not model yet (post labels): keep-alives only."""
    return lambda event: []


def _activity(on: Opened) -> Render:
    sim = on.call.sim

    def lines(event: dict) -> list[dict]:
        # the one matcher of X Activity subscriptions, shared with webhook deliveries (simulator.activity)
        matched = activity.activity_matches(sim, on.app_id, event)
        for sub, _ in matched:
            activity.charge(sim, sub, event)
        return [activity.envelope(sim, sub, event, user_id) for sub, user_id in matched]

    return lines


# the streams ----------------------------------------------------------------------------------
KINDS: dict[str, Kind] = {
    "streamPosts": Kind("filtered_stream", _filtered, enterprise=False, connections=(1, 2)),
    "streamPostsSample": Kind("sample_stream", _posts(_sampled(1))),
    "streamPostsSample10": Kind("sample10_stream", _posts(_partitioned(2, _sampled(10))), partitions=2),
    "streamPostsFirehose": Kind("firehose_stream", _posts(_partitioned(20)), partitions=20),
    "streamPostsFirehoseEn": Kind("firehose_stream_lang_en", _posts(_lang("en", 8)), partitions=8),
    "streamPostsFirehoseJa": Kind("firehose_stream_lang_ja", _posts(_lang("ja", 2)), partitions=2),
    "streamPostsFirehoseKo": Kind("firehose_stream_lang_ko", _posts(_lang("ko", 2)), partitions=2),
    "streamPostsFirehosePt": Kind("firehose_stream_lang_pt", _posts(_lang("pt", 2)), partitions=2),
    "streamLikesFirehose": Kind("likes_firehose_stream", _likes(20, 100), partitions=20),
    "streamLikesSample10": Kind("likes_sample10_stream", _likes(2, 10), partitions=2),
    "streamPostsCompliance": Kind("tweets_compliance_stream", _posts_compliance, partitions=4),
    "streamUsersCompliance": Kind("users_compliance_stream", _users_compliance, partitions=4),
    "streamLikesCompliance": Kind("likes_compliance_stream", _likes_compliance),
    "streamLabelsCompliance": Kind("tweet_label_stream", _nothing),
    "activityStream": Kind("activity_stream", _activity, enterprise=False, connections=(2, 2)),
}
ENDPOINT_IDS = tuple(k.endpoint for k in KINDS.values())


def _read_partition(call: Call, kind: Kind) -> int | None:
    raw = call.req.arg("partition")
    if not kind.partitions:
        return None
    if raw is None:
        raise errors.invalid_param("partition", "", "The `partition` query parameter can not be empty")
    value = digits.parse(raw, 10)
    if value is None or not 1 <= value <= kind.partitions:
        raise errors.invalid_param(
            "partition", raw, f"The `partition` query parameter value [{raw}] is not between 1 and {kind.partitions}"
        )
    return value


def _since(call: Call) -> tuple[str | None, float | None]:
    """The event cursor to start after (backfill_minutes or start_time), and the end_time if any."""
    req, sim = call.req, call.sim
    now = sim.clock.now()
    start: float | None = None
    minutes = req.arg("backfill_minutes")
    if minutes is not None:
        value = digits.parse(minutes, 10)
        if value is None or not 0 <= value <= MAX_BACKFILL_MINUTES:
            raise errors.invalid_param(
                "backfill_minutes", minutes, f"The `backfill_minutes` query parameter value [{minutes}] is not valid"
            )
        if value:
            start = now - 60 * value
    end: float | None = None
    for name in ("start_time", "end_time"):
        raw = req.arg(name)
        if raw is None:
            continue
        try:
            at = parse_instant(raw, name)
        except Exception:
            message = f"Invalid '{name}':'{raw}'. '{name}' must be an ISO 8601 time"
            raise errors.invalid_param(name, raw, message) from None
        if name == "start_time":
            if at < now - MAX_RECOVERY_SECONDS or at > now:
                raise errors.invalid_param(
                    name, raw, f"Invalid '{name}':'{raw}'. '{name}' must be within the last 24 hours"
                )
            start = at if start is None else min(start, at)
        else:
            end = at
    if start is None:
        return None, end
    return _cursor_before(call, start), end


def _cursor_before(call: Call, start: float) -> str:
    """The cursor of the last event older than `start` (the log is in time order)."""
    store = call.sim.store
    cursor = "0"
    while True:
        batch = store.events_after(cursor, 1000)
        for key, event in batch:
            if event.get("at", 0) >= start:
                return cursor
            cursor = key
        if len(batch) < 1000:
            return cursor


def connect(call: Call) -> Reply:
    """Every stream endpoint: check, claim a connection slot, subscribe to the event bus, answer with the stream."""
    kind = KINDS[call.endpoint.name]
    sim = call.sim
    app = call.auth.app
    if app is None:
        raise errors.unauthorized("no app")
    self_serve = tiers.self_serve(sim)
    if kind.enterprise and self_serve:
        raise errors.client_not_enrolled(app.id)
    partition = _read_partition(call, kind)
    since, end = _since(call)
    sel = render.selection(call.req)
    cap = sim.settings.stream_connections or kind.connections[0 if self_serve else 1]
    endpoint = kind.endpoint if partition is None else f"{kind.endpoint}:{partition}"
    conn = {
        "id": _uuid(call),
        "app_id": app.id,
        "endpoint": endpoint,
        "client_ip": call.req.headers.get("x-forwarded-for", "127.0.0.1").split(",")[0].strip(),
        "connected_at": sim.clock.now(),
        "disconnected_at": None,
        "disconnect_reason": None,
    }
    # Subscribed before the connection is seen open: whoever sees it open may rely on every later event.
    sub = sim.bus.subscribe(since=since, buffer=sim.settings.stream_buffer)
    if not sim.store.open_stream_connection(conn, cap):
        sub.close()
        raise errors.too_many_connections()
    try:
        lines = kind.renderer(Opened(call, sel, app.id, partition or 1))
        # Lines depend on the stream, the app (its rules), the fields asked for and the partition.
        share = None if end is not None else (call.endpoint.name, app.id, sel, partition, id(sim.store))
        stream = Stream(call, conn, sub, _until(call, lines, end), share)
    except BaseException:
        sub.close()
        sim.store.close_stream_connection(conn["id"], sim.clock.now(), "InternalError")
        raise
    return Reply(200, None, stream=stream, note={"stream_connection": conn["id"], "stream": kind.endpoint})


def _uuid(call: Call) -> str:
    return str(uuid.UUID(call.sim.random.hex(32)))


def _until(call: Call, lines: Render, end: float | None) -> Render:
    """Recovery with end_time: events after it are not delivered."""
    if end is None:
        return lines
    return lambda event: lines(event) if event.get("at", 0) <= end else []
