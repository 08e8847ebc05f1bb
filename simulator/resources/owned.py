"""Owned reads: a user's own data read through the app their developer account owns costs less (X, April 2026)."""

from __future__ import annotations

from collections.abc import Callable

from xmock.simulator.pipeline import Call


def is_owned_read(call: Call) -> bool:
    user, app = call.auth.user, call.auth.app
    if user is None or app is None or call.params.get("id") != user.id:
        return False
    account = call.sim.store.get_account(app.account_id)
    return account is not None and account.owner_user_id == user.id


def owned_or(price_class: str) -> Callable[[Call], str]:
    """A price refinement: the owned-read price for one's own data, `price_class` otherwise."""

    def refine(call: Call) -> str:
        return "OwnedRead" if is_owned_read(call) else price_class

    return refine
