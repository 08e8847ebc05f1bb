"""Certification runs the simulator took part in (the runner posts them: scenarios/runner.py), with their
HTML reports, opened in a sandboxed frame: a report is posted content and runs no script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.control import certifications_api
from xmock.simulator.ui.render import page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Certification", "/certifications")


def routes(sim: Simulator) -> list[Route]:
    async def runs(request: Request) -> Response:
        listed = certifications_api.list_runs(sim, request, {})["runs"]
        return page(request, "certifications.html", title="Certification runs", runs=listed)

    async def run(request: Request) -> Response:
        run_id = request.path_params["run_id"]
        found = [r for r in certifications_api.list_runs(sim, request, {})["runs"] if r["run_id"] == run_id]
        if not found:
            return page(request, "certifications.html", 404, title="Certification runs", runs=[],
                        error=f"no certification run {run_id}")
        return page(request, "certification.html", title=f"Certification of {found[0]['adapter']}", run=found[0])

    async def report(request: Request) -> Response:
        return certifications_api.report_response(sim, request.path_params["run_id"])

    return [
        Route("/certifications", runs, methods=["GET"]),
        Route("/certifications/{run_id}", run, methods=["GET"]),
        Route("/certifications/{run_id}/report", report, methods=["GET"]),
    ]
