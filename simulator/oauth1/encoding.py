"""RFC 3986 percent-encoding as OAuth 1.0a (and X) require it."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def pct(value: str) -> str:
    """Encode everything but `A-Z a-z 0-9 - . _ ~`, with uppercase hex."""
    # Most OAuth keys and values need no escaping; skipping urllib for them halves signing cost.
    if _UNRESERVED.fullmatch(value):
        return value
    return quote(value, safe="-._~")


def unpct(value: str) -> str:
    """Decode percent escapes strictly as UTF-8 (raises UnicodeDecodeError on bad bytes)."""
    if "%" not in value:
        return value
    return unquote(value, errors="strict")
