"""Load shapes chosen with XMOCK_SHAPE: steady, ramp or spike (XMOCK_PEAK users, XMOCK_DURATION seconds)."""

from __future__ import annotations

import os

from locust import LoadTestShape


class XShape(LoadTestShape):
    def __init__(self) -> None:
        super().__init__()
        self.kind = os.environ.get("XMOCK_SHAPE", "steady")
        self.peak = int(os.environ.get("XMOCK_PEAK", "20"))
        self.duration = int(os.environ.get("XMOCK_DURATION", "30"))
        if self.kind not in ("steady", "ramp", "spike"):
            raise ValueError("XMOCK_SHAPE is steady, ramp or spike")

    def tick(self) -> tuple[int, float] | None:
        t = self.get_run_time()
        if t >= self.duration:
            return None
        if self.kind == "steady":
            return self.peak, float(self.peak)
        if self.kind == "ramp":
            users = max(1, int(self.peak * t / self.duration))
            return users, float(self.peak)
        # spike: a tenth of the peak, then the whole peak for the middle fifth, then back
        in_spike = 0.4 * self.duration <= t < 0.6 * self.duration
        return (self.peak if in_spike else max(1, self.peak // 10)), float(self.peak)
