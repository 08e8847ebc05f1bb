"""`xmock serve` as a child process on a free loopback port, stopped by the test that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from xmock.simulator.server import free_port


class ServeProcess:
    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "xmock.simulator.cli", "serve", "--port", str(self.port), "--no-demo", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,  # its workers are stopped with it
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.base_url + "/_xmock/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self._proc.poll() is not None or time.monotonic() > deadline:
                err = self.stop()
                raise RuntimeError(f"xmock serve did not start: {err}")
            time.sleep(0.05)

    def worker_pids(self) -> set[int]:
        """The server's live child processes (its workers), from /proc."""
        pids = set()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self._proc.pid and fields[0] != "Z":  # ppid, state
                pids.add(int(entry))
        return pids

    def stop(self) -> str:
        """Stop the server and its workers; what it wrote to stderr."""
        if self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGINT)
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        return self._proc.stderr.read().decode() if self._proc.stderr else ""

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
