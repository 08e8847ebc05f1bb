"""Time the test process feels: while travelling, the process's clock is the simulator's.

Clients judge time by their own clock: tweepy's `wait_on_rate_limit` sleeps until a 429's reset,
requests-oauthlib and authlib refresh a token once their own `expires_at` has passed. A TimeTravel holds
the simulator clock frozen and, with time-machine, the process's wall time (time.time, datetime.now, in
every thread) at the simulator's instant. Every move of the simulator clock moves it too, and time.sleep
or asyncio.sleep called in the travelling thread moves the simulator clock by the time asked instead of
waiting, so "sleep until the reset" or "two hours later" take no time and the client's own logic runs.

Other threads (the simulator's server) sleep for real, and monotonic clocks (timeouts, event loops,
x-response-time) keep real time. Only `time.sleep` and `asyncio.sleep` looked up when called are caught:
code that did `from time import sleep` before the travel sleeps for real.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from xmock.simulator.clock import Clock
from xmock.simulator.control.errors import InvalidInput, shown

if TYPE_CHECKING:
    import time_machine

UNITS = (("seconds", 1), ("minutes", 60), ("hours", 3600), ("days", 86400))


def real_time() -> float:
    """The host's time, even while travelling (for deadlines another machine judges: Redis's TIME).
    time-machine is imported only by a travel (it imports pytest), so a server never loads it."""
    machine = sys.modules.get("time_machine")
    if machine is not None and machine.escape_hatch.is_travelling():
        return float(machine.escape_hatch.time.time())
    return time.time()


class TimeTravel:
    """Moves the process's time with `clock` between `start()` and `stop()` (or as a context manager)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None
        self._thread: int | None = None
        self._real_sleep = time.sleep
        self._real_async_sleep = asyncio.sleep

    @property
    def active(self) -> bool:
        return self._travel is not None

    def start(self) -> TimeTravel:
        """Freeze the simulator clock where it stands (if it runs) and bring the process's time to it;
        from now on sleeping in this thread moves both. Starting twice is starting once."""
        if self._travel is not None:
            return self
        import time_machine  # here, not at import: it imports pytest

        if not self.clock.state().frozen:
            self.clock.freeze()
        self._travel = time_machine.travel(self.clock.now(), tick=False)
        self._traveller = self._travel.start()
        self._agree()
        self._thread = threading.get_ident()
        self.clock.on_move(self._follow)
        self._real_sleep, self._real_async_sleep = time.sleep, asyncio.sleep
        time.sleep = self._sleep  # type: ignore[assignment]
        asyncio.sleep = self._async_sleep  # type: ignore[assignment]
        return self

    def stop(self) -> None:
        """Give the process its real time and real sleeps back; the simulator clock stays where it is."""
        if self._travel is None:
            return
        time.sleep, asyncio.sleep = self._real_sleep, self._real_async_sleep  # type: ignore[assignment]
        self.clock.off_move(self._follow)
        travel, self._travel, self._traveller, self._thread = self._travel, None, None, None
        travel.stop()

    def __enter__(self) -> TimeTravel:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _follow(self) -> None:
        traveller = self._traveller
        if traveller is not None:
            traveller.move_to(self.clock.now())
            self._agree()

    def _agree(self) -> None:
        """time-machine keeps nanoseconds, so the float time.time() gives back may differ from the clock's in the
        last digits: the clock takes the process's value, so `time.time() == clock.now()` holds exactly."""
        landed = time.time()
        if landed != self.clock.now():
            self.clock.settle(landed)

    def _asleep(self, seconds: Any) -> bool:
        """Whether this sleep moves the clock: a positive number of seconds, in the travelling thread."""
        return (
            threading.get_ident() == self._thread
            and not isinstance(seconds, bool)
            and isinstance(seconds, int | float)
            and seconds > 0
        )

    def _sleep(self, seconds: float) -> None:
        if not self._asleep(seconds):
            return self._real_sleep(seconds)  # other threads, and what time.sleep itself refuses
        self.clock.advance(seconds)
        self._real_sleep(0)  # still let other threads run, as a sleep does
        return None

    async def _async_sleep(self, delay: float, result: Any = None) -> Any:
        if self._asleep(delay):
            self.clock.advance(delay)
            delay = 0
        return await self._real_async_sleep(delay, result)


def seconds_of(**amounts: Any) -> float:
    """seconds=, minutes=, hours=, days= added up; InvalidInput names a value that is not a number."""
    total = 0.0
    for unit, factor in UNITS:
        value = amounts.pop(unit, 0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(f"{unit}: expected a number, got {shown(value)}")
        total += value * factor
    if amounts:
        raise InvalidInput(f"expected seconds, minutes, hours or days, got {', '.join(sorted(amounts))}")
    return total


class XClock:
    """The simulator's clock as the `x_clock` fixture gives it: every Clock method (`now`, `freeze`, `set`,
    `resume`, `state`, ...), `advance` in readable units, and `travel()`, which makes the test process feel
    the simulator's time (TimeTravel; ended with the test)."""

    def __init__(self, clock: Clock, travel: TimeTravel) -> None:
        self.clock = clock
        self._travel = travel

    def __getattr__(self, name: str) -> Any:
        return getattr(self.clock, name)

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        """Move the simulator clock forward (back, with negative amounts): `advance(90)`, `advance(hours=2)`."""
        self.clock.advance(seconds_of(seconds=seconds, minutes=minutes, hours=hours, days=days))

    def travel(self) -> TimeTravel:
        """From now until the test ends (or `.stop()`), the process's time is the simulator's."""
        return self._travel.start()

    @property
    def travelling(self) -> bool:
        return self._travel.active

    def resume(self) -> None:
        if self._travel.active:
            raise InvalidInput("time travel holds the simulator clock frozen: stop it before resuming the clock")
        self.clock.resume()
