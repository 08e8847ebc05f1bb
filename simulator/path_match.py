"""One rule for matching a request path, wherever a path is asked for: the journal's `path=` filter,
`assert_requested` and `assert_not_requested`, fault rules and stubs.

A pattern is one of, or a mix of:
- an exact path: `/2/tweets` matches `/2/tweets` and nothing else (no prefixes: `/2/tw` matches nothing);
- `*`, any run of characters, `/` included: `/2/users/*` matches every path under `/2/users/`;
- X's path templates, as its docs write them: `/2/users/:id/tweets` and `/2/users/{id}/tweets` match one
  path segment where the parameter stands.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xmock.simulator.control.errors import InvalidInput

_TOKEN = re.compile(r"\*|(?<=/):\w+|\{\w+\}")
_MAX_LENGTH = 2048


class PathPatternError(InvalidInput):
    """A pattern that cannot be a path: not text, or not starting with `/` (a 400 on the control API)."""


def check(pattern: object, label: str = "path") -> str:
    """The pattern, checked: text of at most 2048 characters starting with `/`."""
    if not isinstance(pattern, str):
        raise PathPatternError(f"{label}: expected a path such as /2/tweets, got {type(pattern).__name__}")
    if not pattern.startswith("/") or len(pattern) > _MAX_LENGTH:
        raise PathPatternError(
            f"{label}: expected a path such as /2/tweets, /2/users/:id/tweets or /1.1/*, got {pattern[:80]!r}"
        )
    return pattern


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    """A regular expression for a pattern with wildcards or parameters; None for an exact path."""
    if _TOKEN.search(pattern) is None:
        return None
    parts: list[str] = []
    last = 0
    for m in _TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[last : m.start()]))
        parts.append(".*" if m.group() == "*" else "[^/]+")
        last = m.end()
    parts.append(re.escape(pattern[last:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def matches(pattern: str, path: str) -> bool:
    """Whether `path` (a request's, without its query) matches `pattern`."""
    if pattern == path:
        return True
    regex = _compiled(pattern)
    return regex is not None and regex.match(path) is not None


def is_exact(pattern: str) -> bool:
    """Whether the pattern names one path only (no `*`, no parameter)."""
    return _compiled(pattern) is None
