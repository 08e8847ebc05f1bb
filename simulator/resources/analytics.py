"""GET /2/tweets/analytics: engagement over time for the caller's own posts (enterprise access).

Counts come from the state: likes, reposts and bookmarks are edges with the time they were made;
replies and quote posts are posts with theirs. What the simulator does not model (clicks, opens,
follows from a post, ...) reads 0; impressions are the post's `impression_count`, shown in `total`
granularity only (null per bucket).
"""

from __future__ import annotations

import itertools
from typing import Any

from xmock.simulator import errors, tiers
from xmock.simulator.clock import iso_utc
from xmock.simulator.models import Post
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BOOKMARKS, LIKES, REPOSTS
from xmock.simulator.resources import paging
from xmock.simulator.resources.posts import _time_param
from xmock.simulator.xrequest import Reply

GRANULARITY = {"hourly": 3600, "daily": 86_400, "weekly": 7 * 86_400, "total": 0}
COUNTED = ("likes", "retweets", "replies", "quote_tweets", "bookmarks")
NOT_MODELLED = (
    "app_install_attempts",
    "app_opens",
    "detail_expands",
    "email_tweet",
    "follows",
    "hashtag_clicks",
    "media_views",
    "permalink_clicks",
    "shares",
    "unfollows",
    "unlikes",
    "url_clicks",
    "user_profile_clicks",
)
METRICS = frozenset((*COUNTED, *NOT_MODELLED, "engagements", "impressions"))
FIELDS = frozenset((*METRICS, "id", "timestamp", "timestamped_metrics"))
DEFAULT_METRICS = (*COUNTED, "engagements", "impressions")


def _required_time(call: Call, name: str) -> float:
    value = _time_param(call, name)
    if value is None:
        raise errors.invalid_param(name, "", f"The `{name}` query parameter can not be empty")
    return value


def _fields(call: Call) -> list[str]:
    raw = call.req.arg("analytics.fields")
    if raw is None:
        return list(DEFAULT_METRICS)
    values = raw.split(",")
    for value in values:
        if value not in FIELDS:
            raise errors.invalid_param(
                "analytics.fields",
                value,
                f"The `analytics.fields` query parameter value [{value}] is not one of [{','.join(sorted(FIELDS))}]",
            )
    return [v for v in values if v in METRICS]


