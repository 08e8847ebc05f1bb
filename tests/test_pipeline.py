"""The X surface's request pipeline at the ASGI level: how it reads what the server hands it."""

from __future__ import annotations

import asyncio

import orjson

from xmock.loadtests.bench_core import signed_lines
from xmock.loadtests.bench_server import CREDENTIALS, seed
from xmock.simulator import Simulator
from xmock.simulator.app import create_app


def _post(sim: Simulator, messages: list[dict]) -> tuple[int, dict]:
    """POST /2/tweets, signed, with the body handed over as the given ASGI messages."""
    line = signed_lines("http://127.0.0.1:8000", CREDENTIALS, "POST", "/2/tweets", 1)[0]  # a JSON body is not signed
    header = line.split("\t")[2]
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/2/tweets",
        "raw_path": b"/2/tweets",
        "query_string": b"",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"authorization", header.encode()),
            (b"content-type", b"application/json"),
        ],
    }
    pending = list(messages)
    sent: list[dict] = []

    async def receive() -> dict:
        return pending.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(create_app(sim)(scope, receive, send))
    return sent[0]["status"], orjson.loads(sent[1]["body"])


def _world() -> Simulator:
    sim = Simulator()
    seed(sim)
    return sim


def test_a_body_in_several_messages_is_read_whole():
    sim = _world()
    body = b'{"text": "said in three parts"}'
    parts = [body[:5], body[5:20], body[20:]]
    messages = [{"type": "http.request", "body": p, "more_body": i < 2} for i, p in enumerate(parts)]
    status, answer = _post(sim, messages)
    assert (status, answer["data"]["text"]) == (201, "said in three parts")


def test_a_body_over_the_limit_is_413_whether_in_one_message_or_several():
    sim = _world()
    sim.configure(max_body_bytes=16)
    body = b'{"text": "far longer than sixteen bytes"}'
    assert _post(sim, [{"type": "http.request", "body": body}])[0] == 413
    halves = [
        {"type": "http.request", "body": body[:12], "more_body": True},
        {"type": "http.request", "body": body[12:]},
    ]
    assert _post(sim, halves)[0] == 413
    assert sim.store.posts_by_author("2244994945") == []
