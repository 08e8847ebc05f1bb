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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from xmock.simulator.oauth1.encoding import pct
from xmock.simulator.redact import is_credential_name, redact_pairs, redact_text

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


@lru_cache(maxsize=1024)  # pure, and the same few hosts arrive on every request
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
    return list(_unique(_origins(headers, scheme)))


def _unique(items: Iterator[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def _origins(headers: dict[str, str], scheme: str) -> Iterator[str]:
    """Candidates in order, made only as far as they are needed."""
    fwd_host = headers.get("x-forwarded-host")
    fwd_proto = headers.get("x-forwarded-proto")
    if fwd_host:
        fwd_host = fwd_host.split(",")[0].strip()
        proto = (fwd_proto or "").split(",")[0].strip() or ("https" if _bare(fwd_host) in X_HOSTS else scheme)
        yield origin(proto, fwd_host)
    host = headers.get("host")
    if host:
        if _bare(host) in X_HOSTS:
            yield origin("https", host)
        else:
            yield origin(scheme, host)
            yield origin("http" if scheme == "https" else "https", host)
    yield from CANONICAL_ORIGINS


@lru_cache(maxsize=1024)
def _bare(host: str) -> str:
    host = host.strip().lower()
    return host if host.startswith("[") else host.split(":")[0]


def normalized_params(params: list[tuple[str, str]]) -> str:
    encoded = [(pct(k), pct(v)) for k, v in params]
    encoded.sort()
    return "&".join([f"{k}={v}" for k, v in encoded])


def base_string(method: str, uri: str, normalized: str) -> str:
    return _base_prefix(method, uri) + _escaped(normalized)


def _escaped(normalized: str) -> str:
    # `normalized` holds only unreserved characters, %HH escapes, `=` and `&`.
    return normalized.replace("%", "%25").replace("&", "%26").replace("=", "%3D")


def sign(base: str, consumer_secret: str, token_secret: str | None) -> str:
    return base64.b64encode(hmac.digest(_key(consumer_secret, token_secret or ""), base.encode(), "sha1")).decode()


@lru_cache(maxsize=4096)  # the same few credential pairs sign request after request
def _key(consumer_secret: str, token_secret: str) -> bytes:
    return f"{pct(consumer_secret)}&{pct(token_secret)}".encode()


@lru_cache(maxsize=4096)
def _keyed(consumer_secret: str, token_secret: str) -> tuple[hashlib._Hash, hashlib._Hash]:
    """HMAC-SHA1 (RFC 2104) with its key already absorbed: the inner and outer SHA-1 states.

    A request then costs two state copies and its own bytes, not a fresh HMAC set up from the
    key each time (the same few credential pairs sign request after request)."""
    key = _key(consumer_secret, token_secret)
    if len(key) > 64:
        key = hashlib.sha1(key).digest()
    key = key.ljust(64, b"\0")
    return hashlib.sha1(key.translate(_IPAD)), hashlib.sha1(key.translate(_OPAD))


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def hmac_sha1(consumer_secret: str, token_secret: str, message: bytes) -> bytes:
    """`hmac.digest(_key(...), message, "sha1")`, from the states `_keyed` keeps."""
    inner, outer = _keyed(consumer_secret, token_secret)
    inner = inner.copy()
    inner.update(message)
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.digest()


@lru_cache(maxsize=4096)
def _base_prefix(method: str, uri: str) -> str:
    return f"{method.upper()}&{pct(uri)}&"


@dataclass(slots=True)
class SignatureCheck:
    ok: bool
    matched_uri: str | None
    tried: list[dict[str, str]]


def lazy_origins(headers: dict[str, str], scheme: str) -> Iterator[str]:
    return _unique(_origins(headers, scheme))


def first_origin(headers: dict[str, str], scheme: str) -> str | None:
    """The first candidate `lazy_origins` would give, when no proxy header is in play (None
    otherwise): the one that matches nearly every request, without building the generators."""
    if "x-forwarded-host" in headers:
        return None
    host = headers.get("host")
    if not host:
        return CANONICAL_ORIGINS[0]
    return origin("https", host) if _bare(host) in X_HOSTS else origin(scheme, host)


def check(
    method: str,
    path: str,
    origins: Iterable[str],
    params: list[tuple[str, str]],
    signature: str,
    consumer_secret: str,
    token_secret: str | None,
    *,
    explain: bool = True,
    normalized: str | None = None,
) -> SignatureCheck:
    """Try each candidate URL; on failure, say what was computed for each. `normalized`, when
    given, is `normalized_params(params)` worked out already."""
    if normalized is None:
        normalized = normalized_params(params)
    encoded = _escaped(normalized)  # base_string()'s parameter part, the same for every candidate
    token_secret = token_secret or ""
    tried: list[dict[str, str]] = []
    want = signature.encode()
    for org in origins:
        uri = org + path
        base = _base_prefix(method, uri) + encoded
        if hmac.compare_digest(base64.b64encode(hmac_sha1(consumer_secret, token_secret, base.encode())), want):
            return SignatureCheck(True, uri, [])
        if explain:
            tried.append({"url": uri, "base_string": base})
    return SignatureCheck(False, None, tried)


def redacted_candidates(
    method: str, tried: list[dict[str, str]], params: list[tuple[str, str]], hidden: list[str]
) -> list[dict[str, str]]:
    """The candidates a failed check tried, fit for the journal: every parameter whose name marks a
    credential shows its fingerprint in the base string, and `hidden` values (the token, say) are
    fingerprinted wherever else they appear (the path)."""
    # A fingerprint (`fp:` and hex) goes in unescaped, so it reads the same as in the rest of the entry.
    shown = sorted((pct(k), v if is_credential_name(k) else pct(v)) for k, v in redact_pairs(params))
    normalized = "&".join([f"{k}={v}" for k, v in shown])
    return [
        {"url": t["url"], "base_string": redact_text(base_string(method, t["url"], normalized), hidden)} for t in tried
    ]
