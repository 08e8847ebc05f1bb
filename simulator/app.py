"""The ASGI application: the X surface, and the control plane under /_xmock/."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from xmock.simulator import errors
from xmock.simulator.control.api import routes as control_routes
from xmock.simulator.control.guard import ControlGuard
from xmock.simulator.core import Simulator
from xmock.simulator.pipeline import XSurface
from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.ui.routes import mount as ui_mount

CONTROL_PREFIX = "/_xmock"
log = logging.getLogger("xmock.app")


async def _control_http_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    return JSONResponse({"error": detail}, status_code=status)


async def _control_store_down(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": errors.STORE_UNREACHABLE}, status_code=503)


async def _answer_store_down(scope: dict, send: Any) -> None:
    """503 before anything else could run: X's body on its surface, the control API's on /_xmock/."""
    if scope["path"].startswith(CONTROL_PREFIX):
        body: Any = {"error": errors.STORE_UNREACHABLE}
    else:
        body = errors.store_unavailable("v1" if scope["path"].startswith("/1.1/") else "v2").body
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class XMockApp:
    """Routes /_xmock/ to the control API (Starlette) and everything else to the X surface."""

    def __init__(
        self,
        simulator: Simulator | None = None,
        control_token: str | None = None,
        open_reads: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.simulator = simulator or Simulator()
        # With a token, the control plane (never the X surface) asks for it.
        self.guard = ControlGuard(self.simulator, control_token, open_reads) if control_token else None
        self.surface = XSurface(self.simulator, ENDPOINTS)
        self.control = Starlette(
            routes=[*control_routes(self.simulator), ui_mount(self.simulator, control_token)],
            exception_handlers={
                HTTPException: _control_http_error,
                Exception: _control_http_error,
                **dict.fromkeys(self.simulator.store.unavailable, _control_store_down),
            },
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            try:
                # The X surface checks the shared state when it admits a request; the control plane reads it first.
                self.simulator.begin_request(optimistic=not scope["path"].startswith(CONTROL_PREFIX))
            except self.simulator.store.unavailable:
                log.warning("store unreachable on %s %s", scope["method"], scope["path"])
                await _answer_store_down(scope, send)
                return
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            await self.surface(scope, receive, send)
            return
        if self.guard is not None and scope.get("path", "").startswith(CONTROL_PREFIX):
            allowed, presented = self.guard.allows(scope)
            if not allowed:
                await self.guard.refuse(scope, presented, send)
                return
        await self.control(scope, receive, send)


def create_app(
    simulator: Simulator | None = None,
    control_token: str | None = None,
    open_reads: frozenset[tuple[str, str]] = frozenset(),
) -> XMockApp:
    return XMockApp(simulator, control_token, open_reads)
