"""Throughput of the simulator against bare Starlette, measured in one run on one machine.

    .venv/bin/python -m xmock.loadtests.bench_core [--seconds 5] [--connections 32]

Needs `wrk` (Debian: apt-get install wrk), and redis-server for the Redis rows. Runs, one after
another: bare Starlette (one uvicorn worker), then the simulator as `xmock serve` runs it (uvloop,
httptools, no access log) with one worker, two pre-forked workers, and one and two workers on a
Redis store and on a three-master Redis Cluster started for the run (with the own count of round
trips, commands and CPU time of the Redis, or the master, that holds the world). wrk replays
requests signed beforehand, each with its own nonce, so the simulator verifies a fresh OAuth 1.0a
signature every time; limits and billing are on. Figures are printed, never
asserted: shared machines are noisy, the ratio to bare in the same run is what carries over.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis
import requests

from xmock.loadtests import baseline
from xmock.loadtests.bench_server import credentials
from xmock.loadtests.redis_server import RedisCluster, RedisServer
from xmock.simulator.core import Simulator
from xmock.simulator.models import Post
from xmock.simulator.oauth1.signature import base_string, normalized_params, sign
from xmock.simulator.server import free_port
from xmock.simulator.store.redis_store import RedisStore

HERE = Path(__file__).parent
STRICT_USERS = 1_500


def start(module_app: str, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        module_app,
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return _wait(subprocess.Popen(cmd), port)


def _wait(proc: subprocess.Popen, port: int) -> subprocess.Popen:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/_xmock/health", timeout=2)
            return proc
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting up
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def start_simulator(
    port: int,
    workers: int = 1,
    store: str = "memory",
    namespace: str = "bench",
    users: int = 1,
    code: Path | None = None,
) -> subprocess.Popen:
    """`xmock serve`'s server (one process, or pre-forked workers), seeded with known credentials; with
    `code` (a `baseline.checkout`), the earlier version laid out there rather than this one."""
    cmd = [sys.executable, "-m", "xmock.loadtests.bench_server", "--port", str(port), "--workers", str(workers)]
    cmd += ["--store", store, "--namespace", namespace]
    cmd += ["--users", str(users)] if users != 1 else []  # older versions lack the option
    if code is None:
        return _wait(subprocess.Popen(cmd, stdout=subprocess.DEVNULL), port)
    # Outside the repository, so that its own folders cannot shadow the laid-out package.
    env = {**os.environ, "PYTHONPATH": str(code)}
    return _wait(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=code, env=env), port)


def signed_lines(
    base: str, creds: dict | list[dict], method: str, path: str, count: int, body_for=None, tag: str = ""
) -> list[str]:
    """Pre-sign `count` requests with distinct nonces (lean HMAC-SHA1, as a load client should); with a
    list of credentials, request i is made with credentials i mod their number."""
    ts = str(int(time.time()))
    pool = creds if isinstance(creds, list) else [creds]
    lines = []
    for i in range(count):
        creds = pool[i % len(pool)]
        oauth = {
            "oauth_consumer_key": creds["ck"],
            "oauth_nonce": f"bench{tag}{method}{i:012d}",
            "oauth_signature_method": "HMAC-SHA1",
            "oauth_timestamp": ts,
            "oauth_token": creds["token"],
            "oauth_version": "1.0",
        }
        base_str = base_string(method, base + path, normalized_params(list(oauth.items())))
        oauth["oauth_signature"] = sign(base_str, creds["cs"], creds["ts"])
        header = "OAuth " + ", ".join(f'{k}="{requests.utils.quote(v, safe="-._~")}"' for k, v in oauth.items())
        body = json.dumps(body_for(i)) if body_for else ""
        lines.append(f"{method}\t{path}\t{header}\t{body}")
    return lines


def run_wrk(base: str, lines: list[str], seconds: int, connections: int, threads: int = 2, pace_ms: int = 0) -> dict:
    """wrk replaying `lines`; with `pace_ms`, each connection pauses that long before each request."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        fh.write("\n".join(lines) + "\n")
    script = HERE / "replay.lua"
    if pace_ms:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as paced:
            paced.write(script.read_text() + "\nfunction delay()\n  return pause\nend\n")
        script = Path(paced.name)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base, "--", fh.name,
             str(threads), str(pace_ms)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
    finally:
        Path(fh.name).unlink()
        if pace_ms:
            script.unlink()
    result = next(line for line in out.splitlines() if line.startswith("XMOCK_RESULT")).split()
    total, non2xx, p50, p99 = (int(x) for x in result[1:])
    return {
        "rps": total / seconds,
        "non2xx": non2xx,
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "total": total,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, help="wrk connections (default 32, or 50 with --strict)")
    parser.add_argument("--rounds", type=int, default=3, help="times each server is measured, interleaved")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="one wrk thread, 50 connections, 1,500 users each with their own token, in-memory servers; then "
        "the p99 of one worker at half the load that saturates it",
    )
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also measure this git commit (or tag, or branch) of xmock in the same rounds (one and two workers "
        "in memory, one on Redis), and print today's code against it",
    )
    parser.add_argument("--no-redis", action="store_true", help="in-memory servers only: no Redis or Cluster rows")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_core needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    threads, users = (1, STRICT_USERS) if args.strict else (2, 1)
    connections = args.connections or (50 if args.strict else 32)
    per_run = 40_000 * args.seconds  # more than one worker can answer in that time: no nonce repeats
    with_redis = not (args.strict or args.no_redis)
    redis_server = RedisServer() if shutil.which("redis-server") and with_redis else None
    if redis_server is None and with_redis:
        print("redis-server not installed: no Redis rows (apt-get install redis-server)", file=sys.stderr)
    redis_cluster = RedisCluster() if redis_server is not None else None
    servers: list[tuple[str, subprocess.Popen, str]] = []
    counters: dict[str, redis.Redis] = {}  # per Redis row: a client of the Redis (or cluster master) it uses
    pool = [credentials(n) for n in range(users)]
    half_load: dict[str, dict] = {}
    earlier = baseline.checkout(args.baseline) if args.baseline else None
    try:
        port = free_port()
        servers.append(("bare", start("xmock.loadtests.bare_app:app", port), f"http://127.0.0.1:{port}"))
        configs: list[tuple[str, int, str, Path | None]] = [
            ("xmock, 1 worker", 1, "memory", None),
            ("xmock, 2 workers", 2, "memory", None),
        ]
        if earlier is not None:
            configs += [("baseline, 1 worker", 1, "memory", earlier), ("baseline, 2 workers", 2, "memory", earlier)]
        if redis_server is not None and redis_cluster is not None:
            url, nodes = redis_server.url, redis_cluster.url
            configs += [("xmock, 1 worker, Redis", 1, url, None), ("xmock, 2 workers, Redis", 2, url, None)]
            if earlier is not None:
                configs += [("baseline, 1 worker, Redis", 1, url, earlier)]
            configs += [("xmock, 1 worker, Cluster", 1, nodes, None), ("xmock, 2 workers, Cluster", 2, nodes, None)]
        for n, (label, workers, store, code) in enumerate(configs):
            port = free_port()
            # One Redis, a world each.
            proc = start_simulator(port, workers, store, namespace=f"bench{n}", users=users, code=code)
            servers.append((label, proc, f"http://127.0.0.1:{port}"))
            if store != "memory":  # the Redis, or the cluster's master, that holds this world
                counters[label] = RedisStore(store, f"bench{n}").r
        # Every server is up the whole time and measured once per round, so a slow spell of a
        # shared machine falls on all of them rather than on one.
        rounds: list[dict[str, dict]] = []
        for n in range(args.rounds):
            rounds.append({})
            # Every other round the simulators go in reverse order, so none is always measured just after
            # bare, or last: a paired comparison (--baseline) carries no bias from its place in the round.
            order = servers if n % 2 == 0 else servers[:1] + servers[:0:-1]
            for label, _, base in order:
                creds = pool if label != "bare" else {"ck": "c", "cs": "s", "token": "1-t", "ts": "t"}
                count = per_run if label != "bare" else 2000
                for method, path, body in (("GET", "/2/users/me", None), ("POST", "/2/tweets", _post_body(n))):
                    lines = signed_lines(base, creds, method, path, count, body, tag=f"r{n}")
                    counter = counters.get(label)
                    before = redis_stats(counter) if counter is not None else None
                    result = run_wrk(base, lines, args.seconds, connections, threads)
                    if counter is not None and before is not None:
                        result.update(redis_per_request(before, redis_stats(counter), result["total"]))
                    rounds[-1][f"{label} {method}"] = result
        if args.strict:  # latency where a test suite would load it: half of what saturates one worker
            label, _, base = servers[1]
            for method, path, body in (("GET", "/2/users/me", None), ("POST", "/2/tweets", _post_body(args.rounds))):
                rate = statistics.median(r[f"{label} {method}"]["rps"] for r in rounds) / 2
                lines = signed_lines(base, pool, method, path, per_run, body, tag="half")
                pace = max(int(connections / rate * 1000), 1)
                half_load[f"{label} {method}"] = run_wrk(base, lines, args.seconds, connections, threads, pace)
    finally:
        for _, proc, _ in servers:
            proc.terminate()
            proc.wait()
        for counter in counters.values():
            counter.close()
        if redis_server is not None:
            redis_server.stop()
        if redis_cluster is not None:
            redis_cluster.stop()
        if earlier is not None:
            baseline.remove(earlier)
    harness = f"wrk: {threads} thread(s), {connections} connections, {users} user(s) with their own tokens"
    print(harness)
    report(rounds)
    if earlier is not None:
        against_baseline(rounds, args.baseline)
    for name, row in half_load.items():
        print(f"{name} at half its saturating load: {row['rps']:.0f} req/s, p50 {row['p50_ms']:.2f} ms, "
              f"p99 {row['p99_ms']:.2f} ms, non-2xx {row['non2xx']}")  # fmt: skip
    print(f"memory per stored post, in-memory store (with its indexes): {memory_per_post():.0f} bytes")
    if shutil.which("redis-server"):
        print(f"memory per stored post, Redis store (Redis used_memory): {redis_memory_per_post():.0f} bytes")
    return 0


