"""The one clock every part of the simulator reads.

Real time by default; tests freeze it, set it or move it. Nothing else in the
simulator reads the system time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from xmock.simulator.control.errors import InvalidInput, shown

# The instants the clock may hold. Not before 1970 (epoch seconds stay non-negative, which every
# platform's time functions accept), and not after the last millisecond a snowflake id can carry:
# ids put milliseconds since X's epoch (2010-11-04) in 41 bits above 22 bits of worker and sequence,
# so from 2080-07-10 on they would no longer fit the signed 64-bit integers clients parse them into.
# Every instant in between also fits a datetime, with room for a century of TTLs after it.
TWITTER_EPOCH_MS = 1288834974657  # X's snowflake epoch (ids.py makes the ids)
EARLIEST = 0.0
LATEST = (TWITTER_EPOCH_MS + 2**41 - 1) / 1000.0
_NOT_A_TIME = "{}: expected epoch seconds or an ISO 8601 string, got {}"
_RANGE = "from 1970-01-01T00:00:00Z to 2080-07-10T17:30:30.208Z"


def check_instant(value: float, label: str = "time") -> float:
    """An instant the clock can hold, or InvalidInput."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(_NOT_A_TIME.format(label, shown(value)))
    if not EARLIEST <= value <= LATEST:  # NaN and infinities fail too; huge ints compare exactly
        raise InvalidInput(f"{label}: the simulator's clock runs {_RANGE}, got {shown(value)}")
    return float(value)


def check_advance(now: float, seconds: float) -> float:
    """Where advancing by `seconds` from `now` lands, if the clock can hold it."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds != seconds:
        raise InvalidInput(f"advance: expected a number of seconds, got {shown(seconds)}")
    if not EARLIEST - now <= seconds <= LATEST - now:
        raise InvalidInput(f"advance: the simulator's clock runs {_RANGE}; {shown(seconds)} s from now leaves it")
    return float(seconds)


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
        self._listeners: list[Callable[[], None]] = []

    def on_move(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every freeze, set or advance, in the caller's thread: work due at the new
        time (the audience's actions) is done before the move returns."""
        self._listeners.append(listener)

    def off_move(self, listener: Callable[[], None]) -> None:
        """Stop calling a listener `on_move` added."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _moved(self) -> None:
        for listener in list(self._listeners):
            listener()

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

    # The public moves check their argument (InvalidInput) and then make the move in `_freeze`,
    # `_set` and `_advance`, which a clock kept elsewhere (shared.SharedClock) overrides.
    def freeze(self, at: float | None = None) -> None:
        self._freeze(None if at is None else check_instant(at, "freeze"))
        self._moved()

    def settle(self, at: float) -> None:
        """Hold a frozen clock at `at`, a hair from where it is, telling no follower: a follower that keeps time
        in other units (time-machine's nanoseconds) brings the clock to the float it gives back, so both agree."""
        self._freeze(check_instant(at, "settle"))

    def set(self, at: float) -> None:
        """Jump to an instant, keeping the clock frozen or running as it was."""
        self._set(check_instant(at, "set"))
        self._moved()

    def advance(self, seconds: float) -> None:
        self._advance(check_advance(self.now(), seconds))
        self._moved()

    def _freeze(self, at: float | None) -> None:
        with self._lock:
            self._frozen_at = self.now() if at is None else float(at)

    def _set(self, at: float) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = float(at)
            else:
                self._offset = float(at) - time.time()

    def _advance(self, seconds: float) -> None:
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


def parse_instant(value: object, label: str = "time") -> float:
    """Epoch seconds from a number or an ISO 8601 string, within the clock's range; InvalidInput
    (a ValueError) otherwise."""
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            try:
                dt = datetime.fromisoformat(text)
            except ValueError:
                raise InvalidInput(_NOT_A_TIME.format(label, shown(value))) from None
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            try:
                number = dt.timestamp()
            except (OverflowError, ValueError):  # year 1 or 9999 with an offset leaves datetime's range
                raise InvalidInput(f"{label}: the simulator's clock runs {_RANGE}, got {shown(value)}") from None
        if not EARLIEST <= number <= LATEST:
            raise InvalidInput(f"{label}: the simulator's clock runs {_RANGE}, got {shown(value)}")
        return number
    return check_instant(value, label)  # type: ignore[arg-type]
