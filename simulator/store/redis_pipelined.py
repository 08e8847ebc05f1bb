"""One Redis connection per event loop, with the commands of concurrent requests pipelined on it.

The request path's Redis call (a request's admission) runs here rather than through redis.asyncio,
whose per-command work (checking a connection out of the pool, polling its socket, arming a timeout)
cost more than the rest of a request. Commands are packed and replies parsed by hiredis, as redis-py
does it; Redis answers in the order commands arrive, so each reply goes to the oldest waiting call.
A command unanswered after the timeout closes the connection (every waiting call fails with
redis.TimeoutError) and the next call connects again. Commands are never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import Any

import hiredis
import redis
from redis._parsers.base import BaseParser


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader(encoding="utf-8", replyError=redis.ResponseError)
        self.waiting: deque[tuple[float, asyncio.Future]] = deque()
        self.transport: asyncio.Transport | None = None
        self.failure: Exception | None = None
        self.outgoing: list[bytes] = []

    def flush(self) -> None:
        outgoing, self.outgoing = self.outgoing, []
        if self.transport is not None and self.failure is None:
            self.transport.write(b"".join(outgoing))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            _, future = self.waiting.popleft()
            if future.done():
                continue
            if isinstance(reply, redis.ResponseError):
                future.set_exception(_error(reply))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        failure = self.failure or redis.ConnectionError(f"Redis closed the connection: {exc or 'end of stream'}")
        self.failure = failure
        while self.waiting:
            _, future = self.waiting.popleft()
            if not future.done():
                future.set_exception(failure)


def _error(reply: redis.ResponseError) -> redis.RedisError:
    """The exception redis-py raises for this error reply (LOADING: BusyLoadingError, NOSCRIPT, ...)."""
    return BaseParser.parse_error(str(reply))


class PipelinedClient:
    """Commands from any task of one event loop, on one TCP connection (see the module docstring)."""

    def __init__(self, options: dict[str, Any], timeout: float, connect_timeout: float) -> None:
        self._host = options.get("host", "localhost")
        self._port = int(options.get("port", 6379))
        self._setup: list[tuple[Any, ...]] = []
        if options.get("password"):
            user = options.get("username")
            self._setup.append(("AUTH", user, options["password"]) if user else ("AUTH", options["password"]))
        if options.get("db"):
            self._setup.append(("SELECT", options["db"]))
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._protocol: _Protocol | None = None
        self._connecting: asyncio.Future | None = None
        self._watching = False

    @staticmethod
    def supports(options: dict[str, Any], connection_class: type) -> bool:
        """Plain TCP connections only; TLS and Unix sockets go through redis.asyncio."""
        return connection_class is redis.Connection and "host" in options

    async def execute(self, *args: Any) -> Any:
        protocol = await self._connected()
        return await self._send(protocol, args)

    async def execute_many(self, *commands: tuple[Any, ...], replies_as_errors: bool = False) -> list[Any]:
        """Several commands in one write; their replies in order. With `replies_as_errors`, a command's error
        reply stands in its place (the others' replies are still wanted); a lost connection still raises."""
        protocol = await self._connected()
        futures = [self._send(protocol, args) for args in commands]
        replies = await asyncio.gather(*futures, return_exceptions=True)
        for reply in replies:
            if isinstance(reply, BaseException) and not (replies_as_errors and isinstance(reply, redis.ResponseError)):
                raise reply
        return replies

    def _send(self, protocol: _Protocol, args: tuple[Any, ...]) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        protocol.waiting.append((time.monotonic(), future))
        # Written once per turn of the event loop: the commands of every request that reached this
        # point meanwhile leave in one write, and Redis reads them in one go.
        if not protocol.outgoing:
            loop.call_soon(protocol.flush)
        protocol.outgoing.append(hiredis.pack_command(args))
        if not self._watching:
            self._watching = True
            loop.call_later(self._timeout, self._watch)
        return future

    def _watch(self) -> None:
        """Close a connection whose oldest command has waited longer than the timeout."""
        protocol = self._protocol
        if protocol is None or not protocol.waiting:
            self._watching = False
            return
        waited = time.monotonic() - protocol.waiting[0][0]
        if waited >= self._timeout and protocol.transport is not None:
            protocol.failure = redis.TimeoutError(f"Redis did not answer within {self._timeout} s")
            protocol.transport.abort()
            self._protocol = None
            self._watching = False
            return
        asyncio.get_running_loop().call_later(max(self._timeout - waited, 0.01), self._watch)

    async def _connected(self) -> _Protocol:
        protocol = self._protocol
        if protocol is not None and protocol.failure is None:
            return protocol
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
        try:
            return await asyncio.shield(self._connecting)
        finally:
            if self._connecting is not None and self._connecting.done():
                self._connecting = None

    async def _connect(self) -> _Protocol:
        loop = asyncio.get_running_loop()
        try:
            _, protocol = await asyncio.wait_for(
                loop.create_connection(_Protocol, self._host, self._port), self._connect_timeout
            )
        except TimeoutError:
            raise redis.TimeoutError(f"cannot connect to Redis within {self._connect_timeout} s") from None
        except OSError as exc:
            raise redis.ConnectionError(f"cannot connect to Redis: {exc}") from None
        self._protocol = protocol  # commands queued behind the setup run after it: Redis keeps the order
        for command in self._setup:
            await self._send(protocol, command)
        return protocol

    def close(self) -> None:
        protocol, self._protocol = self._protocol, None
        if protocol is not None and protocol.transport is not None:
            # Its event loop may have closed already: then the socket goes with the transport.
            with contextlib.suppress(RuntimeError):
                protocol.transport.close()


class AsyncRedis:
    """redis.asyncio behind the same `execute`, for connections PipelinedClient does not make."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def execute(self, *args: Any) -> Any:
        return await self._client.execute_command(*args)

    async def execute_many(self, *commands: tuple[Any, ...], replies_as_errors: bool = False) -> list[Any]:
        replies: list[Any] = []
        for args in commands:
            try:
                replies.append(await self._client.execute_command(*args))
            except redis.ResponseError as exc:
                if not replies_as_errors:
                    raise
                replies.append(exc)
        return replies

    def close(self) -> None:
        """Its connections close with the event loop that owns them."""
