"""Rate limits: X's per-endpoint fixed windows on the simulator clock.

User-context calls count per (app, user); app-only bearer calls per app, in a pool
of their own. Daily (24-hour) app caps count every call the app makes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xmock.simulator import errors

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.endpoints import Endpoint

DAY = 24 * 3600
QUARTER = 15 * 60


@dataclass(frozen=True)
class Limit:
    who: str  # "user": per (app, user) on user-context calls; "app": per app
    limit: int
    window: int = QUARTER

    @property
    def bearer_pool(self) -> bool:
        """A short per-app window is the app-only bearer pool; a daily app cap covers every call."""
        return self.who == "app" and self.window < DAY


# X's published table (per 15 minutes unless noted). PPU accounts see other figures: override.
DEFAULT_LIMITS: dict[str, tuple[Limit, ...]] = {
    "posts:create": (Limit("user", 100), Limit("app", 10_000, DAY)),
    "posts:delete": (Limit("user", 50),),
    "posts:lookup": (Limit("user", 900), Limit("app", 450)),
    "posts:lookup-many": (Limit("user", 5_000), Limit("app", 3_500)),
    "posts:search-recent": (Limit("user", 300), Limit("app", 450)),
    "users:posts": (Limit("user", 900), Limit("app", 10_000)),
    "users:me": (Limit("user", 75),),
    "users:lookup": (Limit("user", 900), Limit("app", 300)),
    "likes:write": (Limit("user", 50), Limit("user", 1_000, DAY)),
    "reposts:write": (Limit("user", 50),),
    "usage:tweets": (Limit("app", 50),),
    "media:upload": (Limit("user", 500), Limit("app", 50_000, DAY)),
    "media:status": (Limit("user", 1_000), Limit("app", 100_000, DAY)),
    "media:chunked": (Limit("user", 1_875), Limit("app", 180_000, DAY)),
    "media:metadata": (Limit("user", 500), Limit("app", 50_000, DAY)),
    "usage:credits": (Limit("user", 30), Limit("app", 30)),
    # social graph (follows, blocks, mutes)
    "follows:read": (Limit("user", 300), Limit("app", 300)),
    "follows:follow": (Limit("user", 50),),
    "follows:unfollow": (Limit("user", 50),),
    "blocks:read": (Limit("user", 15),),
    "mutes:read": (Limit("user", 15),),
    "mutes:mute": (Limit("user", 50),),
    "mutes:unmute": (Limit("user", 50),),
    # users lookups and timelines (affiliates: not published, the users lookup figures assumed)
    "users:lookup-ids": (Limit("user", 900), Limit("app", 300)),
    "users:lookup-usernames": (Limit("user", 900), Limit("app", 300)),
    "users:search": (Limit("user", 900),),  # X lists 300 per app, but search takes no bearer token
    "users:affiliates": (Limit("user", 900), Limit("app", 300)),
    "users:mentions": (Limit("user", 300), Limit("app", 450)),
    "users:home-timeline": (Limit("user", 180),),
    "users:reposts-of-me": (Limit("user", 75),),
    # post family: engagement lookups, counts, full-archive search, analytics
    "posts:liking-users": (Limit("user", 75), Limit("app", 75)),
    "users:liked-posts": (Limit("user", 75), Limit("app", 75)),
    "posts:reposted-by": (Limit("user", 75), Limit("app", 75)),
    "posts:reposts": (Limit("user", 75), Limit("app", 75)),
    "posts:quotes": (Limit("user", 75), Limit("app", 75)),
    "posts:hide-reply": (Limit("user", 50),),
    "posts:counts-recent": (Limit("user", 300), Limit("app", 300)),  # X publishes no user pool; same figure
    "posts:counts-all": (Limit("app", 300),),
    "posts:search-all": (Limit("app", 300), Limit("app", 1, 1)),  # and one request per second
    "posts:analytics": (Limit("user", 300), Limit("app", 300)),
    # lists and bookmarks (followers and followed lists as tweepy's recorded headers show them; the bookmark
    # folder create limit is not published: the folder reads' 50)
    "lists:create": (Limit("user", 300),),
    "lists:lookup": (Limit("user", 75), Limit("app", 75)),
    "lists:update": (Limit("user", 300),),
    "lists:delete": (Limit("user", 300),),
    "lists:members": (Limit("user", 900), Limit("app", 900)),
    "lists:member-add": (Limit("user", 300),),
    "lists:member-remove": (Limit("user", 300),),
    "lists:followers": (Limit("user", 180), Limit("app", 180)),
    "lists:posts": (Limit("user", 900), Limit("app", 900)),
    "lists:owned": (Limit("user", 15), Limit("app", 15)),
    "lists:memberships": (Limit("user", 75), Limit("app", 75)),
    "lists:followed": (Limit("user", 15), Limit("app", 15)),
    "lists:follow": (Limit("user", 50),),
    "lists:unfollow": (Limit("user", 50),),
    "lists:pinned": (Limit("user", 15),),
    "lists:pin": (Limit("user", 50),),
    "lists:unpin": (Limit("user", 50),),
    "bookmarks:read": (Limit("user", 180),),
    "bookmarks:create": (Limit("user", 50),),
    "bookmarks:delete": (Limit("user", 50),),
    "bookmarks:folders": (Limit("user", 50),),
    "bookmarks:folder-create": (Limit("user", 50),),
    "bookmarks:folder": (Limit("user", 50),),
    # webhooks, Account Activity and X Activity subscriptions (x-api-surface.md §10-§12; per app, 15 min;
    # AAA limits are not published: the webhooks' figure)
    "webhooks:manage": (Limit("app", 450),),
    "webhooks:replay": (Limit("app", 100),),
    "aaa:subscriptions": (Limit("app", 450),),
    "activity:subscriptions": (Limit("app", 500),),
    # direct messages (x-api-surface.md §8; reads publish no app pool and take no bearer token; media download
    # is not published: the reads' figure)
    "dms:read": (Limit("user", 15),),
    "dms:create": (Limit("user", 15), Limit("user", 1_440, DAY), Limit("app", 1_440, DAY)),
    "dms:delete": (Limit("user", 300), Limit("user", 1_500, DAY), Limit("app", 4_000, DAY)),
    "dms:block": (Limit("user", 10), Limit("user", 400, DAY), Limit("app", 1_000, DAY)),
    "dms:media": (Limit("user", 15),),
    # streams (connect attempts count; x-api-surface.md §9, §18)
    "streams:filtered": (Limit("app", 50),),
    "streams:rules-read": (Limit("app", 450),),
    "streams:rules-write": (Limit("app", 100),),
    "streams:sample": (Limit("app", 50),),
    "streams:sample10": (Limit("app", 100),),
    "streams:activity": (Limit("app", 450),),
    "connections:kill-all": (Limit("app", 25),),
    # media analytics (not published: post analytics' figures)
    "media:analytics": (Limit("user", 300), Limit("app", 300)),
    # spaces (X's table: 300 per 15 minutes per user and per app; by creator also one request a second)
    "spaces:lookup": (Limit("user", 300), Limit("app", 300)),
    "spaces:by-creator": (Limit("user", 300), Limit("app", 300), Limit("user", 1, 1), Limit("app", 1, 1)),
    "spaces:search": (Limit("user", 300), Limit("app", 300)),
    "spaces:posts": (Limit("user", 300), Limit("app", 300)),
    "spaces:buyers": (Limit("user", 300),),
    # XChat and public keys (n/p in x-api-surface.md §17: the DM family's figures where one fits, reads at the DM
    # reads' 15 per user being too few for a chat client's polling: X's DM-create day caps kept on sends)
    "chat:read": (Limit("user", 300),),
    "chat:write": (Limit("user", 300), Limit("app", 4_000, DAY)),
    "chat:send": (Limit("user", 300), Limit("user", 1_440, DAY), Limit("app", 14_400, DAY)),
    "chat:indicators": (Limit("user", 900),),
    "chat:media": (Limit("user", 500), Limit("app", 10_000, DAY)),
    "chat:keys-read": (Limit("user", 300),),
    "chat:keys-write": (Limit("user", 50),),
    # communities, news, trends (x-api-surface.md §14: search and personalized trends take no bearer token, so
    # their per-app 15-minute figure has no pool); Community Notes and articles are not published: assumed
    "communities:lookup": (Limit("user", 300), Limit("app", 300)),
    "communities:search": (Limit("user", 300),),
    "news:lookup": (Limit("app", 200),),
    "news:search": (Limit("user", 200), Limit("app", 200)),
    "trends:woeid": (Limit("app", 75),),
    "trends:personalized": (Limit("user", 10), Limit("user", 100, DAY), Limit("app", 200, DAY)),
    "notes:write": (Limit("user", 50),),
    "notes:evaluate": (Limit("user", 300),),
    "notes:read": (Limit("user", 300),),
    "articles:write": (Limit("user", 50),),
    # compliance jobs, media lookup and subtitles (x-api-surface.md §13, §15; media lookup is not published:
    # the users lookup's figures)
    "compliance:jobs": (Limit("app", 150),),
    "media:lookup": (Limit("user", 300), Limit("app", 300)),
    "media:subtitles": (Limit("user", 100), Limit("app", 10_000, DAY)),
}


LIMIT_FIELDS = ("who", "limit", "window")
WHO = ("user", "app")
MAX_LIMIT = 10**9
MAX_WINDOW = 366 * DAY  # X's longest window is a day; a year is room enough for any test


def parse_limits(raw: list[dict[str, Any]], rate_class: str) -> tuple[Limit, ...]:
    """Limits from checked JSON (see `check_limit_table`)."""
    return tuple(Limit(item["who"], item["limit"], item.get("window", QUARTER)) for item in raw)


def check_limit_table(label: str, table: Any) -> dict[str, list[dict[str, Any]]]:
    """A table of rate-limit class to a list of {who, limit, window}, checked; what the settings and
    per-app overrides store. Refuses unknown classes and fields, with the closest valid name."""
    from xmock.simulator.control.errors import InvalidInput, check_int, check_names, shown

    if not isinstance(table, dict):
        raise InvalidInput(f"{label}: expected a table of rate-limit class to a list of limits, got {shown(table)}")
    check_names("rate-limit class", table, DEFAULT_LIMITS)
    out: dict[str, list[dict[str, Any]]] = {}
    for rate_class, raw in table.items():
        where = f"{label}.{rate_class}"
        if not isinstance(raw, list):
            raise InvalidInput(f"{where}: expected a list of {{who, limit, window}}, got {shown(raw)}")
        checked = []
        for i, item in enumerate(raw):
            at = f"{where}[{i}]"
            if not isinstance(item, dict):
                raise InvalidInput(f"{at}: expected an object with who, limit and window, got {shown(item)}")
            check_names("limit field", item, LIMIT_FIELDS)
            who = item.get("who")
            if who not in WHO or not isinstance(who, str):
                raise InvalidInput(f"{at}.who: expected 'user' or 'app', got {shown(who)}")
            checked.append(
                {
                    "who": who,
                    "limit": check_int(f"{at}.limit", item.get("limit"), 0, MAX_LIMIT),
                    "window": check_int(f"{at}.window", item.get("window", QUARTER), 1, MAX_WINDOW),
                }
            )
        out[rate_class] = checked
    return out


def limits_for(sim: Simulator, rate_class: str, app_id: str) -> tuple[Limit, ...] | None:
    """The limits in force for one app, or None when limits are off for it."""
    if not sim.settings.rate_limits:
        return None
    override = sim.store.get_app_limits(app_id)
    if override is not None and override.get("enabled") is False:
        return None
    if override is not None and rate_class in override.get("limits", {}):
        return _parsed(override["limits"][rate_class], rate_class)
    if rate_class in sim.settings.limits:
        return _parsed(sim.settings.limits[rate_class], rate_class)
    return DEFAULT_LIMITS.get(rate_class, ())


def _parsed(raw: list[dict[str, Any]], rate_class: str) -> tuple[Limit, ...]:
    # Overrides are plain JSON (the store may be shared); parse each distinct one once.
    hit = _BY_IDENTITY.get(id(raw))
    if hit is not None and hit[0] is raw:
        return hit[1]
    key = (rate_class, json.dumps(raw, sort_keys=True))
    cached = _PARSED.get(key)
    if cached is None:
        if len(_PARSED) > 1024:
            _PARSED.clear()
            _BY_IDENTITY.clear()
        cached = _PARSED[key] = parse_limits(raw, rate_class)
    _BY_IDENTITY[id(raw)] = (raw, cached)
    return cached


_BY_IDENTITY: dict[int, tuple[list[dict[str, Any]], tuple[Limit, ...]]] = {}
_PARSED: dict[tuple[str, str], tuple[Limit, ...]] = {}


Header = tuple[bytes, bytes]


@dataclass(frozen=True)
class _Bucket:
    """One limit as it applies to one app: its counter key (less the user id) and its headers."""

    limit: Limit
    key: str  # complete for an app bucket; the user id goes between key and suffix for a user one
    suffix: str | None
    names: tuple[tuple[bytes, bytes, bytes], ...]  # the header families it fills (limit, remaining, reset)
    limit_text: bytes
    fixed: tuple[str, int, int] | None  # what the store counts, for an app bucket: the same on every call


def _plan(sim: Simulator, rate_class: str, app_id: str, bearer: bool, has_user: bool) -> tuple[_Bucket, ...]:
    """The buckets a call counts in, worked out once per rate class, app and caller kind.

    Reused while the settings and the app's overrides are the same objects: both are replaced,
    never changed in place, when they change."""
    override = sim.store.get_app_limits(app_id) if sim.settings.rate_limits else None
    cache_key = (rate_class, app_id, bearer, has_user)
    hit = _PLANS.get(cache_key)
    if hit is not None and hit[0] is sim.settings and hit[1] is override:
        return hit[2]
    applied: list[tuple[Limit, str, str | None]] = []
    filled: dict[bytes, int] = {}  # header family -> the bucket that fills it
    for lim in limits_for(sim, rate_class, app_id) or ():
        if lim.who == "user":
            if bearer or not has_user:
                continue
            applied.append((lim, f"{rate_class}|user|{app_id}|", f"|{lim.window}"))
        else:
            if lim.bearer_pool and not bearer:
                continue
            applied.append((lim, f"{rate_class}|app|{app_id}|{lim.window}", None))
        # The first short window fills x-rate-limit-*; a later daily one of the same kind replaces an earlier.
        if lim.window >= DAY:
            filled[b"x-app-limit-24hour-" if lim.who == "app" else b"x-user-limit-24hour-"] = len(applied) - 1
        else:
            filled.setdefault(b"x-rate-limit-", len(applied) - 1)
    if applied and b"x-rate-limit-" not in filled:
        # Every answer of a limited endpoint carries x-rate-limit-*; tweepy loops forever without a reset.
        filled[b"x-rate-limit-"] = 0
    plan = tuple(
        _Bucket(
            lim,
            key,
            suffix,
            tuple((f + b"limit", f + b"remaining", f + b"reset") for f, i in filled.items() if i == n),
            str(lim.limit).encode(),
            (key, lim.limit, lim.window) if suffix is None else None,
        )
        for n, (lim, key, suffix) in enumerate(applied)
    )
    if len(_PLANS) > 4096:
        _PLANS.clear()
    _PLANS[cache_key] = (sim.settings, override, plan)
    return plan


_PLANS: dict[tuple[str, str, bool, bool], tuple[object, object, tuple[_Bucket, ...]]] = {}


Buckets = list[tuple[str, int, int]]  # what the store counts: key, limit, window seconds


def buckets_for(sim: Simulator, ep: Endpoint, ctx: AuthContext) -> tuple[tuple[_Bucket, ...], Buckets]:
    """The buckets this call counts in (none when unlimited), and what the store counts for them."""
    app = ctx.app
    if ep.rate_class is None or app is None:
        return (), []
    user = ctx.user
    plan = _plan(sim, ep.rate_class, app.id, ctx.scheme == "bearer", user is not None)
    buckets = [
        b.fixed or (b.key + user.id + b.suffix, b.limit.limit, b.limit.window)  # type: ignore[operator,union-attr]
        for b in plan
    ]
    return plan, buckets


def headers(plan: tuple[_Bucket, ...], states: list[tuple[int, float]]) -> list[Header]:
    """The rate-limit headers of a call the store counted."""
    return _headers(plan, states) if plan else []


def refusal(
    sim: Simulator,
    ep: Endpoint,
    ctx: AuthContext,
    plan: tuple[_Bucket, ...],
    buckets: Buckets,
    states: list[tuple[int, float]],
    now: float,
) -> errors.XError:
    """X's 429 for a call the store refused to count, with its headers; a call made again before
    the reset of a 429 it already met is a finding."""
    headers = _headers(plan, states)
    exhausted = [
        (b.limit, key, start)
        for b, (key, _, _), (used, start) in zip(plan, buckets, states, strict=True)
        if used >= b.limit.limit
    ]
    lim, key, start = exhausted[0]
    reset = start + lim.window
    text = {name.decode(): value.decode() for name, value in headers}
    text.setdefault("x-rate-limit-limit", str(lim.limit))
    text.setdefault("x-rate-limit-remaining", "0")
    text["x-rate-limit-reset"] = str(int(max(reset, float(text.get("x-rate-limit-reset", 0)))))
    repeated = not sim.store.note_limited(key, reset, now)
    if repeated:
        sim.findings.record(
            "rate-limit-hammering",
            app=ctx.app,
            user=ctx.user,
            dedupe=f"{key}|{start}",
            detail=f"{ep.method} {ep.path} called again after a 429, before its reset at {int(reset)}",
        )
    err = errors.rate_limited(ep.surface)
    err.headers.update(text)
    err.reason = f"rate limit {lim.limit} per {lim.window} s ({lim.who}) reached"
    # Journaled with the 429: certification checks that nothing reaches this bucket before its reset.
    err.evidence = {"rate_class": ep.rate_class, "who": lim.who, "reset": int(reset)}
    return err


def _headers(plan: tuple[_Bucket, ...], states: list[tuple[int, float]]) -> list[Header]:
    headers: list[Header] = []
    for b, (used, start) in zip(plan, states, strict=True):
        for limit_name, remaining_name, reset_name in b.names:
            lim = b.limit
            headers += (
                (limit_name, b.limit_text),
                (remaining_name, b"%d" % (lim.limit - used if used < lim.limit else 0)),
                (reset_name, b"%d" % int(start + lim.window)),
            )
    return headers
