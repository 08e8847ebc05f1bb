"""The one clock every part of the simulator reads.

Real time by default; tests freeze it, set it or move it. Nothing else in the
simulator reads the system time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class ClockState:
    now: float
    frozen: bool
    offset: float

    def as_dict(self) -> dict:
        return {
            "now": self.now,
            "iso": iso_utc(self.now),
            "frozen": self.frozen,
            "offset_seconds": self.offset,
        }


class Clock:
    """Simulated wall time in epoch seconds.

    Unfrozen, it runs at real speed shifted by an offset; frozen, it stands
    still at one instant until set, advanced or resumed.
    """

    def __init__(self, *, frozen_at: float | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at = frozen_at

    def now(self) -> float:
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return time.time() + self._offset

    def wall(self) -> float:
        """The host's real time. Only for judging timestamps that clients on this host
        signed with their own clock; everything the simulator decides uses `now()`."""
        return time.time()

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def freeze(self, at: float | None = None) -> None:
        with self._lock:
            self._frozen_at = self.now() if at is None else float(at)

    def set(self, at: float) -> None:
        """Jump to an instant, keeping the clock frozen or running as it was."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = float(at)
            else:
                self._offset = float(at) - time.time()

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += float(seconds)
            else:
                self._offset += float(seconds)

    def resume(self) -> None:
        """Let a frozen clock run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None

    def state(self) -> ClockState:
        return ClockState(now=self.now(), frozen=self._frozen_at is not None, offset=self._offset)


def iso_utc(ts: float) -> str:
    """X's `created_at` format: ISO 8601 with milliseconds and `Z`."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def legacy_utc(ts: float) -> str:
    """v1.1's `created_at` format, e.g. `Wed Oct 10 20:19:24 +0000 2018`."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def parse_instant(value: object) -> float:
    """Epoch seconds from a number or an ISO 8601 string; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a time must be epoch seconds or an ISO 8601 string")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            pass
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        dt = datetime.fromisoformat(text)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.timestamp()
    raise ValueError("a time must be epoch seconds or an ISO 8601 string")
