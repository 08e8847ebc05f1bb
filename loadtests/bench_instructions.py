"""Instructions per request, counted by valgrind: a benchmark that a busy machine cannot disturb.

    .venv/bin/python -m xmock.loadtests.bench_instructions [--method GET|POST]

Needs valgrind (Debian: apt-get install valgrind). Runs the simulator's ASGI app in-process (no
sockets, no uvicorn) on pre-signed requests under callgrind, twice: with 100 and with 1,100
requests; the difference over 1,000 is what one request costs, start-up cancelled out. The same
for bare Starlette answering the same requests, so the ratio compares the applications alone.
Counts repeat to within a fraction of a percent run after run, whatever else the machine does,
so they show what a change to the request path gained or lost where wall-clock figures cannot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SMALL, LARGE = 100, 1_100


def _scopes(path: Path, count: int) -> list[tuple[dict, bytes]]:
    out = []
    for line in path.read_text().splitlines()[:count]:
        method, target, auth, body = line.split("\t")
        headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", auth.encode())]
        if body:
            headers.append((b"content-type", b"application/json"))
        scope = {
            "type": "http",
            "method": method,
            "path": target,
            "raw_path": target.encode(),
            "query_string": b"",
            "scheme": "http",
            "server": ("127.0.0.1", 8000),
            "headers": headers,
            "http_version": "1.1",
        }
        out.append((scope, body.encode()))
    return out


def _serve(app_name: str, lines: Path, count: int) -> None:
    """The measured process: build the app, answer `count` requests, check they succeeded."""
    if app_name == "bare":
        from xmock.loadtests.bare_app import app
    else:
        from xmock.loadtests.bench_server import seed
        from xmock.simulator.app import create_app
        from xmock.simulator.core import Simulator
        from xmock.simulator.workers import tune_gc

        sim = Simulator()
        seed(sim)
        app = create_app(sim)
        tune_gc()  # as `xmock serve` runs it
    statuses: list[int] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run() -> None:
        for scope, body in _scopes(lines, count):

            async def receive(body: bytes = body) -> dict:
                return {"type": "http.request", "body": body, "more_body": False}

            await app(scope, receive, send)

    asyncio.run(run())
    bad = [s for s in statuses if s >= 300]
    if bad:
        raise SystemExit(f"{len(bad)} requests failed, e.g. status {bad[0]}")


def _count(app_name: str, lines: Path, count: int) -> int:
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "xmock.loadtests.bench_instructions",
        "--inner",
        app_name,
        str(lines),
        str(count),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict layouts every run
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", choices=["GET", "POST"], default="GET")
    parser.add_argument("--inner", nargs=3, metavar=("APP", "LINES", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _serve(args.inner[0], Path(args.inner[1]), int(args.inner[2]))
        return 0
    if shutil.which("valgrind") is None:
        print("bench_instructions needs valgrind: apt-get install valgrind", file=sys.stderr)
        return 2
    from xmock.loadtests.bench_core import _post_body, signed_lines
    from xmock.loadtests.bench_server import CREDENTIALS

    path = "/2/users/me" if args.method == "GET" else "/2/tweets"
    body = _post_body(0) if args.method == "POST" else None
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "lines.tsv"
        lines.write_text("\n".join(signed_lines("http://127.0.0.1:8000", CREDENTIALS, args.method, path, LARGE, body)))
        runs = [(app, n) for app in ("bare", "xmock") for n in (SMALL, LARGE)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts = dict(zip(runs, pool.map(lambda run: _count(run[0], lines, run[1]), runs), strict=True))
    per = {app: (counts[(app, LARGE)] - counts[(app, SMALL)]) / (LARGE - SMALL) for app in ("bare", "xmock")}
    print(f"instructions per {args.method} {path}, application only (no sockets, no uvicorn):")
    print(f"  bare Starlette   {per['bare']:>10,.0f}")
    print(f"  xmock            {per['xmock']:>10,.0f}   ({per['xmock'] / per['bare']:.1f}x bare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
