"""The whole world at once: snapshot download and upload, and reset (with a confirmation). The same
operations as GET/POST /_xmock/snapshot and POST /_xmock/reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xmock.simulator.control import api, snapshot_api
from xmock.simulator.control.errors import ControlError
from xmock.simulator.control.plumbing import json_object
from xmock.simulator.ui.render import done, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Snapshot & reset", "/world")


def routes(sim: Simulator) -> list[Route]:
    async def index(request: Request) -> Response:
        return page(request, "world.html", title="Snapshot & reset")

    async def download(request: Request) -> Response:
        try:
            snapshot = snapshot_api.get_snapshot(sim, request, {})
        except ControlError as exc:
            return done("/world", error=exc.message)
        stamp = sim.clock.state().as_dict()["iso"].replace(":", "").replace(".", "")[:17]
        return JSONResponse(
            snapshot,
            headers={
                "content-disposition": f'attachment; filename="xmock-snapshot-{stamp}.json"',
                "cache-control": "no-store",
            },
        )

    async def upload(request: Request) -> Response:
        form = await request.form()
        file = form.get("snapshot")
        raw = await file.read() if hasattr(file, "read") else b""
        if not raw.strip():
            return done("/world", error="Choose a snapshot file (a JSON file saved from here or GET /_xmock/snapshot).")
        try:
            result = snapshot_api.post_snapshot(sim, request, json_object(raw))
        except ControlError as exc:
            message = exc.message if exc.message.startswith("snapshot") else f"snapshot not restored: {exc.message}"
            return done("/world", error=message[0].upper() + message[1:] + ".")
        return done("/world", f"Snapshot restored; the clock reads {result['clock']['iso']}.")

    async def reset(request: Request) -> Response:
        form = await request.form()
        if form.get("confirm") != "yes":
            return done("/world", error="Nothing was reset: tick the box to confirm.")
        api.reset(sim, request, {})
        return done("/world", "The world was reset: every account, app, user, token, post and journal entry is gone.")

    return [
        Route("/world", index, methods=["GET"]),
        Route("/world/snapshot", download, methods=["GET"]),
        Route("/world/snapshot", upload, methods=["POST"]),
        Route("/world/reset", reset, methods=["POST"]),
    ]

