"""The simulator's clock: freeze, resume, advance by presets, set, reset. Each action goes through the control
API's own handler for POST /_xmock/clock, with its checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.control import api
from xmock.simulator.control.errors import ControlError
from xmock.simulator.ui.forms import numbers
from xmock.simulator.ui.render import done, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Clock", "/clock")
PRESETS = (("1 minute", 60), ("15 minutes", 900), ("1 hour", 3600), ("1 day", 86_400), ("30 days", 2_592_000))


def routes(sim: Simulator) -> list[Route]:
    async def index(request: Request) -> Response:
        return page(request, "clock.html", title="Clock", clock=api.get_clock(sim, request, {}), presets=PRESETS)

    async def act(request: Request) -> Response:
        form = await request.form()
        action = str(form.get("action") or "")
        body: dict[str, Any]
        try:
            if action == "advance":
                body = numbers({"advance": str(form.get("seconds") or "").strip()}, floats=("advance",))
            elif action == "set":
                body = {"set": str(form.get("at") or "").strip()}
            elif action == "freeze":
                at = str(form.get("at") or "").strip()
                body = {"freeze": True, **({"at": at} if at else {})}
            elif action in ("resume", "reset"):
                body = {action: True}
            else:
                raise ControlError(400, "say one of freeze, set, advance, resume or reset")
            state = api.set_clock(sim, request, body)
        except ControlError as exc:
            return done("/clock", error=f"Clock unchanged: {exc.message}")
        return done("/clock", f"Clock {_said(action)}: now {state['iso']}.")

    return [Route("/clock", index, methods=["GET"]), Route("/clock", act, methods=["POST"])]


def _said(action: str) -> str:
    return {"advance": "advanced", "set": "set", "freeze": "frozen", "resume": "running", "reset": "back to real time"}[
        action
    ]
