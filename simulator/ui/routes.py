"""The UI's routes, mounted at /_xmock/ui beside the control API (control/api.py)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute, Mount, Router
from starlette.staticfiles import StaticFiles

from xmock.simulator.ui import (
    apps,
    certifications,
    clock,
    faults,
    findings,
    home,
    journal,
    render,
    session,
    tokens,
    world,
)
from xmock.simulator.ui.render import PREFIX

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

# Each page module has `NAV = (label, path)` (or None) and `routes(sim) -> list[Route]`; the navigation
# follows this order.
PAGES: tuple[ModuleType, ...] = (home, journal, apps, tokens, findings, faults, clock, certifications, world)


def mount(sim: Simulator, token: str | None) -> Mount:
    render.NAV[:] = [m.NAV for m in PAGES if getattr(m, "NAV", None)]
    inner: list[BaseRoute] = [*session.routes(token)]
    for module in PAGES:
        inner.extend(module.routes(sim))
    inner.append(Mount("/static", StaticFiles(packages=[("xmock.simulator.ui", "static")]), name="static"))
    return Mount(PREFIX, app=session.SameOrigin(Router(routes=inner), token is not None))