def _edges(start: float, end: float, step: int) -> list[float]:
    if not step:
        return [start, end]
    edges = [start]
    edge = (start // step + 1) * step
    while edge < end:
        edges.append(edge)
        edge += step
    return [*edges, end]


def _times(call: Call, post: Post, posts: list[Post]) -> dict[str, list[float]]:
    store = call.sim.store
    return {
        "likes": [at for _, at in store.edges_to(LIKES, post.id)],
        "retweets": [at for _, at in store.edges_to(REPOSTS, post.id)],
        "bookmarks": [at for _, at in store.edges_to(BOOKMARKS, post.id)],
        "replies": [p.created_at for p in posts if p.in_reply_to_post_id == post.id],
        "quote_tweets": [p.created_at for p in posts if p.quoted_post_id == post.id],
    }


def _row(call: Call, post: Post, posts: list[Post], edges: list[float], fields: list[str], total: bool) -> dict:
    times = _times(call, post, posts)
    buckets = []
    sums = dict.fromkeys(fields, 0)
    for lo, hi in itertools.pairwise(edges):
        counted = {name: sum(1 for at in times[name] if lo <= at < hi) for name in COUNTED}
        counted["engagements"] = sum(counted.values())
        metrics: dict[str, Any] = {}
        for name in fields:
            if name == "impressions":
                metrics[name] = call.sim.store.post_metrics(post.id)["impression_count"] if total else None
            else:
                metrics[name] = counted.get(name, 0)
            sums[name] += metrics[name] or 0
        buckets.append({"metrics": metrics, "timestamp": iso_utc(lo)})
    return {"id": post.id, **sums, "timestamped_metrics": buckets}


def posts_analytics(call: Call) -> Reply:
    """GET /2/tweets/analytics"""
    if tiers.self_serve(call.sim):
        raise errors.forbidden("post analytics are available on enterprise access only")
    ids = paging.listed(call.req, "ids")
    start = _required_time(call, "start_time")
    end = _required_time(call, "end_time")
    if end <= start:
        raise errors.invalid_param(
            "end_time", call.req.arg("end_time") or "", "The `end_time` query parameter must be after `start_time`"
        )
    raw = call.req.arg("granularity") or "total"
    if raw not in GRANULARITY:
        raise errors.invalid_param(
            "granularity",
            raw,
            f"The `granularity` query parameter value [{raw}] is not one of [hourly,daily,weekly,total]",
        )
    fields = _fields(call)
    store = call.sim.store
    edges = _edges(start, end, GRANULARITY[raw])
    user = call.user
    everything = store.all_posts()
    data, problems = [], []
    for post_id in ids:
        post = store.get_post(post_id)
        if post is None:
            problems.append(errors.not_found_error("tweet", "ids", post_id))
        elif post.author_id != user.id:
            problems.append(
                errors.not_authorized_for_resource(
                    "tweet", "ids", post_id, f"Sorry, you are not authorized to see the analytics of post [{post_id}]."
                )
            )
        else:
            data.append(_row(call, post, everything, edges, fields, raw == "total"))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data
    if problems:
        body["errors"] = problems
    return Reply(200, body, note={"resource_ids": [d["id"] for d in data]})


# GET /2/media/analytics: the video metrics of the caller's own uploads. Views are what the simulator models:
# the impressions of the posts that carry the media (in `total` granularity; null per bucket, as for posts).
MEDIA_GRANULARITY = {"hourly": 3600, "daily": 86_400, "total": 0}
MEDIA_METRICS = (
    "cta_url_clicks",
    "cta_watch_clicks",
    "play_from_tap",
    "playback25",
    "playback50",
    "playback75",
    "playback_complete",
    "playback_start",
    "video_views",
    "watch_time_ms",
)


def _media_row(call: Call, media_key: str, carriers: list[Post], edges: list[float], fields: list[str], total: bool
               ) -> dict[str, Any]:
    views = sum(call.sim.store.post_metrics(p.id)["impression_count"] for p in carriers) if total else None
    sums = dict.fromkeys((f for f in fields if f in MEDIA_METRICS), 0)
    buckets = []
    for lo, _ in itertools.pairwise(edges):
        metrics: dict[str, Any] = {name: 0 for name in sums}
        if "video_views" in metrics:
            metrics["video_views"] = views
            sums["video_views"] += views or 0
        buckets.append({"metrics": metrics, "timestamp": iso_utc(lo)})
    row: dict[str, Any] = {"media_key": media_key, **sums}
    if "timestamped_metrics" in fields:
        row["timestamped_metrics"] = buckets
    return row


def media_analytics(call: Call) -> Reply:
    """GET /2/media/analytics"""
    if tiers.self_serve(call.sim):
        raise errors.forbidden("media analytics are available on enterprise access only")
    keys = paging.listed(call.req, "media_keys")
    start = _required_time(call, "start_time")
    end = _required_time(call, "end_time")
    if end <= start:
        raise errors.invalid_param(
            "end_time", call.req.arg("end_time") or "", "The `end_time` query parameter must be after `start_time`"
        )
    granularity = call.req.arg("granularity") or "daily"  # the query rules refused any other value
    raw_fields = call.req.arg("media_analytics.fields")
    fields = raw_fields.split(",") if raw_fields else [*MEDIA_METRICS, "timestamped_metrics"]
    store = call.sim.store
    edges = _edges(start, end, MEDIA_GRANULARITY[granularity])
    user = call.user
    posts = [p for p in store.all_posts() if p.media_ids and p.author_id == user.id and not p.deleted]
    data, problems = [], []
    for key in keys:
        media_id = key.partition("_")[2]
        upload = store.get_media(media_id)
        if upload is None or upload.media_key != key:
            problems.append(errors.not_found_error("media", "media_keys", key))
        elif upload.owner_id != user.id:
            problems.append(
                errors.not_authorized_for_resource(
                    "media", "media_keys", key, f"Sorry, you are not authorized to see the analytics of media [{key}]."
                )
            )
        else:
            carriers = [p for p in posts if media_id in p.media_ids]
            data.append(_media_row(call, key, carriers, edges, fields, granularity == "total"))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data
    if problems:
        body["errors"] = problems
    return Reply(200, body, note={"resource_ids": [row["media_key"] for row in data]})
