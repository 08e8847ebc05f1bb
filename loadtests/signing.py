"""Lean OAuth 1.0a signing for load generators: a few microseconds a request, where oauthlib's
client costs enough to halve one locust process's rate."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from xmock.simulator.oauth1.encoding import pct
from xmock.simulator.oauth1.signature import base_string, normalized_params, sign


@dataclass(frozen=True)
class Credentials:
    consumer_key: str
    consumer_secret: str
    token: str
    token_secret: str
    user_id: str
    app_id: str


def authorization(creds: Credentials, method: str, url: str, form: dict[str, str] | None = None) -> str:
    """The `Authorization` header for one request; query and form parameters are signed, JSON is not."""
    parts = urlsplit(url)
    oauth = {
        "oauth_consumer_key": creds.consumer_key,
        "oauth_nonce": os.urandom(16).hex(),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(time.time())),
        "oauth_token": creds.token,
        "oauth_version": "1.0",
    }
    params = list(oauth.items())
    if parts.query:
        from urllib.parse import parse_qsl

        params += parse_qsl(parts.query, keep_blank_values=True)
    if form:
        params += list(form.items())
    base = base_string(method, f"{parts.scheme}://{parts.netloc}{parts.path}", normalized_params(params))
    oauth["oauth_signature"] = sign(base, creds.consumer_secret, creds.token_secret)
    return "OAuth " + ", ".join(f'{k}="{pct(v)}"' for k, v in oauth.items())
