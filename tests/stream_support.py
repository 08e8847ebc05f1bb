"""Shared by the stream tests: the app's bearer, rule writes, a stream read in a thread, and bounded waits on
the connections the store records (bounds on a hang, never timing assertions)."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import requests
from oauth2_support import bearer_headers as h

RULES = "/2/tweets/search/stream/rules"
STREAM = "/2/tweets/search/stream"
WAIT = 10.0  # seconds a test waits for a line that must come (never a timed assertion: only a bound on a hang)


def add_rules(world, bearer, *rules, **params):
    body = {"add": [r if isinstance(r, dict) else {"value": r} for r in rules]}
    return requests.post(world.url(RULES), json=body, params=params, headers=h(bearer))


class Reader:
    """A stream connection read in a thread: its lines (keep-alives as "") arrive in a queue."""

    def __init__(self, world, bearer: str, path: str, params: dict | None = None) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.opened = threading.Event()
        self.status: int | None = None
        self.body: dict | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(WAIT, read=None))
        self._stop = False
        self._sock: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, args=(world.url(path), bearer, params), daemon=True)
        self._thread.start()
        assert self.opened.wait(WAIT)

    def _run(self, url: str, bearer: str, params: dict | None) -> None:
        try:
            with self._client.stream("GET", url, params=params, headers=h(bearer)) as resp:
                self.status = resp.status_code
                self._sock = resp.extensions["network_stream"].get_extra_info("socket")
                if resp.status_code != 200:
                    resp.read()
                    self.body = resp.json()
                self.opened.set()
                for line in resp.iter_lines():
                    self.lines.put(line)
                    if self._stop:
                        return
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.lines.put(None)  # the end

    def next(self, skip_keepalives: bool = True) -> str | None:
        while True:
            line = self.lines.get(timeout=WAIT)
            if line is None or line or not skip_keepalives:
                return line

    def json(self) -> dict:
        line = self.next()
        assert line is not None, "the stream ended"
        return json.loads(line)

    def close(self) -> None:
        """Hang up: the server sees the connection closed."""
        self._stop = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
        self._client.close()
        self._thread.join(WAIT)


@contextmanager
def reading(world, bearer, path=STREAM, params=None) -> Iterator[Reader]:
    reader = Reader(world, bearer, path, params)
    try:
        yield reader
    finally:
        reader.close()


def open_count(sim, app_id: str) -> int:
    return sum(1 for c in sim.store.stream_connections(app_id) if c["disconnected_at"] is None)


def wait_closed(sim, app_id: str) -> None:
    """The slot frees as soon as the server sees the client gone (bounded wait, not a timing assertion)."""
    import time

    deadline = time.monotonic() + WAIT
    while open_count(sim, app_id) and time.monotonic() < deadline:
        time.sleep(0.02)


def wait_open(sim, app_id: str, endpoint: str | None = None) -> None:
    """Until a connection of the app (on `endpoint`, if named) is open (a bound on a hang, never a timing check)."""
    import time

    def opened() -> bool:
        return any(c["disconnected_at"] is None and endpoint in (None, c["endpoint"])
                   for c in sim.store.stream_connections(app_id))

    deadline = time.monotonic() + WAIT
    while not opened() and time.monotonic() < deadline:
        time.sleep(0.02)
