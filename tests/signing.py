"""Signing helpers for tests: oauthlib's client, re-emitted the way other real clients format headers."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from oauthlib.oauth1 import Client


def oauthlib_headers(
    url: str,
    method: str,
    ck: str,
    cs: str,
    token: str | None = None,
    ts: str | None = None,
    body: str | None = None,
    **client_kwargs: str,
) -> dict[str, str]:
    client = Client(ck, client_secret=cs, resource_owner_key=token, resource_owner_secret=ts, **client_kwargs)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    _, signed, _ = client.sign(url, method, body=body, headers=headers)
    return dict(signed)


def restyle(header: str, *, order: str = "sorted", separator: str = ", ") -> str:
    """Rewrite an OAuth header as twitter-api-v2 (sorted, ',') or xdk (sorted, ', ') would send it."""
    pairs = [(k, unquote(v)) for k, v in re.findall(r'(\w+)="([^"]*)"', header)]
    if order == "sorted":
        pairs.sort()
    elif order == "reversed":
        pairs.reverse()
    return "OAuth " + separator.join(f'{k}="{quote(v, safe="-._~")}"' for k, v in pairs)