def _post_body(round_: int) -> Callable[[int], dict]:
    return lambda i: {"text": f"bench post {i} of round {round_}"}  # never a duplicate


def redis_stats(client: redis.Redis) -> dict[str, float]:
    """Redis's own counters: socket reads it processed (one per round trip a client makes), commands
    (those run by scripts included) and the CPU seconds its process has used."""
    info = client.info()  # the default sections hold both stats and cpu
    return {
        "reads": info["total_reads_processed"],
        "commands": info["total_commands_processed"],
        "cpu": info["used_cpu_user"] + info["used_cpu_sys"],
    }


def redis_per_request(before: dict[str, float], after: dict[str, float], requests_made: int) -> dict[str, float]:
    # The first INFO is counted in the second reading: taken out.
    n = max(requests_made, 1)
    return {
        "trips": (after["reads"] - before["reads"] - 1) / n,
        "commands": (after["commands"] - before["commands"] - 1) / n,
        "redis_us": (after["cpu"] - before["cpu"]) * 1e6 / n,
    }


def report(rounds: list[dict[str, dict]]) -> None:
    """Medians over the rounds; `x bare` is the median of each round's ratio to bare in that round.
    Redis rows add Redis's own count of round trips (socket reads) and commands per request."""
    print(f"{len(rounds)} rounds; medians (x bare: median, and lowest-highest, of the ratio within each round)")
    print(
        f"{'run':<32}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'x bare':>8}  {'range':<11}"
        f"{'Redis trips':>12}{'Redis cmds':>11}{'Redis CPU us':>13}"
    )
    ceilings = []
    for name in rounds[0]:
        method = name.rsplit(" ", 1)[1]
        rows = [r[name] for r in rounds]
        ratios = sorted(r[name]["rps"] / r[f"bare {method}"]["rps"] for r in rounds)
        redis_cols = ""
        if "trips" in rows[0]:
            trips, commands, cpu = (statistics.median(x[k] for x in rows) for k in ("trips", "commands", "redis_us"))
            redis_cols = f"{trips:>12.2f}{commands:>11.1f}{cpu:>13.1f}"
            ceilings.append(f"{1e6 / cpu:,.0f} {method}/s ({name.rsplit(' ', 1)[0]})" if cpu > 0 else "")
        print(
            f"{name:<32}{statistics.median(x['rps'] for x in rows):>9.0f}"
            f"{statistics.median(x['p50_ms'] for x in rows):>9.2f}{statistics.median(x['p99_ms'] for x in rows):>9.2f}"
            f"{sum(x['non2xx'] for x in rows):>9}{statistics.median(ratios):>8.2f}  {ratios[0]:.2f}-{ratios[-1]:.2f}"
            f"{'':<2}{redis_cols}"
        )
    if ceilings:
        shown = "; ".join(c for c in ceilings if c)
        print(f"one Redis core's ceiling at this work per request (1e6 / Redis CPU us): {shown}")


