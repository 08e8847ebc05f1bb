"""How many users a load shape wants at a moment (kept apart from locust, which patches the process)."""

from __future__ import annotations

SHAPES = ("steady", "ramp", "spike")


def users_at(kind: str, t: float, peak: int, duration: int) -> int | None:
    """Users at `t` seconds, or None once the run is over."""
    if kind not in SHAPES:
        raise ValueError("XMOCK_SHAPE is steady, ramp or spike")
    if t >= duration:
        return None
    if kind == "steady":
        return peak
    if kind == "ramp":
        return max(1, int(peak * t / duration))
    # spike: a tenth of the peak, then the whole peak for the middle fifth, then back
    return peak if 0.4 * duration <= t < 0.6 * duration else max(1, peak // 10)
