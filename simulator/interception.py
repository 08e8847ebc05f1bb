"""`mock_x()`: route every request for X's hosts into the simulator, with no change to the code under test.

Covers `requests` (every session, also those made inside libraries such as tweepy, xdk
and requests-oauthlib), `httpx` (sync and async) and `aiohttp`. Requests to other hosts
pass through untouched. The simulator is either in-process (no socket; a fresh
`Simulator` unless one is given) or a running one at a given URL.

OAuth 1.0a signatures made over the real X URL still verify: the simulator sees the X
host in `Host` (in-process) or in `X-Forwarded-Host` (over a socket).

As a decorator, `@mock_x()` gives each call of the function a fresh in-process world, and passes its
handle as the keyword argument `x` when the function has a parameter of that name (the name is
`mock_x(arg=...)`): `x.user()` is a user with tokens, `x.simulator` the Simulator,
`x.assert_requested(...)` and `x.journal(...)` what was sent.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from xmock.simulator.arrange import XUser, developer_app, oauth1_user, oauth2_user
from xmock.simulator.core import Simulator
from xmock.simulator.evidence import Evidence
from xmock.simulator.fault_strikes import ConnectionDropped
from xmock.simulator.models import App
from xmock.simulator.oauth1.signature import X_HOSTS

_lock = threading.RLock()
_active: list[MockX] = []
_originals: dict[str, Any] = {}


def is_x_url(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in X_HOSTS


class MockX(Evidence):
    """The interception context. Usable as `with mock_x() as x:` and as a decorator (`@mock_x()`)."""

    def __init__(self, simulator: Simulator | None = None, url: str | None = None, *, arg: str = "x") -> None:
        if url is not None and simulator is not None:
            raise ValueError("give either a simulator (in-process) or the URL of a running one, not both")
        if not isinstance(arg, str) or not arg.isidentifier():
            raise TypeError(f"arg: expected the name of a parameter, got {arg!r}")
        self.url = url.rstrip("/") if url else None
        self.simulator = simulator if url is None else None
        self._owns_simulator = url is None and simulator is None  # each decorated call then gets a new world
        if url is None and self.simulator is None:
            self.simulator = Simulator()
        self.arg = arg
        self._bridge: Any = None
        self._server: Any = None
        self._app: App | None = None

    # the common arrangement ---------------------------------------------------------------
    def app(self) -> App:
        """This world's developer app (an account and its app, made on first use)."""
        if self._app is None:
            self._app = developer_app(self._sim())
        return self._app

    def user(self, *, oauth2: bool = False, **profile: Any) -> XUser:
        """A new user of `app()` with tokens: OAuth 1.0a (`.tweepy_kwargs`, `.oauth1`), or OAuth 2.0 with
        `oauth2=True` (`.bearer`, `.oauth2`). `profile` as `Simulator.create_user` takes it (username, ...)."""
        make = oauth2_user if oauth2 else oauth1_user
        return make(self._sim(), self.app(), **profile)

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
        takes_handle = self.arg in inspect.signature(func).parameters

        def call_args(handle: MockX, kwargs: dict[str, Any]) -> dict[str, Any]:
            return {**kwargs, self.arg: handle} if takes_handle else kwargs

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self.fresh() as handle:
                    return await func(*args, **call_args(handle, kwargs))

            wrapper_: Callable[..., Any] = async_wrapper
        else:

            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                with self.fresh() as handle:
                    return func(*args, **call_args(handle, kwargs))

            wrapper_ = wrapper
        if takes_handle:  # callers (and pytest, looking for fixtures) do not see the parameter the decorator fills
            signature = inspect.signature(func)
            wrapper_.__signature__ = signature.replace(  # type: ignore[attr-defined]
                parameters=[p for name, p in signature.parameters.items() if name != self.arg]
            )
        return wrapper_

    def fresh(self) -> MockX:
        """A context with the same target, for a decorated function's each call: a new in-process world
        unless a simulator or a URL was given."""
        if self.url is not None:
            return MockX(None, self.url, arg=self.arg)
        return MockX(None if self._owns_simulator else self.simulator, arg=self.arg)


def mock_x(simulator: Simulator | None = None, url: str | None = None, *, arg: str = "x") -> MockX:
    """Route X's hosts to a simulator: in-process by default, or the running one at `url`. As a decorator,
    the handle goes to the function's parameter named `arg` (`x`), if it has one."""
    return MockX(simulator, url, arg=arg)


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