def against_baseline(rounds: list[dict[str, dict]], ref: str) -> None:
    """Today's code over the baseline's, each round's ratio of requests per second (median and range)."""
    for name in rounds[0]:
        if name.startswith("baseline"):
            now = name.replace("baseline", "xmock", 1)
            ratios = sorted(r[now]["rps"] / r[name]["rps"] for r in rounds)
            shown = ", ".join(f"{x:.2f}" for x in ratios)
            print(f"{now} against {ref}: {statistics.median(ratios):.2f} (rounds, sorted: {shown})")


def memory_per_post(count: int = 20_000) -> float:
    """Bytes the in-memory store holds per post, measured with tracemalloc."""
    import tracemalloc

    sim = Simulator()
    ids = [sim.ids.next_id() for _ in range(count)]
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n, post_id in enumerate(ids):
        sim.store.create_post(_bench_post(n, post_id), None)  # the post, its text and the indexes
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    return grown / count


def _bench_post(n: int, post_id: str) -> Post:
    text = f"post number {n} about the spring menu"
    return Post(id=post_id, text=text, author_id=str(n % 50), created_at=float(n), app_id="1", conversation_id=post_id)


def redis_memory_per_post(count: int = 20_000) -> float:
    """Bytes Redis holds per post (the post, its author index and duplicate-text key)."""
    server = RedisServer()
    try:
        store = RedisStore(server.url, "memory")
        before = store.r.info("memory")["used_memory"]
        for n in range(count):
            store.create_post(_bench_post(n, str(10**17 + n)), None)
        return (store.r.info("memory")["used_memory"] - before) / count
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
