"""Point an unmodified `requests`-based X client (tweepy, xdk) at the simulator.

The adapter rewrites X's hosts to the simulator after the request is signed and
says which host was meant in `X-Forwarded-Host`/`X-Forwarded-Proto`, so OAuth 1.0a
signatures made over the real X URL still verify.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from xmock.simulator.oauth1.signature import X_HOSTS


class RedirectAdapter(HTTPAdapter):
    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target = urlsplit(base_url)
        self._scheme, self._netloc = target.scheme, target.netloc

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        if (parts.hostname or "").lower() in X_HOSTS:
            request.headers["X-Forwarded-Host"] = parts.netloc
            request.headers["X-Forwarded-Proto"] = parts.scheme
            request.url = urlunsplit((self._scheme, self._netloc, parts.path, parts.query, parts.fragment))
        return super().send(request, **kwargs)


def mount(session: requests.Session, base_url: str) -> requests.Session:
    """Send this session's X traffic to the simulator at `base_url`; other hosts are untouched."""
    adapter = RedirectAdapter(base_url)
    for host in X_HOSTS:
        session.mount(f"https://{host}/", adapter)
        session.mount(f"http://{host}/", adapter)
    return session
