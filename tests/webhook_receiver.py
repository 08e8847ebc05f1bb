"""A webhook receiver as an integrator writes one, and X's signature computed the way X documents it
(HMAC-SHA256 under the consumer secret, base64, `sha256=`), written independently of xmock's code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xmock.simulator.server import AppThread


def x_signature(secret: str, message: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


class Receiver:
    """A webhook endpoint as an integrator writes one: CRC answered with the consumer secret, every POST's
    signature checked before it is accepted."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.events: list[dict] = []
        self.bad_signatures = 0
        self.fail_next = 0  # answer this many POSTs with 503
        self.crc_secret: str | None = None  # answer CRC with another secret (a flawed receiver)
        self.lock = threading.Lock()
        self.thread = AppThread(Starlette(routes=[Route("/hook", self.crc, methods=["GET"]),
                                                  Route("/hook", self.post, methods=["POST"])]), name="receiver")

    async def crc(self, request: Request) -> JSONResponse:
        token = request.query_params["crc_token"]
        return JSONResponse({"response_token": x_signature(self.crc_secret or self.secret, token.encode())})

    async def post(self, request: Request) -> Response:
        body = await request.body()
        if request.headers.get("x-twitter-webhooks-signature") != x_signature(self.secret, body):
            with self.lock:
                self.bad_signatures += 1
            return Response(status_code=401)
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return Response(status_code=503)
            self.events.append(json.loads(body))
        return Response(status_code=200)

    @property
    def url(self) -> str:
        return self.thread.base_url + "/hook"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.events) >= count:
                    return list(self.events)
            time.sleep(0.02)
        return list(self.events)
