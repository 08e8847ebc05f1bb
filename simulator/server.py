"""Running the simulator under uvicorn: in the foreground, or in a thread for tests."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from xmock.simulator.app import create_app
from xmock.simulator.core import Simulator
from xmock.simulator.redact import redact_target


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class _OneWritePerResponse:
    """A transport that holds a response's header block until its first body bytes, so both leave
    in one write: one system call per answer instead of two (a sixth of the time per request)."""

    __slots__ = ("_held", "_transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + data)
        elif data.startswith(b"HTTP/1.1 ") and data.endswith(b"\r\n\r\n") and data[9:10] != b"1":
            self._held = data  # a final status's headers; never a 100 Continue the client waits for
        else:
            self._transport.write(data)

    def flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


class XMockHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, offering handlers a way to drop the connection unanswered,
    and writing each answer in one piece.

    Fault injection needs the drop: the `xmock.drop` ASGI extension closes the socket, so the
    client sees a lost connection rather than an error status.
    """

    _after_upgrade = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # uvloop sets it; asyncio's loop does not on sockets accepted from a shared listener.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.transport = _OneWritePerResponse(transport)  # type: ignore[assignment]

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope.setdefault("extensions", {})["xmock.drop"] = self.transport.close

    def data_received(self, data: bytes) -> None:
        if self._after_upgrade:
            return  # bytes meant for a protocol we did not switch to
        super().data_received(data)

    def _unsupported_upgrade_warning(self) -> None:
        # X answers an `Upgrade:` request on its REST routes as plain HTTP. The parser hands every byte
        # after the headers to the protocol asked for, so the answer is the last on this connection.
        self._after_upgrade = True
        if self.cycle is not None:
            self.cycle.keep_alive = False

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]  # an answer with no body bytes
        super().on_response_complete()


class RedactAccessLog(logging.Filter):
    """uvicorn's access lines (`client - "METHOD /path?query HTTP/v" status`) with every credential
    in the query shown as its fingerprint, as the journal shows it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (args[0], args[1], redact_target(args[2]), *args[3:])
        return True


def redact_access_log() -> None:
    """Put the filter on uvicorn's access logger once (uvicorn's logging setup keeps filters)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactAccessLog) for f in logger.filters):
        logger.addFilter(RedactAccessLog())


def uvicorn_config(
    app: object, host: str, port: int, *, access_log: bool = False, log_level: str = "warning"
) -> uvicorn.Config:
    # The access log costs ~3x throughput; it stays off unless asked for.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=access_log,
        log_level=log_level,
        loop="auto",
        http=XMockHttpProtocol,
        # X's REST routes ignore `Upgrade: websocket`; handed to a WebSocket protocol, such a request
        # would reach no route and go unanswered. Without one, uvicorn answers it as plain HTTP.
        ws="none",
        lifespan="off",
        server_header=False,
    )
    if access_log:
        redact_access_log()  # after Config, which sets up uvicorn's loggers
    return config


class AppThread:
    """Any ASGI app on 127.0.0.1 in a background thread; `stop()` ends it."""

    def __init__(self, app: object, host: str = "127.0.0.1", port: int = 0, name: str = "xmock-app") -> None:
        self.host = host
        self.port = port or free_port(host)
        self._server = uvicorn.Server(uvicorn_config(app, self.host, self.port))
        self._thread = threading.Thread(target=self._server.run, name=name, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> AppThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start on {self.base_url}")
            self._thread.join(0.01)  # not time.sleep, which a test's time travel turns into moving the clock
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> AppThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ServerThread(AppThread):
    """A simulator on 127.0.0.1 in a background thread."""

    def __init__(
        self,
        simulator: Simulator | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        control_token: str | None = None,
        open_reads: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.simulator = simulator or Simulator()
        super().__init__(create_app(self.simulator, control_token, open_reads), host, port, name="xmock-server")
