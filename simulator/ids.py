"""Identifiers as X makes them: snowflake ids from the clock, tokens from one seedable source."""

from __future__ import annotations

import random
import secrets
import string
import threading

from xmock.simulator.clock import TWITTER_EPOCH_MS, Clock

__all__ = ["TWITTER_EPOCH_MS", "Randomness", "Snowflakes", "snowflake_time"]
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"


class Randomness:
    """All randomness of the simulator; seeded runs repeat exactly."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._rng: random.Random = random.Random(seed) if seed is not None else secrets.SystemRandom()

    def token(self, length: int, alphabet: str = ALNUM) -> str:
        with self._lock:
            return "".join(self._rng.choice(alphabet) for _ in range(length))

    def hex(self, length: int) -> str:
        with self._lock:  # one draw, not one per digit (the system source reads the OS for each)
            return f"{self._rng.getrandbits(4 * length):0{length}x}"

    def random(self) -> float:
        with self._lock:
            return self._rng.random()

    def state(self) -> list | None:
        """A seeded sequence's position as JSON-ready data (snapshots); None when unseeded."""
        with self._lock:
            if isinstance(self._rng, secrets.SystemRandom):
                return None
            version, internal, gauss = self._rng.getstate()
            return [version, list(internal), gauss]

    def set_state(self, state: list) -> None:
        """Continue a seeded sequence from `state()` (ValueError if it is not one)."""
        with self._lock:
            if isinstance(self._rng, secrets.SystemRandom):
                return
            version, internal, gauss = state
            self._rng.setstate((version, tuple(internal), gauss))


class Snowflakes:
    """64-bit ids: milliseconds since X's epoch, a 10-bit worker, a 12-bit sequence."""

    def __init__(self, clock: Clock, worker_id: int = 1) -> None:
        self._clock = clock
        self._worker = worker_id & 0x3FF
        self._lock = threading.Lock()
        self._last_ms = -1
        self._seq = 0

    def next_id(self) -> str:
        with self._lock:
            ms = max(int(self._clock.now() * 1000) - TWITTER_EPOCH_MS, 0)
            if ms <= self._last_ms:
                # A frozen or rewound clock still yields ascending, unique ids.
                ms = self._last_ms
                self._seq += 1
                if self._seq > 0xFFF:
                    ms += 1
                    self._seq = 0
            else:
                self._seq = 0
            self._last_ms = ms
            return str((ms << 22) | (self._worker << 12) | self._seq)

    def reset(self) -> None:
        with self._lock:
            self._last_ms = -1
            self._seq = 0

    def state(self) -> tuple[int, int]:
        return self._last_ms, self._seq

    def continue_after(self, last_ms: int, seq: int) -> None:
        """Never hand out an id at or below (last_ms, seq): a restored world keeps its ids unique."""
        with self._lock:
            if (last_ms, seq) > (self._last_ms, self._seq):
                self._last_ms, self._seq = last_ms, seq


def snowflake_time(id_: str | int) -> float:
    """Epoch seconds encoded in a snowflake id."""
    return ((int(id_) >> 22) + TWITTER_EPOCH_MS) / 1000.0
