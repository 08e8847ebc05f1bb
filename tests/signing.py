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


def sign_once(
    method: str,
    url: str,
    ck: str,
    cs: str,
    token: str | None = None,
    ts: str | None = None,
    params: dict[str, str] | None = None,
    nonce: str = "f593d95b0ad1c8c1f7fdb4a3e1d26d4c",
    timestamp: str | None = None,
) -> str:
    """An OAuth header signed as xdk and twitter-api-v2 do: `oauth_*` repeated in the query or
    form body (`params`) are counted once."""
    import base64
    import hashlib
    import hmac
    import time

    from oauthlib.oauth1.rfc5849 import signature as sig

    oauth = {
        "oauth_consumer_key": ck,
        "oauth_nonce": nonce,
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": timestamp or str(int(time.time())),
        "oauth_version": "1.0",
    }
    if token:
        oauth["oauth_token"] = token
    params_all = dict(oauth)
    params_all.update(params or {})
    base = sig.signature_base_string(
        method, sig.base_string_uri(url), sig.normalize_parameters(list(params_all.items()))
    )
    key = f"{quote(cs, safe='-._~')}&{quote(ts or '', safe='-._~')}".encode()
    oauth["oauth_signature"] = base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()
    return "OAuth " + ", ".join(f'{k}="{quote(v, safe="-._~")}"' for k, v in sorted(oauth.items()))
