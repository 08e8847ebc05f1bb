"""Developer accounts and apps: balance with a chart of spending over the simulator clock, the ledger, the
rate-limit windows with calls left and a countdown to reset, suspend and unsuspend, new consumer keys.

Every read and action goes through the control API's handlers, so it behaves as the control API does on
either store and with many workers. Secrets never reach a page: keys show their fingerprints."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.control import accounting_api, api
from xmock.simulator.control.errors import ControlError
from xmock.simulator.redact import fingerprint
from xmock.simulator.ui.charts import spending_svg
from xmock.simulator.ui.render import done, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Apps", "/apps")
LEDGER_PAGE = 50


def duration(seconds: float) -> str:
    """`1 h 04 min 05 s`, as the countdown script writes it too (static/countdown.js)."""
    left = max(math.ceil(seconds), 0)
    h, m, sec = left // 3600, left // 60 % 60, left % 60
    return f"{h} h {m:02d} min {sec:02d} s" if h else f"{m} min {sec:02d} s" if m else f"{sec} s"


def _ledger_page(entries: list[dict[str, Any]], raw: str | None) -> tuple[list[dict[str, Any]], int, int]:
    """Newest first, one page of them: (rows, page number, pages)."""
    pages = max((len(entries) + LEDGER_PAGE - 1) // LEDGER_PAGE, 1)
    number = int(raw) if raw and raw.isdigit() else 1
    number = min(max(number, 1), pages)
    newest = entries[::-1]
    return newest[(number - 1) * LEDGER_PAGE : number * LEDGER_PAGE], number, pages


def routes(sim: Simulator) -> list[Route]:
    async def overview(request: Request) -> Response:
        accounts = api.list_accounts(sim, request, {})["accounts"]
        apps = api.list_apps(sim, request, {})["apps"]
        for app in apps:
            app["balance"] = accounting_api.get_credits(sim, _for(request, app["id"]), {})["balance"]
        by_account = {a["id"]: [p for p in apps if p["account_id"] == a["id"]] for a in accounts}
        return page(request, "apps.html", title="Developer accounts and apps", accounts=accounts, by_account=by_account)

    async def detail(request: Request) -> Response:
        try:
            app = api.get_app(sim, request, {})
        except ControlError as exc:
            return page(request, "apps.html", exc.status, title="App not found", error=exc.message, accounts=[])
        balance = accounting_api.get_credits(sim, request, {})["balance"]
        entries = accounting_api.ledger(sim, _query(request, app=app["id"]), {})["entries"]
        rows, number, pages = _ledger_page(entries, request.query_params.get("page"))
        limits = accounting_api.get_windows(sim, request, {})
        clock = api.get_clock(sim, request, {})
        return page(
            request,
            "app.html",
            title=f"App {app['name']}",
            app=app,
            balance=balance,
            chart=spending_svg(entries, clock["now"], f"Balance and spending of {app['name']}"),
            ledger=rows,
            ledger_count=len(entries),
            page_number=number,
            pages=pages,
            windows=[{**w, "resets_in_text": duration(w["resets_in"])} for w in limits["windows"]],
            clock=clock,
        )

    async def credits(request: Request) -> Response:
        app_id = request.path_params["app_id"]
        form = await request.form()
        try:
            answer = accounting_api.post_credits(sim, request, {"amount": str(form.get("amount") or "").strip()})
        except ControlError as exc:
            return done(f"/apps/{app_id}", error=exc.message)
        return done(f"/apps/{app_id}", said=f"Credits bought: the balance is {answer['balance']} USD.")

    async def suspend(request: Request) -> Response:
        app_id = request.path_params["app_id"]
        form = await request.form()
        handler = api.unsuspend_app if form.get("suspended") == "false" else api.suspend_app
        try:
            app = handler(sim, request, {})
        except ControlError as exc:
            return done(f"/apps/{app_id}", error=exc.message)
        said = "suspended: its keys and tokens are refused" if app["suspended"] else "unsuspended"
        return done(f"/apps/{app_id}", said=f"App {app['name']} {said}.")

    async def keys(request: Request) -> Response:
        app_id = request.path_params["app_id"]
        try:
            app = api.regenerate_keys(sim, request, {})
        except ControlError as exc:
            return done(f"/apps/{app_id}", error=exc.message)
        # The new secret is for the control API's caller; a page shows its fingerprint only.
        said = (
            f"New consumer key {app['consumer_key']} (secret {fingerprint(app['consumer_secret'])}); "
            "the old pair is refused from now on. Pages never show secrets: where you need the new secret, "
            "rotate through the control API (POST /_xmock/apps/<id>/keys answers with it)."
        )
        return done(f"/apps/{app_id}", said=said)

    return [
        Route("/apps", overview, methods=["GET"]),
        Route("/apps/{app_id}", detail, methods=["GET"]),
        Route("/apps/{app_id}/credits", credits, methods=["POST"]),
        Route("/apps/{app_id}/suspension", suspend, methods=["POST"]),
        Route("/apps/{app_id}/keys", keys, methods=["POST"]),
    ]


def _for(request: Request, app_id: str) -> Request:
    """The request as a control handler for one app reads it (its path parameter)."""
    scope = {**request.scope, "path_params": {**request.path_params, "app_id": app_id}}
    return Request(scope)


def _query(request: Request, **params: str) -> Request:
    """The request with a query string of our own: a handler's filters, not the page's."""
    return Request({**request.scope, "query_string": urlencode(params).encode()})
