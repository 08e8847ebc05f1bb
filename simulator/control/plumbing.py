"""The control API's plumbing: how a handler is served (JSON in, JSON out, ControlError as a clear
status) and how its fields are checked. Every control module builds its routes with these."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_encodable, check_names

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

Handler = Callable[["Simulator", Request, dict[str, Any]], Any]


def endpoint(sim: Simulator, handler: Handler, status: int = 200) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def run(request: Request) -> JSONResponse:
        try:
            body: dict[str, Any] = {}
            if request.method in ("POST", "PATCH", "PUT"):
                body = json_object(await request.body())
            result = handler(sim, request, body)
        except ControlError as exc:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        except TypeError as exc:
            return JSONResponse({"error": f"unexpected field: {exc}"}, status_code=400)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(result, status_code=status)

    return run


def _not_json(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object whose text is all valid UTF-8; NaN and Infinity, which Python's
    json accepts but JSON does not, are refused, as is nesting deeper than the parser goes."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ControlError(400, "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    check_encodable(body)
    return body


def fields(body: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    check_names("field", body, required + optional)
    missing = [name for name in required if body.get(name) in (None, "")]
    if missing:
        raise ControlError(400, f"missing field(s): {', '.join(missing)}")
    return dict(body)


def route(sim: Simulator, path: str, handler: Handler, method: str, status: int = 200) -> Route:
    """A control route under /_xmock."""
    return Route("/_xmock" + path, endpoint(sim, handler, status), methods=[method])
