"""A throwaway redis-server on a free loopback port (for the benchmark and the tests)."""

from __future__ import annotations

import os
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


class RedisCluster:
    """A throwaway Redis Cluster on loopback: `masters` redis-server processes in cluster mode, the
    16,384 slots split evenly between them, no replicas. Started on construction, stopped by `stop()`.
    `url` names one node; a store given it finds the node that holds its world's slot."""

    SLOTS = 16_384

    def __init__(self, masters: int = 3, binary: str | None = None) -> None:
        binary = binary or shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
        self._dir = tempfile.TemporaryDirectory(prefix="xmock-redis-cluster-")
        self.ports = [free_port() for _ in range(masters)]
        # The cluster bus gets a free port of its own: port + 10,000, the default, may be past 65,535.
        self._bus_ports = [free_port() for _ in range(masters)]
        self._procs: list[subprocess.Popen] = []
        try:
            for port, bus_port in zip(self.ports, self._bus_ports, strict=True):
                self._procs.append(self._spawn(binary, port, bus_port))
            self._form()
        except BaseException:
            self.stop()
            raise
        self.url = f"redis://127.0.0.1:{self.ports[0]}/0"
        self.urls = [f"redis://127.0.0.1:{port}/0" for port in self.ports]

    def _spawn(self, binary: str, port: int, bus_port: int) -> subprocess.Popen:
        node_dir = f"{self._dir.name}/{port}"
        os.makedirs(node_dir)
        return subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
             "--cluster-port", str(bus_port),
             "--dir", node_dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def _form(self) -> None:
        """Each node takes an even share of the slots, meets the first, and all agree the cluster is ok."""
        clients = [redis.Redis(host="127.0.0.1", port=port, decode_responses=True) for port in self.ports]
        try:
            deadline = time.monotonic() + 20
            for client in clients:
                while True:
                    try:
                        client.ping()
                        break
                    except (redis.ConnectionError, redis.BusyLoadingError):
                        if time.monotonic() > deadline or any(p.poll() is not None for p in self._procs):
                            raise RuntimeError("a redis-server of the cluster did not start") from None
                        time.sleep(0.02)
            share = self.SLOTS // len(clients)
            for n, client in enumerate(clients):
                last = self.SLOTS - 1 if n == len(clients) - 1 else (n + 1) * share - 1
                client.execute_command("CLUSTER", "ADDSLOTSRANGE", n * share, last)
            for client in clients[1:]:
                client.execute_command("CLUSTER", "MEET", "127.0.0.1", self.ports[0], self._bus_ports[0])
            while not all(self._agreed(client, len(clients)) for client in clients):
                if time.monotonic() > deadline:
                    raise RuntimeError("the Redis Cluster did not reach cluster_state:ok")
                time.sleep(0.05)
        finally:
            for client in clients:
                client.close()

    @staticmethod
    def _agreed(client: redis.Redis, nodes: int) -> bool:
        info = client.execute_command("CLUSTER", "INFO")
        if isinstance(info, bytes):
            info = info.decode()
        fields = dict(line.split(":", 1) for line in str(info).split() if ":" in line)
        return fields.get("cluster_state") == "ok" and int(fields.get("cluster_known_nodes", 0)) == nodes

    def stop(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._dir.cleanup()
