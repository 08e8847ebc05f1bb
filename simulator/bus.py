"""The event bus: each process reads the world's event log once and hands every event to its readers.

Readers (a stream connection, a webhook deliverer, the audience) subscribe and get a bounded queue. A
reader that falls too far behind is dropped and told so (`overflowed`), as X disconnects a slow stream
consumer, so no reader can make the process run out of memory. On the in-memory store an append wakes
the bus at once; on Redis, where events come from every process, the bus polls the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.store import Store

log = logging.getLogger("xmock.bus")
POLL_SECONDS = 0.02  # how often the log is read when nothing wakes the bus
READ_BATCH = 1000
DEFAULT_BUFFER = 10_000  # events a reader may have waiting before it is dropped

Event = tuple[str, dict[str, Any]]


class Subscription:
    """One reader's queue of (cursor, event)."""

    def __init__(self, bus: EventBus, buffer: int) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=buffer)
        self.overflowed = False
        self.closed = False

    def _offer(self, item: Event) -> bool:
        try:
            self._queue.put_nowait(item)
            return True
        except asyncio.QueueFull:
            self.overflowed = True
            self.closed = True
            return False

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or None when `timeout` seconds pass first (or the reader was dropped)."""
        if self.closed and self._queue.empty():
            return None
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None

    def ready(self, limit: int) -> list[Event]:
        """Up to `limit` events already waiting, without waiting (a reader that sends them in one write)."""
        out: list[Event] = []
        while len(out) < limit and not self._queue.empty():
            out.append(self._queue.get_nowait())
        return out

    def pending(self) -> int:
        return self._queue.qsize()

    def close(self) -> None:
        self.closed = True
        self._bus._unsubscribe(self)


class EventBus:
    def __init__(self, store: Store, poll_seconds: float = POLL_SECONDS) -> None:
        self.store = store
        self.poll_seconds = poll_seconds
        self._subs: list[Subscription] = []
        self._cursor: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._thread: int | None = None
        store.on_event(self._poke)

    # readers ---------------------------------------------------------------------
    def subscribe(self, since: str | None = None, buffer: int = DEFAULT_BUFFER) -> Subscription:
        """A new reader of what happens from now on; with `since`, first the events after that cursor
        still in the log. Call it on the event loop that will read."""
        self._ensure_running()
        if self._cursor is None or not self._subs:
            # The first reader starts from the log's end: with nobody reading, the cursor may lag a poll behind.
            self._cursor = self.store.event_cursor()
        sub = Subscription(self, buffer)
        if since is not None:
            for item in self._backlog(since):
                if not sub._offer(item):
                    return sub
        self._subs.append(sub)
        return sub

    def _backlog(self, since: str) -> list[Event]:
        found: list[Event] = []
        cursor = since
        while True:
            batch = self.store.events_after(cursor, READ_BATCH)
            batch = [item for item in batch if not self._beyond(item[0])]
            found += batch
            if len(batch) < READ_BATCH:
                return found
            cursor = batch[-1][0]

    def _beyond(self, cursor: str) -> bool:
        """Whether an event is newer than what the bus has dispatched (the reader task will bring it)."""
        if self._cursor is None:
            return False
        return _order(cursor) > _order(self._cursor)

    def _unsubscribe(self, sub: Subscription) -> None:
        with contextlib.suppress(ValueError):
            self._subs.remove(sub)

    def reset(self) -> None:
        """The world was reset: readers are dropped and the bus starts from the log's new end."""
        for sub in list(self._subs):
            sub.closed = True
        self._subs.clear()
        self._cursor = None

    # the reader task -------------------------------------------------------------
    def _ensure_running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        self._thread = threading.get_ident()
        self._wake = asyncio.Event()
        self._task = loop.create_task(self._run(), name="xmock-event-bus")

    def _poke(self) -> None:
        loop, wake = self._loop, self._wake
        if not self._subs or loop is None or wake is None or loop.is_closed():
            return  # nobody reads: the reader task's poll keeps the cursor near the log's end
        if threading.get_ident() == self._thread:
            wake.set()  # appended by a request on the loop's own thread: no wake-up through the self-pipe
            return
        with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
            loop.call_soon_threadsafe(wake.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                self.dispatch()
            except self.store.unavailable:
                log.warning("event log unreachable; retrying")
            except Exception:  # a bug must not stop every stream of the process
                log.exception("event bus")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    def dispatch(self) -> int:
        """Read what is new in the log and hand it to every reader; how many events were read."""
        if self._cursor is None:
            self._cursor = self.store.event_cursor()
            return 0
        total = 0
        while True:
            batch = self.store.events_after(self._cursor, READ_BATCH)
            if not batch:
                return total
            self._cursor = batch[-1][0]
            total += len(batch)
            for sub in list(self._subs):
                for item in batch:
                    if not sub._offer(item):
                        self._unsubscribe(sub)
                        break
            if len(batch) < READ_BATCH:
                return total


def _order(cursor: str) -> tuple[int, int]:
    """Cursors of both stores in order: the in-memory store's "N", Redis's "ms-seq"."""
    head, _, tail = cursor.partition("-")
    return int(head), int(tail or 0)
