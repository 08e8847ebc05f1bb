"""The ASGI application: the X surface, and the control plane under /_xmock/."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from simulator.control.api import routes as control_routes
from simulator.core import Simulator
from simulator.pipeline import XSurface
from simulator.routes import ENDPOINTS

CONTROL_PREFIX = "/_xmock"


async def _control_http_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    return JSONResponse({"error": detail}, status_code=status)


class XMockApp:
    """Routes /_xmock/ to the control API (Starlette) and everything else to the X surface."""

    def __init__(self, simulator: Simulator | None = None) -> None:
        self.simulator = simulator or Simulator()
        self.surface = XSurface(self.simulator, ENDPOINTS)
        self.control = Starlette(
            routes=control_routes(self.simulator),
            exception_handlers={HTTPException: _control_http_error, Exception: _control_http_error},
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.simulator.begin_request()
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            await self.surface(scope, receive, send)
        else:
            await self.control(scope, receive, send)


def create_app(simulator: Simulator | None = None) -> XMockApp:
    return XMockApp(simulator)
