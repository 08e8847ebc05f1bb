"""Stream fan-out: N concurrent filtered-stream connections, posts created at a steady rate, every post matching.

    .venv/bin/python -m xmock.loadtests.bench_streams [--connections 10 100 1000] [--rate 50] [--seconds 5]

The simulator runs in a child process (uvicorn, as `xmock serve` runs it); this process opens N connections
with raw asyncio sockets, creates posts through the control API (`POST /_xmock/posts`, text carrying the
creation instant) and reads every line. Printed per N: posts per second created, events delivered per second
(lines across all connections), and the delay from creation to delivery (p50, p99). Figures are printed,
never asserted: shared machines are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import requests

from xmock.simulator.server import free_port

RULE = "benchpost"


def serve(port: int, connections: int) -> None:
    """The child: a simulator with one app, one user and one rule matching every bench post."""
    from xmock.simulator.config import Settings
    from xmock.simulator.core import Simulator
    from xmock.simulator.server import ServerThread

    sim = Simulator(Settings(stream_connections=connections, billing=False, rate_limits=False))
    account = sim.create_account("Bench")
    app = sim.create_app(account.id, "Bench", use_case="bench", callback_urls=["https://bench.example/cb"])
    user = sim.create_user(username="bench", name="Bench", account_id=account.id)
    with ServerThread(sim, port=port) as srv:
        bearer = requests.post(
            srv.base_url + "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(app.consumer_key, app.consumer_secret),
        ).json()["access_token"]
        requests.post(
            srv.base_url + "/2/tweets/search/stream/rules",
            json={"add": [{"value": RULE}]},
            headers={"Authorization": f"Bearer {bearer}"},
        ).raise_for_status()
        print(json.dumps({"bearer": bearer, "user_id": user.id}), flush=True)
        sys.stdin.read()  # until the parent closes our stdin


@dataclass
class Figures:
    connections: int
    created: int = 0
    delivered: int = 0
    opened: int = 0
    delays: list[float] = field(default_factory=list)
    seconds: float = 0.0  # posting
    total: float = 0.0  # posting and the last deliveries

    def row(self) -> dict[str, float | int]:
        delays = sorted(self.delays) or [0.0]
        return {
            "connections": self.connections,
            "opened": self.opened,
            "posts_created": self.created,
            "posts_per_s": round(self.created / self.seconds, 1),
            "events_delivered": self.delivered,
            "events_per_s": round(self.delivered / self.total, 1),
            "delay_p50_ms": round(statistics.median(delays) * 1000, 2),
            "delay_p99_ms": round(delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000, 2),
        }


async def _reader(port: int, bearer: str, figures: Figures, ready: asyncio.Event, need: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /2/tweets/search/stream HTTP/1.1\r\nHost: api.x.com\r\nAuthorization: Bearer {bearer}\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        writer.close()
        return
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    figures.opened += 1
    if figures.opened >= need:
        ready.set()
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b'{"data"'):
                text = json.loads(line)["data"]["text"]
                figures.delays.append(time.perf_counter() - float(text.split()[1]))
                figures.delivered += 1
    except (asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


async def _run(port: int, bearer: str, user_id: str, connections: int, rate: float, seconds: float) -> Figures:
    figures = Figures(connections)
    ready = asyncio.Event()
    readers = [asyncio.create_task(_reader(port, bearer, figures, ready, connections)) for _ in range(connections)]
    with contextlib.suppress(TimeoutError):  # then measure with the connections that opened
        await asyncio.wait_for(ready.wait(), 60)
    session = requests.Session()
    url = f"http://127.0.0.1:{port}/_xmock/posts"
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    n = 0
    while time.perf_counter() - started < seconds:
        body = {"user_id": user_id, "text": f"{RULE} {time.perf_counter():.6f} {n}"}
        await loop.run_in_executor(None, lambda b=body: session.post(url, json=b).raise_for_status())
        n += 1
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
    figures.created = n
    figures.seconds = time.perf_counter() - started
    deadline = time.perf_counter() + 10
    while figures.delivered < n * figures.opened and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    figures.total = time.perf_counter() - started
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return figures


def bench(connections: int, rate: float, seconds: float) -> dict[str, float | int]:
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "xmock.loadtests.bench_streams", "--serve", str(port), str(connections)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        world = json.loads(child.stdout.readline())
        figures = asyncio.run(_run(port, world["bearer"], world["user_id"], connections, rate, seconds))
        return figures.row()
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--rate", type=float, default=50.0, help="posts created per second")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--serve", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    for n in args.connections:
        print(json.dumps(bench(n, args.rate, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
