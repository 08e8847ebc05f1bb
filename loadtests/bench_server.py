"""The simulator as the benchmark runs it: `xmock serve`'s server, seeded with known credentials.

    python -m xmock.loadtests.bench_server --port P [--workers N] [--store redis://HOST:PORT/DB] [--users N]

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


def credentials(n: int) -> dict[str, str]:
    """User n's credentials (user 0's are CREDENTIALS): one app, a user and token each."""
    if n == 0:
        return CREDENTIALS
    return {**CREDENTIALS, "token": f"{int(USER_ID) + n}-benchAccessToken{n:024d}", "ts": f"benchTokenSecret{n:030d}"}


def seed(sim: Simulator, users: int = 1) -> None:
    """The app, and `users` users each with an access token of their own (`credentials(n)`)."""
    account = sim.create_account("Bench")
    app = sim.create_app(
        account.id,
        "Bench app",
        consumer_key=CREDENTIALS["ck"],
        consumer_secret=CREDENTIALS["cs"],
    )
    for n in range(users):
        creds = credentials(n)
        user = sim.create_user(id=str(int(USER_ID) + n), username="bench" if n == 0 else f"bench{n}")
        sim.mint_oauth1_token(app.id, user.id, token=creds["token"], secret=creds["ts"])
    huge = [{"who": "user", "limit": 10**9, "window": 900}, {"who": "app", "limit": 10**9, "window": 86400}]
    sim.set_app_limits(app.id, limits={"users:me": huge[:1], "posts:create": huge})
    sim.set_credits(app.id, "1000000")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--store", default="memory")
    parser.add_argument("--namespace", default="bench")
    parser.add_argument("--users", type=int, default=1, help="users with their own tokens (credentials(n))")
    args = parser.parse_args()
    sim = Simulator(Settings(store=args.store, namespace=args.namespace))
    sim.reset()
    seed(sim, args.users)
    return run_server(sim, listen("127.0.0.1", args.port), args.workers)


if __name__ == "__main__":
    sys.exit(main())
