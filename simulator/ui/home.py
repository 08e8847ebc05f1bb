"""The UI's front page: what the simulator saw, at a glance (the control API's /stats and /health)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.control import api
from xmock.simulator.ui.render import page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Overview", "/")


def routes(sim: Simulator) -> list[Route]:
    async def index(request: Request) -> Response:
        return page(
            request,
            "index.html",
            title="Overview",
            stats=api.stats(sim, request, {}),
            health=api.health(sim, request, {}),
        )

    return [Route("/", index, methods=["GET"])]
