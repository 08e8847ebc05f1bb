"""Calling the simulator's ASGI app in-process, without a socket.

A background thread runs one event loop per bridge; synchronous and asynchronous
callers hand requests to it. A fault that drops the connection surfaces as
`ConnectionDropped`, which the interception layer turns into the client library's
own connection error.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

from xmock.simulator.app import create_app
from xmock.simulator.core import Simulator
from xmock.simulator.fault_strikes import ConnectionDropped

Headers = list[tuple[str, str]]  # names and values may also arrive as bytes (requests allows both)


class InProcessBridge:
    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.app = create_app(simulator)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="xmock-inprocess", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def request(self, method: str, url: str, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        """Send one request from synchronous code."""
        return asyncio.run_coroutine_threadsafe(self._call(method, url, headers, body), self._loop).result()

    async def arequest(self, method: str, url: str, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        """Send one request from a coroutine running on any loop."""
        future = asyncio.run_coroutine_threadsafe(self._call(method, url, headers, body), self._loop)
        return await asyncio.wrap_future(future)

    async def _call(self, method: str, url: str, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        parts = urlsplit(url)
        names = {_bytes(k).lower() for k, _ in headers}
        all_headers = list(headers) if b"host" in names else [("host", parts.netloc), *headers]
        dropped = False

        def drop() -> None:
            nonlocal dropped
            dropped = True

        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": parts.scheme or "https",
            "path": unquote(parts.path or "/"),
            "raw_path": (parts.path or "/").encode("latin-1"),
            "query_string": parts.query.encode("latin-1"),
            "root_path": "",
            "headers": [(_bytes(k).lower(), _bytes(v)) for k, v in all_headers],
            "server": (parts.hostname or "api.x.com", parts.port or 443),
            "client": ("127.0.0.1", 0),
            "extensions": {"xmock.drop": drop},
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        out_headers: Headers = []
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, out_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                out_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        if dropped:
            raise ConnectionDropped("the simulator dropped the connection (fault injection)")
        return status, out_headers, b"".join(chunks)


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")
