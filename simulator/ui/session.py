"""The UI's door: a person types the control token once; a cookie derived from it (never the token)
opens the UI's pages. The check itself sits with the control API's (control/guard.py)."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from xmock.simulator.control.guard import UI_COOKIE, ui_session
from xmock.simulator.ui.render import GUARDED, PREFIX, page, url


def _next(request: Request, given: str | None) -> str:
    # Only back into the UI: never an open redirect to another host.
    target = given or url("/")
    return target if target.startswith(PREFIX + "/") and "//" not in target and "\\" not in target else url("/")


def routes(token: str | None) -> list[Route]:
    async def login_form(request: Request) -> Response:
        if token is None:
            return RedirectResponse(url("/"), status_code=303)
        return page(request, "login.html", next=_next(request, request.query_params.get("next")))

    async def login(request: Request) -> Response:
        form = await request.form()
        target = _next(request, str(form.get("next") or ""))
        if token is None:
            return RedirectResponse(target, status_code=303)
        given = str(form.get("token") or "").strip()
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode()):
            return page(request, "login.html", 401, next=target, error="That is not the control token.")
        answer = RedirectResponse(target, status_code=303)
        answer.set_cookie(UI_COOKIE, ui_session(token), path=PREFIX, httponly=True, samesite="strict")
        return answer

    async def logout(request: Request) -> Response:
        answer = RedirectResponse(url("/login") if token else url("/"), status_code=303)
        answer.delete_cookie(UI_COOKIE, path=PREFIX)
        return answer

    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]


class SameOrigin:
    """Refuses a UI form posted from another site (the cookie is SameSite=Strict too): an Origin or
    Referer header, when sent, must name this host (a sandboxed frame's "null" does not)."""

    def __init__(self, app: Any, guarded: bool) -> None:
        self.app = app
        self.guarded = guarded

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        scope[GUARDED] = self.guarded  # pages offer "Sign out" only where there is a token
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}
            source = headers.get("origin") or headers.get("referer")
            if source and (source == "null" or urlsplit(source).netloc != headers.get("host", "")):
                response = HTMLResponse("<!doctype html><title>Refused</title><p>Cross-site form refused.", 403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
