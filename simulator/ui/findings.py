"""Policy findings grouped by rule, each with its evidence (what GET /_xmock/findings returns)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.findings import RULES
from xmock.simulator.ui.render import page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Findings", "/findings")


def routes(sim: Simulator) -> list[Route]:
    async def index(request: Request) -> Response:
        app = request.query_params.get("app") or None
        found = sim.findings.query(app=app)
        by_rule: dict[str, list[dict[str, Any]]] = {}
        for finding in sorted(found, key=lambda f: f["time"], reverse=True):
            by_rule.setdefault(finding["rule"], []).append(finding)
        groups = [
            {
                "rule": rule,
                "title": RULES.get(rule, {}).get("title", rule),
                "clause": RULES.get(rule, {}).get("clause", ""),
                "findings": items,
                "occurrences": sum(f.get("occurrences", 1) for f in items),
            }
            for rule, items in sorted(by_rule.items())
        ]
        return page(request, "findings.html", title="Findings", groups=groups, total=len(found),
                    apps=sim.store.list_apps(None), app=app or "", pretty=_pretty)

    return [Route("/findings", index, methods=["GET"])]


def _pretty(evidence: Any) -> str:
    return json.dumps(evidence, indent=2, sort_keys=True, ensure_ascii=False, default=str)
