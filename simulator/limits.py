"""Rate limits: X's per-endpoint fixed windows on the simulator clock.

User-context calls count per (app, user); app-only bearer calls per app, in a pool
of their own. Daily (24-hour) app caps count every call the app makes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator import errors

if TYPE_CHECKING:
    from simulator.auth import AuthContext
    from simulator.core import Simulator
    from simulator.endpoints import Endpoint

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
}


def parse_limits(raw: list[dict[str, Any]], rate_class: str) -> tuple[Limit, ...]:
    out = []
    for item in raw:
        try:
            limit = Limit(str(item["who"]), int(item["limit"]), int(item.get("window", QUARTER)))
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"limits for {rate_class} are objects with who, limit and window") from None
        if limit.who not in ("user", "app") or limit.limit < 0 or limit.window <= 0:
            raise ValueError(f"bad limit for {rate_class}: who is user or app, limit >= 0, window > 0")
        out.append(limit)
    return tuple(out)


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


def check(sim: Simulator, ep: Endpoint, ctx: AuthContext) -> dict[str, str]:
    """Count this call; the rate-limit headers to send, or X's 429 carrying them."""
    if ep.rate_class is None or ctx.app is None:
        return {}
    limits = limits_for(sim, ep.rate_class, ctx.app.id)
    if not limits:
        return {}
    bearer = ctx.scheme == "bearer"
    applied: list[tuple[Limit, str]] = []
    for lim in limits:
        if lim.who == "user":
            if bearer or ctx.user is None:
                continue
            key = f"{ep.rate_class}|user|{ctx.app.id}|{ctx.user.id}|{lim.window}"
        else:
            if lim.bearer_pool and not bearer:
                continue
            key = f"{ep.rate_class}|app|{ctx.app.id}|{lim.window}"
        applied.append((lim, key))
    if not applied:
        return {}
    now = sim.clock.now()
    allowed, states = sim.store.rate_hit([(key, lim.limit, lim.window) for lim, key in applied], now)
    headers = _headers([(lim, used, start) for (lim, _), (used, start) in zip(applied, states, strict=True)])
    if allowed:
        return headers
    exhausted = [
        (lim, key, start) for (lim, key), (used, start) in zip(applied, states, strict=True) if used >= lim.limit
    ]
    lim, key, start = exhausted[0]
    reset = start + lim.window
    headers.setdefault("x-rate-limit-limit", str(lim.limit))
    headers.setdefault("x-rate-limit-remaining", "0")
    headers["x-rate-limit-reset"] = str(int(max(reset, float(headers.get("x-rate-limit-reset", 0)))))
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
    err.headers.update(headers)
    err.reason = f"rate limit {lim.limit} per {lim.window} s ({lim.who}) reached"
    raise err


def _headers(states: list[tuple[Limit, int, float]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for lim, used, start in states:
        values = (str(lim.limit), str(max(lim.limit - used, 0)), str(int(start + lim.window)))
        if lim.window >= DAY:
            prefix = "x-app-limit-24hour-" if lim.who == "app" else "x-user-limit-24hour-"
        elif "x-rate-limit-limit" not in headers:
            prefix = "x-rate-limit-"
        else:
            continue
        headers[prefix + "limit"], headers[prefix + "remaining"], headers[prefix + "reset"] = values
    if "x-rate-limit-limit" not in headers and states:
        # Every answer of a limited endpoint carries x-rate-limit-*; tweepy loops forever without a reset.
        lim, used, start = states[0]
        headers["x-rate-limit-limit"] = str(lim.limit)
        headers["x-rate-limit-remaining"] = str(max(lim.limit - used, 0))
        headers["x-rate-limit-reset"] = str(int(start + lim.window))
    return headers
