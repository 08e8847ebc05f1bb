"""How a UI page is drawn: Jinja2 templates shipped in the package, the navigation, and form helpers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from xmock.simulator.clock import iso_utc

PREFIX = "/_xmock/ui"
GUARDED = "xmock.ui.guarded"  # scope key: does this server ask for a control token
_env = Environment(loader=PackageLoader("xmock.simulator.ui", "templates"), autoescape=select_autoescape(["html"]))
_env.filters["iso"] = lambda ts: iso_utc(float(ts)) if ts is not None else ""
# (label, path under PREFIX), in the order the navigation shows them; page modules add theirs (ui/routes.py).
NAV: list[tuple[str, str]] = []


def url(path: str = "/") -> str:
    return PREFIX + path


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A whole page in the base layout; `flash` (from ?said=) tells what the last action did."""
    html = _env.get_template(template).render(
        nav=NAV,
        here=request.url.path,
        guarded=request.scope.get(GUARDED, False),
        url=url,
        said=request.query_params.get("said", "")[:200],
        error=context.pop("error", None) or request.query_params.get("error", "")[:300],
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def fragment(template: str, **context: Any) -> str:
    """A piece of a page (e.g. a journal row sent live), drawn alone."""
    return _env.get_template(template).render(url=url, **context)


def done(path: str, said: str = "", error: str = "") -> RedirectResponse:
    """After a form's POST, back to a page (303: the browser GETs it), saying what happened."""
    query = urlencode({k: v for k, v in (("said", said), ("error", error)) if v})
    return RedirectResponse(url(path) + (f"?{query}" if query else ""), status_code=303)
