"""`mock_x()`: route every request for X's hosts into the simulator, with no change to the code under test.

Covers `requests` (every session, also those made inside libraries such as tweepy, xdk
and requests-oauthlib), `httpx` (sync and async) and `aiohttp`. Requests to other hosts
pass through untouched. The simulator is either in-process (no socket; a fresh
`Simulator` unless one is given) or a running one at a given URL.

OAuth 1.0a signatures made over the real X URL still verify: the simulator sees the X
host in `Host` (in-process) or in `X-Forwarded-Host` (over a socket).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from xmock.simulator.core import Simulator
from xmock.simulator.oauth1.signature import X_HOSTS
from xmock.simulator.pipeline import ConnectionDropped

_lock = threading.RLock()
_active: list[MockX] = []
_originals: dict[str, Any] = {}


def is_x_url(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in X_HOSTS


class MockX:
    """The interception context. Usable as `with mock_x() as x:` and as a decorator."""

    def __init__(self, simulator: Simulator | None = None, url: str | None = None) -> None:
        if url is not None and simulator is not None:
            raise ValueError("give either a simulator (in-process) or the URL of a running one, not both")
        self.url = url.rstrip("/") if url else None
        self.simulator = simulator if url is None else None
        if url is None and self.simulator is None:
            self.simulator = Simulator()
        self._bridge: Any = None
        self._server: Any = None

    # the target ----------------------------------------------------------------------
    @property
    def bridge(self) -> Any:
        if self._bridge is None:
            from xmock.simulator.inprocess import InProcessBridge

            self._bridge = InProcessBridge(self.simulator)
        return self._bridge

    def socket_url(self) -> str:
        """A URL that reaches this simulator over a socket (started on demand for in-process use)."""
        if self.url is not None:
            return self.url
        if self._server is None:
            from xmock.simulator.server import ServerThread

            self._server = ServerThread(self.simulator).start()
        return self._server.base_url

    def rewrite(self, url: str) -> tuple[str, dict[str, str]]:
        """The simulator URL for an X URL, and the headers that say which host was meant."""
        parts = urlsplit(url)
        target = urlsplit(self.socket_url())
        new = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))
        return new, {"X-Forwarded-Host": parts.netloc, "X-Forwarded-Proto": parts.scheme}

    # context manager and decorator -------------------------------------------------------
    def __enter__(self) -> MockX:
        with _lock:
            if not _active:
                _install()
            _active.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        with _lock:
            if self in _active:
                _active.remove(self)
            if not _active:
                _uninstall()
        if self._bridge is not None:
            self._bridge.close()
            self._bridge = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self.fresh():
                    return await func(*args, **kwargs)

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.fresh():
                return func(*args, **kwargs)

        return wrapper

    def fresh(self) -> MockX:
        """A context with the same target, for a decorated function's each call."""
        return MockX(self.simulator, None) if self.url is None else MockX(None, self.url)


def mock_x(simulator: Simulator | None = None, url: str | None = None) -> MockX:
    """Route X's hosts to a simulator: in-process by default, or the running one at `url`."""
    return MockX(simulator, url)


def _current() -> MockX | None:
    return _active[-1] if _active else None


# requests ---------------------------------------------------------------------------------


def _requests_send(self: Any, request: Any, **kwargs: Any) -> Any:
    import requests

    target = _current()
    if target is None or not is_x_url(request.url or ""):
        return _originals["requests"](self, request, **kwargs)
    if target.url is not None:
        request.url, extra = target.rewrite(request.url)
        request.headers.update(extra)
        return _originals["requests"](self, request, **kwargs)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = b"".join(body)
    try:
        status, headers, content = target.bridge.request(
            request.method, request.url, list(request.headers.items()), body
        )
    except ConnectionDropped as exc:
        raise requests.ConnectionError(str(exc), request=request) from exc
    return _requests_response(request, status, headers, content)


def _requests_response(request: Any, status: int, headers: list[tuple[str, str]], content: bytes) -> Any:
    import requests
    from requests.structures import CaseInsensitiveDict

    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers)
    response._content = content
    response.url = request.url
    response.request = request
    response.reason = _REASONS.get(status, "")
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    response._content_consumed = True  # nothing to release: there is no socket
    return response


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


# httpx ------------------------------------------------------------------------------------


def _httpx_request(request: Any) -> tuple[MockX | None, Any]:
    target = _current()
    if target is None or not is_x_url(str(request.url)):
        return None, request
    if target.url is not None:
        import httpx

        new_url, extra = target.rewrite(str(request.url))
        request.url = httpx.URL(new_url)
        request.headers.update(extra)
        request.headers["host"] = request.url.netloc.decode("ascii")
    return target, request


def _httpx_response(request: Any, status: int, headers: list[tuple[str, str]], content: bytes) -> Any:
    import httpx

    return httpx.Response(status, headers=headers, content=content, request=request)


def _httpx_handle(self: Any, request: Any) -> Any:
    import httpx

    target, request = _httpx_request(request)
    if target is None or target.url is not None:
        return _originals["httpx"](self, request)
    try:
        status, headers, content = target.bridge.request(
            request.method, str(request.url), list(request.headers.items()), request.read()
        )
    except ConnectionDropped as exc:
        raise httpx.ConnectError(str(exc), request=request) from exc
    return _httpx_response(request, status, headers, content)


async def _httpx_handle_async(self: Any, request: Any) -> Any:
    import httpx

    target, request = _httpx_request(request)
    if target is None or target.url is not None:
        return await _originals["httpx_async"](self, request)
    try:
        status, headers, content = await target.bridge.arequest(
            request.method, str(request.url), list(request.headers.items()), await request.aread()
        )
    except ConnectionDropped as exc:
        raise httpx.ConnectError(str(exc), request=request) from exc
    return _httpx_response(request, status, headers, content)


# aiohttp: always over a socket (an in-process simulator gets one on demand) ----------------


async def _aiohttp_request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
    target = _current()
    url = str(str_or_url)
    if target is not None and is_x_url(url):
        url, extra = target.rewrite(url)
        headers = dict(kwargs.get("headers") or {})
        headers.update(extra)
        kwargs["headers"] = headers
        str_or_url = url
    return await _originals["aiohttp"](self, method, str_or_url, **kwargs)


# installing the patches ------------------------------------------------------------------


def _install() -> None:
    import requests.adapters

    _originals["requests"] = requests.adapters.HTTPAdapter.send
    requests.adapters.HTTPAdapter.send = _requests_send
    try:
        import httpx
    except ImportError:
        pass
    else:
        _originals["httpx"] = httpx.HTTPTransport.handle_request
        _originals["httpx_async"] = httpx.AsyncHTTPTransport.handle_async_request
        httpx.HTTPTransport.handle_request = _httpx_handle
        httpx.AsyncHTTPTransport.handle_async_request = _httpx_handle_async
    try:
        import aiohttp
    except ImportError:
        pass
    else:
        _originals["aiohttp"] = aiohttp.ClientSession._request
        aiohttp.ClientSession._request = _aiohttp_request


def _uninstall() -> None:
    import requests.adapters

    requests.adapters.HTTPAdapter.send = _originals.pop("requests")
    if "httpx" in _originals:
        import httpx

        httpx.HTTPTransport.handle_request = _originals.pop("httpx")
        httpx.AsyncHTTPTransport.handle_async_request = _originals.pop("httpx_async")
    if "aiohttp" in _originals:
        import aiohttp

        aiohttp.ClientSession._request = _originals.pop("aiohttp")
