"""Several server processes on one listening socket (pre-fork).

The parent builds and seeds the simulator, opens the socket, then forks the workers: each
inherits the seeded simulator and serves from the shared socket with its own event loop (uvloop
where installed; accepted sockets then get TCP_NODELAY). On a Redis store all workers serve one
world; in memory each keeps its own copy of the world as it was at the fork.

A worker that exits while the server is not stopping is replaced, as gunicorn does; one that
keeps dying right after it starts is given up on after a few tries, and the server stops.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import time
from collections.abc import Callable

import uvicorn

from xmock.simulator.app import create_app
from xmock.simulator.core import Simulator
from xmock.simulator.server import uvicorn_config

RESTARTS_AT_START = 5  # a worker dying this many times in a row right after starting is given up on
STARTED_AFTER = 5.0  # seconds a worker must live to count as started
BACKOFF = (0.1, 2.0)  # first and longest wait before replacing a worker that died at start


def run_server(
    sim: Simulator,
    sock: socket.socket,
    workers: int = 1,
    *,
    access_log: bool = False,
    control_token: str | None = None,
) -> int:
    """Serve on a socket already bound (see `listen`) until interrupted: in this process, or in
    `workers` forked processes."""
    tune_gc()
    if workers > 1:
        return serve_workers(sim, sock, workers, access_log=access_log, control_token=control_token)
    gc.freeze()
    # uvicorn raises the Ctrl+C it caught once it has shut down: a stop, not a crash to show a traceback for.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(_config(sim, sock, access_log, control_token)).run(sockets=[sock])
    return 0


def tune_gc() -> None:
    """A long-running simulator keeps every post and journal entry alive; rarer collections
    keep full-heap GC pauses out of the latency tail."""
    gc.set_threshold(50_000, 20, 100)


def _config(sim: Simulator, sock: socket.socket, access_log: bool, control_token: str | None) -> uvicorn.Config:
    host, port = sock.getsockname()[:2]
    return uvicorn_config(
        create_app(sim, control_token),
        host,
        port,
        access_log=access_log,
        log_level="info" if access_log else "warning",
    )


def listen(host: str, port: int) -> socket.socket:
    """The server's listening socket (port 0: any free one); OSError when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _worker(sim: Simulator, index: int, sock: socket.socket, access_log: bool, control_token: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sim.become_worker(index)
    uvicorn.Server(_config(sim, sock, access_log, control_token)).run(sockets=[sock])


def serve_workers(
    sim: Simulator,
    sock: socket.socket,
    workers: int,
    *,
    access_log: bool = False,
    control_token: str | None = None,
) -> int:
    """Run `workers` processes until interrupted, replacing any that dies; the exit status is 0
    unless a worker could not be kept running."""
    gc.freeze()  # what the parent built stays shared, page for page, with the workers

    def spawn(index: int) -> int:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _worker(sim, index, sock, access_log, control_token)
            except BaseException as exc:  # the parent reports it; never run the parent's code here
                print(f"xmock worker {index}: {exc}", file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        return pid

    try:
        return Supervisor(spawn, workers).run()
    finally:
        sock.close()


class Supervisor:
    """Keeps `workers` processes running until SIGINT or SIGTERM."""

    def __init__(self, spawn: Callable[[int], int], workers: int) -> None:
        self._spawn = spawn
        self.children: dict[int, int] = {}  # pid -> worker index
        self._started: dict[int, float] = {}  # worker index -> when its current process started
        self._failures: dict[int, int] = {}  # worker index -> deaths in a row right after starting
        self.stopping = False
        for index in range(1, workers + 1):
            self._start(index)

    def _start(self, index: int) -> None:
        self._started[index] = time.monotonic()
        self.children[self._spawn(index)] = index

    def stop(self, *_: object) -> None:
        self.stopping = True
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        status = 0
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while self.children:
                try:
                    pid, code = os.wait()
                except ChildProcessError:
                    break
                index = self.children.pop(pid, None)
                if index is None or self.stopping:
                    continue
                if not self._replace(index, os.waitstatus_to_exitcode(code)):
                    status = 1
                    self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def _replace(self, index: int, code: int) -> bool:
        """Start another process for a worker that exited; False when it keeps dying at start."""
        lived = time.monotonic() - self._started[index]
        failures = self._failures[index] = self._failures.get(index, 0) + 1 if lived < STARTED_AFTER else 0
        if failures >= RESTARTS_AT_START:
            print(
                f"xmock: worker {index} exited ({code}) {failures} times in a row right after starting; "
                "giving up and stopping",
                file=sys.stderr,
            )
            return False
        print(f"xmock: worker {index} exited ({code}); starting a new one", file=sys.stderr)
        if failures:
            time.sleep(min(BACKOFF[0] * 2 ** (failures - 1), BACKOFF[1]))
            if self.stopping:
                return True
        self._start(index)
        return True
