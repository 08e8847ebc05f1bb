"""Pagination of newest-first lists, with X's `meta` object and bounds errors."""

from __future__ import annotations

from typing import Any

from xmock.simulator import digits, errors
from xmock.simulator.models import Post
from xmock.simulator.xrequest import XRequest

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def max_results(req: XRequest, low: int, high: int, default: int) -> int:
    raw = req.arg("max_results")
    if raw is None:
        return default
    value = digits.parse(raw, 4)
    if value is None or not low <= value <= high:
        raise errors.invalid_param(
            "max_results",
            raw,
            f"The `max_results` query parameter value [{raw}] is not between {low} and {high}",
        )
    return value


def encode_token(post_id: str) -> str:
    n = int(post_id)
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = _ALPHABET[r] + digits
    return "7140" + (digits or "0")


def decode_token(token: str, name: str) -> int:
    try:
        if not token.startswith("7140") or not 5 <= len(token) <= 20 or not token.isascii() or not token.isalnum():
            raise ValueError(token)
        return int(token[4:], 36)
    except ValueError:
        raise errors.invalid_param(name, token, f"The `{name}` query parameter value [{token}] is not valid") from None


def id_param(req: XRequest, name: str) -> int | None:
    raw = req.arg(name)
    if raw is None:
        return None
    value = digits.parse(raw)
    if value is None:
        raise errors.invalid_param(
            name, raw, f"The `{name}` query parameter value [{raw}] does not match ^[0-9]{{1,19}}$"
        )
    return value


def page(posts: list[Post], req: XRequest, limit: int) -> tuple[list[Post], dict[str, Any]]:
    """One page of newest-first posts after `pagination_token`/`next_token`."""
    token_name = "pagination_token" if req.arg("pagination_token") is not None else "next_token"
    token = req.arg(token_name)
    if token is not None:
        before = decode_token(token, token_name)
        posts = [p for p in posts if int(p.id) < before]
    items = posts[:limit]
    meta: dict[str, Any] = {}
    if items:
        meta["newest_id"] = items[0].id
        meta["oldest_id"] = items[-1].id
    meta["result_count"] = len(items)
    if len(posts) > limit:
        meta["next_token"] = encode_token(items[-1].id)
    return items, meta
