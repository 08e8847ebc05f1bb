"""HMAC-SHA1 over the URL the client actually signed.

A client redirected at the transport signs the real X URL; a client given the
simulator's address signs that. The candidates, in order: the forwarded host a
redirecting transport adds, the Host header (X host names are https), then X's
canonical origins.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from simulator.oauth1.encoding import pct

X_HOSTS = frozenset(
    {
        "api.x.com",
        "api.twitter.com",
        "upload.x.com",
        "upload.twitter.com",
        "x.com",
        "twitter.com",
        "www.x.com",
        "www.twitter.com",
    }
)
CANONICAL_ORIGINS = (
    "https://api.x.com",
    "https://api.twitter.com",
    "https://upload.x.com",
    "https://upload.twitter.com",
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin(scheme: str, host: str) -> str:
    """`scheme://host[:port]` lowercased, default port dropped (RFC 5849 §3.4.1.2)."""
    scheme = scheme.lower()
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal
        end = host.find("]")
        name, port = host[: end + 1], host[end + 2 :] if host[end + 1 : end + 2] == ":" else ""
    else:
        name, _, port = host.partition(":")
    if port and _DEFAULT_PORTS.get(scheme) == port:
        host = name
    return f"{scheme}://{host}"


def candidate_origins(headers: dict[str, str], scheme: str) -> list[str]:
    out: list[str] = []
    fwd_host = headers.get("x-forwarded-host")
    fwd_proto = headers.get("x-forwarded-proto")
    if fwd_host:
        fwd_host = fwd_host.split(",")[0].strip()
        proto = (fwd_proto or "").split(",")[0].strip() or ("https" if _bare(fwd_host) in X_HOSTS else scheme)
        out.append(origin(proto, fwd_host))
    host = headers.get("host")
    if host:
        if _bare(host) in X_HOSTS:
            out.append(origin("https", host))
        else:
            out.append(origin(scheme, host))
            other = "http" if scheme == "https" else "https"
            out.append(origin(other, host))
    out.extend(CANONICAL_ORIGINS)
    seen: set[str] = set()
    return [o for o in out if not (o in seen or seen.add(o))]


def _bare(host: str) -> str:
    host = host.strip().lower()
    return host if host.startswith("[") else host.split(":")[0]


def normalized_params(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted((pct(k), pct(v)) for k, v in params))


def base_string(method: str, uri: str, normalized: str) -> str:
    return f"{method.upper()}&{pct(uri)}&{pct(normalized)}"


def sign(base: str, consumer_secret: str, token_secret: str | None) -> str:
    key = f"{pct(consumer_secret)}&{pct(token_secret or '')}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()


@dataclass
class SignatureCheck:
    ok: bool
    matched_uri: str | None
    tried: list[dict[str, str]]


def check(
    method: str,
    path: str,
    origins: list[str],
    params: list[tuple[str, str]],
    signature: str,
    consumer_secret: str,
    token_secret: str | None,
    *,
    explain: bool = True,
) -> SignatureCheck:
    """Try each candidate URL; on failure, say what was computed for each."""
    normalized = normalized_params(params)
    tried: list[dict[str, str]] = []
    want = signature.encode()
    for org in origins:
        uri = org + path
        base = base_string(method, uri, normalized)
        if hmac.compare_digest(sign(base, consumer_secret, token_secret).encode(), want):
            return SignatureCheck(True, uri, [])
        if explain:
            tried.append({"url": uri, "base_string": base})
    return SignatureCheck(False, None, tried)
