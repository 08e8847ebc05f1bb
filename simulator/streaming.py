"""Long-lived answers: a stream connection and how the pipeline sends it.

A handler opens a `Stream` (it has claimed the connection's slot and subscribed to the event bus) and returns
it in `Reply.stream`; the pipeline sends the headers, then `serve` sends each line as it comes, in chunks of a
chunked response, while watching for the client going away.

Timing: everything a stream times follows the simulator clock. A keep-alive ("\\r\\n") goes out when 20 s of
simulator time have passed since the last bytes sent: with a running clock every 20 real seconds; with a frozen
clock none until the clock is advanced, then the ones due (at most KEEPALIVE_BURST at once). The stream looks
at the clock, its queue and its connection record every TICK_SECONDS of real time.

Bounded: a connection's backlog is its bus subscription's bounded queue plus the socket's write buffer. When
the client reads too slowly the bus drops the subscription (`overflowed`) and the stream ends with X's
SlowReader notice if it can still be written within a second, else the connection is dropped (X: such notices
may never reach the client). A client that disconnects frees its slot at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import orjson

from xmock.simulator import errors, faults
from xmock.simulator.bus import Event, Subscription

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.pipeline import Call

log = logging.getLogger("xmock.streams")
KEEPALIVE_SECONDS = 20.0  # X's interval (simulator time)
KEEPALIVE_BURST = 10
TICK_SECONDS = 0.1  # how often (real time) an idle stream looks at its clock, record and faults
CHECK_EVERY_TICKS = 3  # idle ticks between looks at the connection record (killed?) and disconnect faults
CHECK_EVERY_BATCHES = 16  # batches of events between such looks while busy
BATCH = 256  # events sent in one write at most
LAST_WORDS_SECONDS = 1.0  # how long a stalled stream's disconnect notice may wait for the socket
NEWLINE = b"\r\n"
_RENDERED: dict[tuple[str, Any], tuple[bytes, int]] = {}  # (event cursor, share key) -> (bytes, lines)
_RENDERED_MAX = 4096

Line = dict[str, Any]
# What a stream makes of one event: lines to send (possibly none).
Render = Callable[[dict[str, Any]], list[Line]]


def forget_rendered() -> None:
    """The world was reset: event cursors start again, so lines rendered before mean nothing now."""
    _RENDERED.clear()


class Stream:
    """One open stream connection: its slot, its bus subscription and how it renders events."""

    def __init__(
        self, call: Call, conn: dict[str, Any], sub: Subscription, render: Render, share_key: Any = None
    ) -> None:
        self.sim: Simulator = call.sim
        self.call = call
        self.conn = conn
        self.sub = sub
        self.render = render
        self.share_key = share_key  # hashable: what makes two connections' lines alike (None: never shared)
        self.ended: str | None = None  # the disconnect reason, once closed
        self.delivered = 0

    @property
    def id(self) -> str:
        return str(self.conn["id"])

    def stop_reason(self) -> str | None:
        """Why the stream must end now: the client is too slow, the connection was killed, a fault."""
        if self.sub.overflowed:
            return "SlowReader"
        if self.sub.closed:
            return "OperationalDisconnect"  # the bus dropped every reader (world reset)
        # On a shared store: take up the clock, settings and fault rules other processes may have changed
        # (the stream runs in its request's context, which read them once at connect).
        self.sim.sync()
        record = self.sim.store.stream_connection(self.id)
        if record is None or record.get("disconnected_at") is not None:
            return "ForceDisconnect"  # killed through the connections API (or the world was reset)
        return faults.pick_disconnect(self.sim, self.call.req, self.call.auth)

    async def lines(self) -> AsyncIterator[bytes]:
        """The bytes to send, as they come: event lines, keep-alives, and a disconnect notice at the end."""
        clock = self.sim.clock
        last = clock.now()
        ticks = handled = 0
        while True:
            item: Event | None = await self.sub.get(TICK_SECONDS)
            now = clock.now()
            due = int((now - last) // KEEPALIVE_SECONDS)
            if due > 0:  # before the line that may have waited for them (a clock advanced, then a post)
                yield NEWLINE * min(due, KEEPALIVE_BURST)
                last = now if due > KEEPALIVE_BURST else last + due * KEEPALIVE_SECONDS
            if item is not None:
                batch = [item, *self.sub.ready(BATCH - 1)]  # what waits goes out in one write
                out = b"".join(self._lines(one) for one in batch)
                if out:
                    last = now
                    yield out
                handled += 1
                look = handled % CHECK_EVERY_BATCHES == 0
                if self.sub.pending() and not look:
                    continue  # drain what is waiting first; look around now and then
            else:
                ticks += 1
                look = ticks % CHECK_EVERY_TICKS == 0
            reason = self.stop_reason() if look or self.sub.closed else None
            if reason is not None:
                self.ended = reason
                yield orjson.dumps(errors.stream_disconnect(reason)) + NEWLINE
                return

    def _lines(self, item: Event) -> bytes:
        """The bytes for one event; connections that would render it alike (same stream, app, fields) share
        them, so a post fanned out to a thousand connections is rendered once."""
        key = (item[0], self.share_key) if self.share_key is not None else None
        if key is not None:
            shared = _RENDERED.get(key)
            if shared is not None:
                self.delivered += shared[1]
                return shared[0]
        out, count = self._render(item)
        if key is not None:
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = (out, count)
        self.delivered += count
        return out

    def _render(self, item: Event) -> tuple[bytes, int]:
        try:
            found = self.render(item[1])
        except self.sim.store.unavailable:
            log.warning("store unreachable: stream %s skipped an event", self.id)
            return b"", 0
        except Exception:  # one bad event must not end every stream
            log.exception("stream %s could not render event %s", self.id, item[0])
            return b"", 0
        return b"".join(orjson.dumps(line, option=orjson.OPT_NON_STR_KEYS) + NEWLINE for line in found), len(found)

    def close(self, reason: str) -> None:
        """Free the slot and stop reading the bus (idempotent)."""
        if self.ended is None:
            self.ended = reason
        self.sub.close()
        try:
            self.sim.store.close_stream_connection(self.id, self.sim.clock.now(), self.ended)
        except self.sim.store.unavailable:
            log.warning("store unreachable: stream %s left open in the store", self.id)


async def serve(stream: Stream, scope: dict, receive: Any, send: Any) -> None:
    """Send a stream's lines until it ends, the client goes away, or the client reads too slowly."""

    async def pump() -> None:
        # The headers leave now (the server holds them for the first body bytes), not with the first line.
        await send({"type": "http.response.body", "body": b"", "more_body": True})
        async for chunk in stream.lines():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            await asyncio.sleep(TICK_SECONDS)  # a server that repeats its request message must not spin us

    sender = asyncio.create_task(pump())
    watcher = asyncio.create_task(gone())
    reason = "ClientDisconnect"
    finished = False
    try:
        while True:
            done, _ = await asyncio.wait({sender, watcher}, timeout=TICK_SECONDS, return_when=asyncio.FIRST_COMPLETED)
            if watcher in done:
                break
            if sender in done:
                finished = sender.exception() is None
                reason = stream.ended or "OperationalDisconnect"
                break
            if stream.sub.overflowed and not sender.done():
                reason = "SlowReader"  # stuck writing to a client that does not read
                break
    finally:
        for task in (sender, watcher):
            task.cancel()
        for task in (sender, watcher):
            with contextlib.suppress(BaseException):
                await task
        stream.close(reason)
    if watcher.done() and not watcher.cancelled():
        return  # the client is gone: nothing more to say
    if not finished:  # a stalled writer: the notice if the socket takes it, else drop the connection
        notice = orjson.dumps(errors.stream_disconnect(reason)) + NEWLINE
        try:
            await asyncio.wait_for(send({"type": "http.response.body", "body": notice}), LAST_WORDS_SECONDS)
            return
        except (TimeoutError, Exception):
            drop = scope.get("extensions", {}).get("xmock.drop")
            if drop is not None:
                drop()
            return
    await send({"type": "http.response.body", "body": b"", "more_body": False})
