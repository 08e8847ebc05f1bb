"""How an X endpoint is declared, and the router that finds one for a request.

Each endpoint is declared once (see `simulator.routes`): auth schemes, scopes,
rate-limit and price classes, the error surface and the handler. The pipeline
applies everything but the handler from this declaration.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.config import Settings
    from xmock.simulator.pipeline import Call
    from xmock.simulator.xrequest import Reply

# Auth schemes an endpoint may accept.
OAUTH1_USER = "oauth1"  # OAuth 1.0a user context (consumer + access token)
OAUTH1_CONSUMER = "oauth1-consumer"  # consumer only: POST /oauth/request_token
OAUTH1_REQUEST = "oauth1-request"  # consumer + request token: POST /oauth/access_token
OAUTH2_USER = "oauth2-user"
BEARER = "bearer"
NONE = "none"

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    name: str  # X's operationId where one exists
    method: str
    path: str  # e.g. "/2/tweets/{id}"
    handler: Callable[[Call], Reply | Awaitable[Reply]]  # awaitable: waits on the network (webhook CRC)
    auth: tuple[str, ...] = (OAUTH1_USER,)
    scopes: tuple[str, ...] = ()
    write: bool = False  # needs a read-write token
    surface: str = "v2"  # error shape: "v2", "v1", "oauth", or "storage" (compliance jobs' signed URLs)
    rate_class: str | None = None
    price_class: str | None = None
    # Chooses the price class from the request where it depends on it (a post with a URL).
    price_refine: Callable[[Call], str] | None = None
    # The boolean setting that serves this endpoint (X leniencies that can be switched off); None = always.
    setting: str | None = None
    # A per-request price taken by the handler's store write in the same atomic step (a post and
    # its charge exist together or not at all), not reserved before the handler runs.
    pays_on_write: bool = False


class Router:
    def __init__(self, endpoints: list[Endpoint]) -> None:
        self._static: dict[str, dict[str, Endpoint]] = {}
        self._dynamic: list[tuple[re.Pattern[str], dict[str, Endpoint]]] = []
        patterns: dict[str, dict[str, Endpoint]] = {}
        for ep in endpoints:
            if "{" in ep.path:
                by_method = patterns.setdefault(ep.path, {})
            else:
                by_method = self._static.setdefault(ep.path, {})
            if ep.method in by_method:
                raise ValueError(f"{ep.method} {ep.path} declared twice")
            by_method[ep.method] = ep
        for path, by_method in patterns.items():
            regex = re.compile(
                "^" + _PARAM.sub(r"(?P<\1>[^/]+)", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
            )
            self._dynamic.append((regex, by_method))

    def match(self, method: str, path: str) -> tuple[Endpoint | None, dict[str, Any], list[str]]:
        """The endpoint and path parameters; or None and the methods allowed on that path."""
        by_method = self._static.get(path)
        params: dict[str, Any] = {}
        if by_method is None:
            for regex, candidates in self._dynamic:
                m = regex.match(path)
                if m is not None:
                    by_method, params = candidates, m.groupdict()
                    break
        if by_method is None:
            return None, {}, []
        ep = by_method.get(method)
        if ep is None:
            return None, params, sorted(by_method)
        return ep, params, []

    def allowed(self, path: str, settings: Settings) -> list[str]:
        """The methods served on a path, leaving out endpoints whose setting is off."""
        by_method = self._static.get(path) or next((c for r, c in self._dynamic if r.match(path)), {})
        return sorted(m for m, ep in by_method.items() if ep.setting is None or getattr(settings, ep.setting))
