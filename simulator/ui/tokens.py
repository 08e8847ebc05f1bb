"""Tokens: OAuth 1.0a and 2.0 tokens per app and user, each one's life on a timeline (issued, expires,
rotated, revoked, invalidated) on the simulator clock. Read through the control API's /tokens handler;
tokens show as fingerprints only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xmock.simulator.control import api, credentials_api
from xmock.simulator.control.errors import ControlError
from xmock.simulator.ui.charts import timeline, token_events
from xmock.simulator.ui.render import done, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Tokens", "/tokens")
FUTURE = 3 * 3600
ADVANCE = (("1 hour", 3600), ("2 hours", 7200), ("1 day", 86400))  # to watch tokens age


def _grouped(tokens: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """Tokens by (app, user), each with the marks of its life on one scale shared by the page."""
    start = min([at for t in tokens for _, at in token_events(t) if at is not None] + [now])
    # The past and as much future (three hours at least): a refresh token's expiry half a year away would
    # squash every other mark to one point; marks beyond the scale sit at its end, their time written out.
    end = now + max(now - start, FUTURE)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for t in tokens:
        key = (t["app_id"], t["user_id"] or "")
        group = groups.setdefault(key, {"app_id": key[0], "user_id": t["user_id"], "tokens": []})
        group["tokens"].append({**t, "marks": timeline(token_events(t), start, end, now)})
    now_left = round((now - start) / (end - start) * 100, 2)
    return [{**g, "now_left": now_left} for g in groups.values()]


def routes(sim: Simulator) -> list[Route]:
    async def tokens(request: Request) -> Response:
        q = request.query_params
        listed = credentials_api.list_tokens(sim, request, {})
        clock = api.get_clock(sim, request, {})
        oauth1 = [{**t, "scheme": "OAuth 1.0a", "kind": None} for t in listed["oauth1_tokens"]]
        oauth2 = [{**t, "scheme": "OAuth 2.0"} for t in listed["tokens"]]
        everything = oauth1 + oauth2
        return page(
            request,
            "tokens.html",
            title="Tokens",
            groups=_grouped(everything, clock["now"]) if everything else [],
            count=len(everything),
            clock=clock,
            app=q.get("app", ""),
            user=q.get("user", ""),
            presets=ADVANCE,
        )

    async def advance(request: Request) -> Response:
        form = await request.form()
        back = {k: str(form.get(k) or "") for k in ("app", "user") if form.get(k)}
        path = "/tokens" + (f"?{urlencode(back)}" if back else "")
        try:
            seconds = int(str(form.get("seconds") or ""))
            state = api.set_clock(sim, request, {"advance": seconds})
        except (ValueError, ControlError) as exc:
            return done(path, error=getattr(exc, "message", "seconds: expected a whole number"))
        return done(path, said=f"Simulator clock advanced by {seconds} s, to {state['iso']}.")

    return [
        Route("/tokens", tokens, methods=["GET"]),
        Route("/tokens/advance", advance, methods=["POST"]),
    ]
