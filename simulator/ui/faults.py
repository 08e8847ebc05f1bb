"""Fault rules and stubs: add, remove, and see them strike (how often each applied, and the journal's latest
entries they answered). Acts through the Simulator methods the control API's /faults and /stubs call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator import faults
from xmock.simulator.control.errors import ControlError
from xmock.simulator.errors import DISCONNECT_TYPES
from xmock.simulator.ui.forms import json_field, numbers, text_fields
from xmock.simulator.ui.render import done, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Faults & stubs", "/faults")
STRUCK_SHOWN = 20
FAULT_FORM = ("method", "path", "app_id", "user_id", "action", "status", "latency_ms", "count", "probability",
              "disconnect_type")
STUB_FORM = ("method", "path", "app_id", "user_id", "status", "body", "headers", "count", "probability")


def routes(sim: Simulator) -> list[Route]:
    def show(request: Request, status: int = 200, error: str | None = None, form: str = "", given: dict | None = None):
        struck = [e for e in sim.journal() if e.get("fault_id") or e.get("stub")][-STRUCK_SHOWN:][::-1]
        return page(
            request, "faults.html", status, title="Faults & stubs", error=error,
            faults=sim.store.list_faults(), stubs=sim.list_stubs(), struck=struck, apps=sim.store.list_apps(None),
            actions=faults.ACTIONS, methods=faults.METHODS, disconnect_types=DISCONNECT_TYPES,
            form=form, given=given or {},
        )

    async def index(request: Request) -> Response:
        return show(request)

    async def add_fault(request: Request) -> Response:
        form = await request.form()
        given = text_fields(form, FAULT_FORM)
        try:
            rule = numbers(dict(given), ints=("status", "latency_ms", "count"), floats=("probability",))
            rule["required"] = False  # added by a person, not a test that must see it strike
            added = sim.add_fault(**rule)
        except ControlError as exc:
            return show(request, 400, f"Fault rule not added: {exc.message}", "fault", given)
        return done("/faults", f"Fault rule {added['id']} added.")

    async def add_stub(request: Request) -> Response:
        form = await request.form()
        given = text_fields(form, STUB_FORM)
        try:
            stub = json_field(json_field(numbers(dict(given), ints=("status", "count"), floats=("probability",)),
                                         "body"), "headers")
            stub["required"] = False
            added = sim.add_stub(**stub)
        except ControlError as exc:
            return show(request, 400, f"Stub not added: {exc.message}", "stub", given)
        return done("/faults", f"Stub {added['id']} added.")

    async def remove_fault(request: Request) -> Response:
        fault_id = request.path_params["fault_id"]
        if not sim.remove_fault(fault_id):
            return done("/faults", error=f"No fault rule {fault_id}.")
        return done("/faults", f"Fault rule {fault_id} removed.")

    async def remove_stub(request: Request) -> Response:
        stub_id = request.path_params["stub_id"]
        if not sim.remove_stub(stub_id):
            return done("/faults", error=f"No stub {stub_id}.")
        return done("/faults", f"Stub {stub_id} removed.")

    return [
        Route("/faults", index, methods=["GET"]),
        Route("/faults", add_fault, methods=["POST"]),
        Route("/faults/{fault_id}/remove", remove_fault, methods=["POST"]),
        Route("/stubs", add_stub, methods=["POST"]),
        Route("/stubs/{stub_id}/remove", remove_stub, methods=["POST"]),
    ]

