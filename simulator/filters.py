"""What an evidence filter (`journal(app=...)`, `ledger(app)`, `assert_requested(..., user=...)`) accepts:
an id, or the object that carries it (an `App`, a `User`, the pytest plugin's `XUser`, an `Account`).

Anything else is refused with a TypeError that names the filter: a filter that silently matches nothing
hides the mistake it was meant to catch. Messages show types and ids only, never an object's fields
(an app or a user with tokens carries secrets).
"""

from __future__ import annotations

from typing import Any

from xmock.simulator.models import Account, App, User

# Which objects each filter takes, and how each gives its id.
_KINDS: dict[str, tuple[type, ...]] = {"app": (App,), "user": (User,), "account": (Account, App)}


def resolve(name: str, value: Any) -> str | None:
    """The id a filter stands for: None stays None, an id (text or integer) stays as it is, an object gives its id."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if name == "account" and isinstance(value, App):
        return value.account_id
    if isinstance(value, _KINDS.get(name, ())):
        return str(value.id)
    inner = getattr(value, "user", None) if name == "user" else None
    if isinstance(inner, User):  # the plugin's XUser: a user with credentials
        return inner.id
    accepted = ", ".join(t.__name__ for t in _KINDS.get(name, ()))
    raise TypeError(
        f"{name}=: expected an id (text or integer){' or ' + accepted if accepted else ''}"
        f"{', or an XUser' if name == 'user' else ''}, got {type(value).__name__}"
    )
