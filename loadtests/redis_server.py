"""A throwaway redis-server on a free loopback port (for the benchmark and the tests)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time

import redis

from xmock.simulator.server import free_port


class RedisServer:
    """Started on construction, stopped by `stop()`. Nothing is saved to disk unless `persist`:
    then every write is appended to an fsynced log, and `restart()` brings the same data back."""

    def __init__(self, binary: str | None = None, *, persist: bool = False) -> None:
        binary = binary or shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
        self._binary = binary
        self._persist = persist
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.TemporaryDirectory(prefix="xmock-redis-")
        self._start()

    def _start(self) -> None:
        durability = ["--appendonly", "yes", "--appendfsync", "always"] if self._persist else ["--appendonly", "no"]
        self._proc = subprocess.Popen(
            [self._binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *durability,
             "--dir", self._dir.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return
                except (redis.ConnectionError, redis.BusyLoadingError):
                    if self._proc.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError("redis-server did not start") from None
                    time.sleep(0.02)
        finally:
            client.close()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def pause(self) -> None:
        """Stop the server answering without closing anything (SIGSTOP): clients wait, then time out."""
        self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._proc.send_signal(signal.SIGCONT)

    def restart(self, *, kill: bool = False) -> None:
        """Stop the server (SIGKILL if `kill`, else a clean SIGTERM) and start it again on the same
        port and directory: with `persist` its data survives, otherwise it comes back empty."""
        self._end(kill)
        self._start()

    def _end(self, kill: bool) -> None:
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            if kill:
                self._proc.kill()
            else:
                self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def stop(self) -> None:
        self._end(kill=False)
        self._dir.cleanup()
