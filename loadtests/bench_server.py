"""The simulator as the benchmark runs it: `xmock serve`'s server, seeded with known credentials.

    python -m xmock.loadtests.bench_server --port P [--workers N] [--store redis://HOST:PORT/DB]

The world is built before the workers start (as `xmock serve` seeds its demo), so in-memory
workers all hold it too. Limits and billing stay on, set so that they never refuse.
"""

from __future__ import annotations

import argparse
import sys

from xmock.simulator.config import Settings
from xmock.simulator.core import Simulator
from xmock.simulator.workers import listen, run_server

USER_ID = "2244994945"
CREDENTIALS = {
    "ck": "benchConsumerKey000000000",
    "cs": "benchConsumerSecret0000000000000000000000000000000",
    "token": f"{USER_ID}-benchAccessToken000000000000000000000000",
    "ts": "benchTokenSecret000000000000000000000000000000",
}


def seed(sim: Simulator) -> None:
    account = sim.create_account("Bench")
    app = sim.create_app(
        account.id,
        "Bench app",
        consumer_key=CREDENTIALS["ck"],
        consumer_secret=CREDENTIALS["cs"],
    )
    user = sim.create_user(id=USER_ID, username="bench")
    sim.mint_oauth1_token(app.id, user.id, token=CREDENTIALS["token"], secret=CREDENTIALS["ts"])
    huge = [{"who": "user", "limit": 10**9, "window": 900}, {"who": "app", "limit": 10**9, "window": 86400}]
    sim.set_app_limits(app.id, limits={"users:me": huge[:1], "posts:create": huge})
    sim.set_credits(app.id, "1000000")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--store", default="memory")
    parser.add_argument("--namespace", default="bench")
    args = parser.parse_args()
    sim = Simulator(Settings(store=args.store, namespace=args.namespace))
    sim.reset()
    seed(sim)
    return run_server(sim, listen("127.0.0.1", args.port), args.workers)


if __name__ == "__main__":
    sys.exit(main())
