"""An app's rate-limit windows as people read them: what each counts, calls left, when it resets.

Read from the store's counters (simulator/limits.py writes them), judged by the simulator clock: a window
whose time is over has reset, so it is not shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.limits import limits_for

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


def _parse(key: str) -> tuple[str, str, str | None, int] | None:
    """(rate class, who, user id or None, window seconds) of a bucket key made by limits._plan."""
    parts = key.split("|")
    try:
        if len(parts) == 4 and parts[1] == "app":
            return parts[0], "app", None, int(parts[3])
        if len(parts) == 5 and parts[1] == "user":
            return parts[0], "user", parts[3], int(parts[4])
    except ValueError:
        return None
    return None


def windows(sim: Simulator, app_id: str) -> list[dict[str, Any]]:
    """The app's running windows, by rate class, then the app's own before each user's."""
    app = sim.app(app_id)
    now = sim.clock.now()
    out = []
    for key, start, used in sim.store.rate_windows(app.id):
        parsed = _parse(key)
        if parsed is None or now >= start + parsed[3]:
            continue
        rate_class, who, user_id, window = parsed
        limit = next(
            (lim.limit for lim in limits_for(sim, rate_class, app.id) or () if (lim.who, lim.window) == (who, window)),
            None,  # the limits changed since this window opened: it counts on, its figure is gone
        )
        out.append(
            {
                "rate_class": rate_class,
                "who": who,
                "user_id": user_id,
                "window_seconds": window,
                "limit": limit,
                "used": used,
                "remaining": None if limit is None else max(limit - used, 0),
                "started_at": start,
                "reset_at": start + window,
                "resets_in": start + window - now,
            }
        )
    out.sort(key=lambda w: (w["rate_class"], w["who"] == "user", w["user_id"] or "", w["window_seconds"]))
    return out
