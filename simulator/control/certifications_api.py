"""Control API for certification runs: the runner posts each run's reports; people list them and open
the HTML report (served sandboxed: it is posted content)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from xmock.simulator import certifications
from xmock.simulator.control.errors import ControlError
from xmock.simulator.control.plumbing import route

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

# The report's own inline styles and images only; no script runs, nothing is fetched.
REPORT_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def post_run(sim: Simulator, request: Request, body: dict) -> dict:
    return certifications.record(sim, body)


def list_runs(sim: Simulator, request: Request, body: dict) -> dict:
    found = certifications.runs(sim)
    return {"runs": found, "count": len(found)}


def report_response(sim: Simulator, run_id: str) -> Response:
    """The HTML report of a run as a browser should get it, or the control API's 404."""
    try:
        html = certifications.report_html(sim, run_id)
    except ControlError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return HTMLResponse(html, headers={"content-security-policy": REPORT_POLICY, "x-content-type-options": "nosniff"})


def routes(sim: Simulator) -> list[Route]:
    async def report(request: Request) -> Response:
        return report_response(sim, request.path_params["run_id"])

    return [
        route(sim, "/certifications", post_run, "POST", 201),
        route(sim, "/certifications", list_runs, "GET"),
        Route("/_xmock/certifications/{run_id}/report", report, methods=["GET"]),
    ]
