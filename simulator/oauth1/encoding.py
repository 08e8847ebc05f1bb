"""RFC 3986 percent-encoding as OAuth 1.0a (and X) require it."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# ASCII escapes in one C-level pass; urllib's quote walks the string byte by byte in Python.
_ASCII_TABLE = {i: (chr(i) if chr(i) in _SAFE else f"%{i:02X}") for i in range(128)}


def pct(value: str) -> str:
    """Encode everything but `A-Z a-z 0-9 - . _ ~`, with uppercase hex."""
    if _UNRESERVED.fullmatch(value):
        return value
    if value.isascii():
        return value.translate(_ASCII_TABLE)
    return quote(value, safe="-._~")


def unpct(value: str) -> str:
    """Decode percent escapes strictly as UTF-8 (raises UnicodeDecodeError on bad bytes)."""
    if "%" not in value:
        return value
    return unquote(value, errors="strict")
