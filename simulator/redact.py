"""Secrets never leave the simulator: they are shown as short fingerprints."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

# Parameter names whose values are credentials, wherever they appear.
SECRET_PARAMS = frozenset(
    {
        "oauth_token",
        "oauth_verifier",
        "oauth_signature",
        "access_token",
        "refresh_token",
        "token",
        "code",
        "code_verifier",
        "client_secret",
        "consumer_secret",
        "oauth_token_secret",
    }
)


def fingerprint(secret: str | None) -> str | None:
    """A stable, non-reversible label for a secret: `fp:` and 8 hex digits."""
    if not secret:
        return None
    return _fingerprint(secret)


@lru_cache(maxsize=4096)  # the same few tokens are journalled on every request
def _fingerprint(secret: str) -> str:
    return "fp:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def redact_url(url: str) -> str:
    """A URL fit to print: its password (redis://:secret@host) replaced by a fingerprint."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    user = f"{parts.username}:" if parts.username else ":"
    host = parts.hostname or ""
    netloc = f"{user}{fingerprint(parts.password)}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def redact_params(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Query or form parameters with credential values replaced by fingerprints."""
    out: dict[str, str] = {}
    for key, value in pairs:
        out[key] = (fingerprint(value) or "") if key in SECRET_PARAMS else value
    return out


def redact_text(text: str, secrets: list[str]) -> str:
    """Replace every occurrence of each secret (raw and percent-encoded) with its fingerprint."""
    from xmock.simulator.oauth1.encoding import pct

    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        fp = fingerprint(secret) or ""
        text = text.replace(secret, fp)
        encoded = pct(secret)
        if encoded != secret:
            text = text.replace(encoded, fp)
            text = text.replace(pct(encoded), fp)
    return text
