"""Several server processes on one listening socket (pre-fork).

The parent builds and seeds the simulator, opens the socket, then forks the workers: each
inherits the seeded simulator and serves from the shared socket with its own event loop (uvloop
where installed; accepted sockets then get TCP_NODELAY). On a Redis store all workers serve one
world; in memory each keeps its own copy of the world as it was at the fork.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys

import uvicorn

from xmock.simulator.app import create_app
from xmock.simulator.core import Simulator
from xmock.simulator.server import uvicorn_config


def run_server(sim: Simulator, host: str, port: int, workers: int = 1, *, access_log: bool = False) -> int:
    """Serve until interrupted: in this process, or in `workers` forked processes."""
    tune_gc()
    if workers > 1:
        return serve_workers(sim, host, port, workers, access_log=access_log)
    gc.freeze()
    uvicorn.Server(_config(sim, host, port, access_log)).run()
    return 0


def tune_gc() -> None:
    """A long-running simulator keeps every post and journal entry alive; rarer collections
    keep full-heap GC pauses out of the latency tail."""
    gc.set_threshold(50_000, 20, 100)


def _config(sim: Simulator, host: str, port: int, access_log: bool) -> uvicorn.Config:
    return uvicorn_config(
        create_app(sim), host, port, access_log=access_log, log_level="info" if access_log else "warning"
    )


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(sim: Simulator, index: int, sock: socket.socket, host: str, port: int, access_log: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sim.become_worker(index)
    uvicorn.Server(_config(sim, host, port, access_log)).run(sockets=[sock])


def serve_workers(sim: Simulator, host: str, port: int, workers: int, *, access_log: bool = False) -> int:
    """Run `workers` processes until interrupted; the exit status is 0 unless a worker failed."""
    sock = listen(host, port)
    gc.freeze()  # what the parent built stays shared, page for page, with the workers
    children: dict[int, int] = {}
    for index in range(1, workers + 1):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _worker(sim, index, sock, host, port, access_log)
            except BaseException as exc:  # the parent reports it; never run the parent's code here
                print(f"xmock worker {index}: {exc}", file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        children[pid] = index
    sock.close()
    return _supervise(children)


def _supervise(children: dict[int, int]) -> int:
    status = 0

    def stop(*_: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while children:
            try:
                pid, code = os.wait()
            except KeyboardInterrupt:
                stop()
                continue
            except ChildProcessError:
                break
            index = children.pop(pid, None)
            if index is not None and os.waitstatus_to_exitcode(code) not in (0, -signal.SIGTERM, -signal.SIGINT):
                print(f"xmock: worker {index} exited ({os.waitstatus_to_exitcode(code)}); stopping", file=sys.stderr)
                status = 1
                stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return status
