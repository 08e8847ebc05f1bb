"""Throughput of the simulator against bare Starlette, measured in one run on one machine.

    .venv/bin/python -m loadtests.bench_core [--seconds 5] [--connections 32]

Needs `wrk` (Debian: apt-get install wrk). Each server runs alone as one uvicorn worker
(uvloop, httptools, no access log); wrk replays requests signed beforehand, each with its own
nonce, so the simulator verifies a fresh OAuth 1.0a signature every time. Figures are printed,
never asserted: shared machines are noisy, the ratio to bare is what carries over.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from simulator.oauth1.signature import base_string, normalized_params, sign
from simulator.server import free_port

HERE = Path(__file__).parent


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
            requests.get(f"http://127.0.0.1:{port}/_xmock/health", timeout=0.5)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def start_simulator(port: int) -> subprocess.Popen:
    """The simulator as users run it: `xmock serve`, empty."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--no-demo", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    return _wait(proc, port)


def signed_lines(base: str, creds: dict, method: str, path: str, count: int, body_for=None) -> list[str]:
    """Pre-sign `count` requests with distinct nonces (lean HMAC-SHA1, as a load client should)."""
    ts = str(int(time.time()))
    lines = []
    for i in range(count):
        oauth = {
            "oauth_consumer_key": creds["ck"],
            "oauth_nonce": f"bench{method}{i:012d}",
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


def run_wrk(base: str, lines: list[str], seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        fh.write("\n".join(lines) + "\n")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(HERE / "replay.lua"),
            base,
            "--",
            fh.name,
            "2",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(fh.name).unlink()
    result = next(line for line in out.splitlines() if line.startswith("XMOCK_RESULT")).split()
    total, non2xx, p50, p99 = (int(x) for x in result[1:])
    return {
        "rps": total / seconds,
        "non2xx": non2xx,
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "total": total,
    }


def setup_simulator(base: str) -> dict:
    account = requests.post(base + "/_xmock/accounts", json={"name": "Bench"}).json()
    app = requests.post(base + "/_xmock/apps", json={"account_id": account["id"], "name": "Bench app"}).json()
    user = requests.post(base + "/_xmock/users", json={"username": "bench"}).json()
    tok = requests.post(base + "/_xmock/tokens/oauth1", json={"app_id": app["id"], "user_id": user["id"]}).json()
    # Limits and billing stay on (their cost is part of every request), set so that they never refuse.
    huge = [{"who": "user", "limit": 10**9, "window": 900}, {"who": "app", "limit": 10**9, "window": 86400}]
    requests.patch(
        base + f"/_xmock/apps/{app['id']}/limits", json={"limits": {"users:me": huge[:1], "posts:create": huge}}
    )
    requests.post(base + f"/_xmock/apps/{app['id']}/credits", json={"set": "1000000"})
    return {
        "ck": app["consumer_key"],
        "cs": app["consumer_secret"],
        "token": tok["token"],
        "ts": tok["token_secret"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_core needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    per_run = 40_000 * args.seconds  # more than one worker can answer in that time: no nonce repeats
    results = {}

    port = free_port()
    proc = start("loadtests.bare_app:app", port)
    try:
        base = f"http://127.0.0.1:{port}"
        dummy = {"ck": "c", "cs": "s", "token": "1-t", "ts": "t"}
        results["bare GET"] = run_wrk(
            base, signed_lines(base, dummy, "GET", "/2/users/me", 2000), args.seconds, args.connections
        )
        results["bare POST"] = run_wrk(
            base,
            signed_lines(base, dummy, "POST", "/2/tweets", 2000, lambda i: {"text": f"bench {i}"}),
            args.seconds,
            args.connections,
        )
    finally:
        proc.terminate()
        proc.wait()

    port = free_port()
    proc = start_simulator(port)
    try:
        base = f"http://127.0.0.1:{port}"
        creds = setup_simulator(base)
        results["xmock GET /2/users/me"] = run_wrk(
            base, signed_lines(base, creds, "GET", "/2/users/me", per_run), args.seconds, args.connections
        )
        results["xmock POST /2/tweets"] = run_wrk(
            base,
            signed_lines(base, creds, "POST", "/2/tweets", per_run, lambda i: {"text": f"bench post {i}"}),
            args.seconds,
            args.connections,
        )
    finally:
        proc.terminate()
        proc.wait()

    print(f"{'run':<26}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'x bare':>8}")
    for name, r in results.items():
        bare = results["bare GET" if "GET" in name else "bare POST"]["rps"]
        print(
            f"{name:<26}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['non2xx']:>9}{r['rps'] / bare:>8.2f}"
        )
    print(f"memory per stored post (in-memory store, with its indexes): {memory_per_post():.0f} bytes")
    return 0


def memory_per_post(count: int = 20_000) -> float:
    """Bytes the in-memory store holds per post, measured with tracemalloc."""
    import tracemalloc

    from simulator.core import Simulator
    from simulator.models import Post

    sim = Simulator()
    texts = [f"post number {n} about the spring menu" for n in range(count)]
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n, text in enumerate(texts):
        post_id = sim.ids.next_id()
        sim.store.create_post(
            Post(
                id=post_id, text=text, author_id=str(n % 50), created_at=float(n), app_id="1", conversation_id=post_id
            ),
            None,
        )
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    return grown / count


if __name__ == "__main__":
    sys.exit(main())
