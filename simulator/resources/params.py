"""What handlers read from a request's path, and the refusals X gives for it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xmock.simulator import digits, errors

if TYPE_CHECKING:
    from xmock.simulator.pipeline import Call


def path_id(call: Call, name: str = "id") -> str:
    """A numeric id in the path (`{id}`, `{list_id}`, ...), or X's 400 naming the pattern it missed."""
    return path_param(call, name, digits.ID, "^[0-9]{1,19}$")


def path_param(call: Call, name: str, regex: re.Pattern[str], pattern: str) -> str:
    """A path parameter that must match `regex` (the spec's `pattern`, as X's 400 shows it)."""
    value = call.params[name]
    if not regex.match(value):
        raise errors.pattern_mismatch(name, value, pattern)
    return value


def missing(call: Call, resource_type: str, parameter: str, value: str, what: str | None = None) -> errors.XError:
    """The answer for a resource that does not exist (or not for the caller): X's not-found problem, with the
    status the `missing_resource_status` setting gives it."""
    return errors.missing_resource(
        call.sim.settings.missing_resource_status, errors.not_found_error(resource_type, parameter, value, what)
    )
