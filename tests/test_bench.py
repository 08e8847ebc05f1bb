"""The benchmarks' own machinery (their figures are printed by `python -m xmock.loadtests.…`, never asserted)."""

from __future__ import annotations

import asyncio
import re

import pytest
import redis

from xmock.loadtests.bench_core import _post_body, redis_per_request, redis_stats, report, signed_lines
from xmock.loadtests.bench_instructions import _scopes, _serve
from xmock.loadtests.bench_server import CREDENTIALS, USER_ID, credentials, seed


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("app", ["bare", "xmock"])
def test_the_pre_signed_requests_succeed_on_the_seeded_world(tmp_path, app, method):
    path = "/2/users/me" if method == "GET" else "/2/tweets"
    body = _post_body(0) if method == "POST" else None
    lines = tmp_path / "lines.tsv"
    lines.write_text("\n".join(signed_lines("http://127.0.0.1:8000", CREDENTIALS, method, path, 20, body)))
    _serve(app, lines, 20)  # raises if any answer is not a success


def test_signed_lines_carry_distinct_nonces_per_round():
    first = signed_lines("http://h", CREDENTIALS, "GET", "/2/users/me", 50, tag="r0")
    second = signed_lines("http://h", CREDENTIALS, "GET", "/2/users/me", 50, tag="r1")
    assert len(set(first) | set(second)) == 100


def test_the_report_gives_medians_and_the_range_of_per_round_ratios(capsys):
    def row(rps: float) -> dict:
        return {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "non2xx": 0}

    rounds = [
        {"bare GET": row(1000), "xmock GET": row(400)},
        {"bare GET": row(500), "xmock GET": row(250)},
        {"bare GET": row(800), "xmock GET": row(240)},
    ]
    report(rounds)
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("xmock GET"))
    assert line.split()[-2:] == ["0.40", "0.30-0.50"]


def test_redis_rows_report_redis_s_own_count_of_round_trips_and_commands(capsys, redis_server):
    store = redis_server.store()
    counter = redis.Redis.from_url(redis_server.url)
    store.r.ping()  # both connected: their handshakes are not counted
    before = redis_stats(counter)
    for n in range(10):
        store.r.set(f"{store.prefix}k{n}", n)  # ten round trips of one command each
    pipe = store.r.pipeline(transaction=False)
    for n in range(10):
        pipe.get(f"{store.prefix}k{n}")
    pipe.execute()  # one round trip of ten commands
    counted = redis_per_request(before, redis_stats(counter), 11)
    counter.close()
    assert (counted["trips"], counted["commands"]) == (1.0, 20 / 11)
    assert counted["redis_us"] >= 0

    def row(rps: float, **extra: float) -> dict:
        return {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "non2xx": 0, **extra}

    report([{"bare GET": row(1000), "xmock, 1 worker, Redis GET": row(200, trips=1.0, commands=13.0, redis_us=25.0)}])
    out = capsys.readouterr().out.splitlines()
    line = next(x for x in out if x.startswith("xmock, 1 worker, Redis GET"))
    assert line.split()[-5:] == ["0.20", "0.20-0.20", "1.00", "13.0", "25.0"]
    assert out[-1].endswith("(1e6 / Redis CPU us): 40,000 GET/s (xmock, 1 worker, Redis)")


def test_signed_lines_take_turns_over_many_users_credentials():
    pool = [credentials(n) for n in range(3)]
    lines = signed_lines("http://h", pool, "GET", "/2/users/me", 6)
    tokens = [re.search(r'oauth_token="([^"]+)"', line).group(1) for line in lines]
    assert tokens == [c["token"] for c in pool] * 2
    assert len({c["token"] for c in (credentials(n) for n in range(1500))}) == 1500


@pytest.mark.parametrize("users", [1, 3])
def test_the_seeded_world_answers_every_user_s_token(tmp_path, users):
    from xmock.simulator.app import create_app
    from xmock.simulator.core import Simulator

    sim = Simulator()
    seed(sim, users)
    lines = tmp_path / "lines.tsv"
    pool = [credentials(n) for n in range(users)]
    lines.write_text("\n".join(signed_lines("http://127.0.0.1:8000", pool, "GET", "/2/users/me", 3 * users)))
    statuses = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run() -> None:
        app = create_app(sim)
        for scope, body in _scopes(lines, 3 * users):

            async def receive(body: bytes = body) -> dict:
                return {"type": "http.request", "body": body, "more_body": False}

            await app(scope, receive, send)

    asyncio.run(run())
    assert statuses == [200] * 3 * users
    assert {e["user_id"] for e in sim.journal()} == {str(int(USER_ID) + n) for n in range(users)}
