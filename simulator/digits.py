"""Numbers in request input, read strictly: ASCII digits only, as X's patterns (`^[0-9]{1,19}$`) mean them.

`str.isdigit()` also accepts superscripts ("²") and other scripts' digits ("٣"), which `int()` then refuses
or reads; `int()` itself accepts signs, spaces and underscores. Every number taken from a request goes
through here, so a bad one gets the caller's X error and never a 500.
"""

from __future__ import annotations

import re

# An X id: 1 to 19 ASCII digits and nothing else (`\Z`, not `$`, which also matches before a final newline).
ID = re.compile(r"[0-9]{1,19}\Z")


def is_digits(value: object, max_len: int = 19) -> bool:
    """True for a non-empty string of at most `max_len` ASCII digits."""
    return isinstance(value, str) and 0 < len(value) <= max_len and value.isascii() and value.isdigit()


def is_id(value: object) -> bool:
    return is_digits(value, 19)


def parse(value: object, max_len: int = 19) -> int | None:
    """The number an ASCII-digit string spells, or None for anything else (too long included)."""
    return int(value) if is_digits(value, max_len) else None  # type: ignore[arg-type]
