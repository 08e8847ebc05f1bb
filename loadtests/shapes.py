"""Load shapes chosen with XMOCK_SHAPE: steady, ramp or spike (XMOCK_PEAK users, XMOCK_DURATION seconds)."""

from __future__ import annotations

import os

from locust import LoadTestShape

from xmock.loadtests.plan import users_at


class XShape(LoadTestShape):
    def __init__(self) -> None:
        super().__init__()
        self.kind = os.environ.get("XMOCK_SHAPE", "steady")
        self.peak = int(os.environ.get("XMOCK_PEAK", "20"))
        self.duration = int(os.environ.get("XMOCK_DURATION", "30"))
        users_at(self.kind, 0, self.peak, self.duration)  # refuses an unknown shape at start

    def tick(self) -> tuple[int, float] | None:
        users = users_at(self.kind, self.get_run_time(), self.peak, self.duration)
        return None if users is None else (users, float(self.peak))
