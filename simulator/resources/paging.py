"""Pagination of newest-first lists, with X's `meta` object and bounds errors."""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from xmock.simulator import digits, errors
from xmock.simulator.models import Post
from xmock.simulator.resources import post_fields
from xmock.simulator.xrequest import XRequest

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def max_results(req: XRequest, default: int) -> int:
    """`max_results`, or `default`; its bounds are the spec's, checked before the handler (request_rules)."""
    value = digits.parse(req.arg("max_results"), 10)
    return default if value is None else value


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


def listed(req: XRequest, name: str) -> list[str]:
    """A comma-separated list parameter, each value once in the order given. Presence, count and each
    value's pattern were checked against the spec before the handler ran (simulator.request_rules)."""
    return list(dict.fromkeys((req.arg(name) or "").split(",")))


def id_param(req: XRequest, name: str) -> int | None:
    raw = req.arg(name)
    if raw is None:
        return None
    value = digits.parse(raw)
    if value is None:
        raise errors.pattern_mismatch(name, raw)
    return value


def page(posts: list[Post], req: XRequest, limit: int) -> tuple[list[Post], dict[str, Any]]:
    """One page of newest-first posts after `pagination_token`/`next_token`; a version an edit replaced is left out."""
    posts = post_fields.current(posts)
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


# Pages of edges (followers, following, members, blocked, ...): newest first, as the store lists them.
# A token names the edge a page stops at, so a page does not shift when newer edges arrive.
_EDGE_TOKEN_PREFIX = "E"


def _edge_token(direction: str, edge: tuple[str, float]) -> str:
    raw = f"{direction}{edge[1]!r}:{edge[0]}".encode()
    return _EDGE_TOKEN_PREFIX + base64.b32encode(raw).decode().rstrip("=")


def _read_edge_token(token: str, name: str) -> tuple[str, tuple[float, str]]:
    try:
        if not (token.startswith(_EDGE_TOKEN_PREFIX) and token.isascii() and token.isalnum() and len(token) <= 80):
            raise ValueError(token)
        body = token[1:]
        raw = base64.b32decode(body + "=" * (-len(body) % 8)).decode()
        direction, at, node = raw[0], *raw[1:].split(":", 1)
        if direction not in "np" or not math.isfinite(float(at)):
            raise ValueError(token)
        return direction, (float(at), node)
    except (ValueError, IndexError, binascii.Error, UnicodeDecodeError):
        raise errors.invalid_param(name, token, f"The `{name}` query parameter value [{token}] is not valid") from None


def edge_page(
    edges: list[tuple[str, float]], req: XRequest, limit: int, token_name: str = "pagination_token"
) -> tuple[list[str], dict[str, Any]]:
    """One page of newest-first edges: the ids on it, and X's `meta` (`result_count`, `next_token`,
    `previous_token`)."""
    token = req.arg(token_name)
    start = 0
    if token is not None:
        direction, anchor = _read_edge_token(token, token_name)
        # Position of the first edge after the anchor in newest-first order (time, then id, descending).
        after = next((i for i, (node, at) in enumerate(edges) if (at, node) < anchor), len(edges))
        if direction == "n":
            start = after
        else:
            before = next((i for i, (node, at) in enumerate(edges) if (at, node) <= anchor), len(edges))
            start = max(before - limit, 0)
    items = edges[start : start + limit]
    meta: dict[str, Any] = {"result_count": len(items)}
    if items and start + limit < len(edges):
        meta["next_token"] = _edge_token("n", items[-1])
    if items and start > 0:
        meta["previous_token"] = _edge_token("p", items[0])
    return [node for node, _ in items], meta
