"""Secrets never leave the simulator: they are shown as short fingerprints."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Parameter names whose values are credentials, wherever they appear (journal, access log,
# signature diagnosis): any name holding one of these words, and a few more by name.
CREDENTIAL_WORDS = ("token", "secret", "password", "passwd")
CREDENTIAL_NAMES = frozenset(
    {"code", "code_verifier", "oauth_verifier", "oauth_signature", "verifier", "api_key",
     "x-goog-signature"}  # a compliance job's signed URLs
)  # fmt: skip
# Names that hold a credential word but carry none: X's paging cursors and OAuth's type hints.
NOT_CREDENTIALS = frozenset({"pagination_token", "next_token", "previous_token", "token_type", "token_type_hint"})


@lru_cache(maxsize=1024)
def is_credential_name(name: str) -> bool:
    """Whether a query, form or OAuth parameter of this name carries a credential."""
    low = name.lower()
    if low in NOT_CREDENTIALS:
        return False
    return low in CREDENTIAL_NAMES or any(word in low for word in CREDENTIAL_WORDS)


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


def redact_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Parameters in their order, credential values replaced by fingerprints."""
    return [(key, (fingerprint(value) or "") if is_credential_name(key) else value) for key, value in pairs]


def redact_params(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Query or form parameters with credential values replaced by fingerprints."""
    return dict(redact_pairs(pairs))


def redact_query(query: str) -> str:
    """A raw query string fit to log: each credential's value (decoded) shown as its fingerprint,
    everything else left byte for byte as it came."""
    if not query:
        return query
    parts = []
    for piece in query.split("&"):
        name, sep, value = piece.partition("=")
        if sep and is_credential_name(unquote_plus(name)):
            piece = f"{name}={fingerprint(unquote_plus(value)) or ''}"
        parts.append(piece)
    return "&".join(parts)


def redact_target(target: str) -> str:
    """A request target (`/path?query`) with the credentials in its query fingerprinted."""
    path, sep, query = target.partition("?")
    return f"{path}{sep}{redact_query(query)}" if sep else target


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
