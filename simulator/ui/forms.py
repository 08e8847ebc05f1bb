"""Reading a UI form into what the control API's JSON body would hold: blanks left out, numbers as numbers."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import FormData

from xmock.simulator.control.errors import InvalidInput


def text_fields(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: str(form[n]).strip() for n in names if str(form.get(n) or "").strip()}


def numbers(fields: dict[str, Any], ints: tuple[str, ...] = (), floats: tuple[str, ...] = ()) -> dict[str, Any]:
    """Numbers typed in a form, as numbers; what is not one is named as the control API would name it."""
    for name in ints:
        if name in fields:
            try:
                fields[name] = int(fields[name])
            except ValueError:
                raise InvalidInput(f"{name}: expected a whole number, got {fields[name]!r}") from None
    for name in floats:
        if name in fields:
            try:
                fields[name] = float(fields[name])
            except ValueError:
                raise InvalidInput(f"{name}: expected a number, got {fields[name]!r}") from None
    return fields


def json_field(fields: dict[str, Any], name: str) -> dict[str, Any]:
    if name in fields:
        try:
            fields[name] = json.loads(fields[name])
        except ValueError:
            raise InvalidInput(f"{name}: expected JSON") from None
    return fields
