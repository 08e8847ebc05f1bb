"""Accounts X has taken down: suspended by X or deactivated by their owner, each with the time it happened.

Kept as ACCOUNT_STATES edges (user -> "suspended" | "deactivated"), so both stores hold them with no
record of their own and the time is the redaction time batch compliance reports. Protection is the
user's `protected` field.
"""

from __future__ import annotations

from xmock.simulator.relations import ACCOUNT_STATES
from xmock.simulator.store import Store

STATES = ("suspended", "deactivated")  # strongest first: a suspended account reads as suspended
ACTIVE = "active"


def state_of(store: Store, user_id: str) -> tuple[str, float] | None:
    """The state that takes the account down and since when, or None for an active account."""
    for state in STATES:
        at = store.edge_at(ACCOUNT_STATES, user_id, state)
        if at is not None:
            return state, at
    return None


def set_state(store: Store, user_id: str, state: str, at: float) -> None:
    """Suspend, deactivate, or (ACTIVE) restore an account; the other state is lifted."""
    for known in STATES:
        if known != state:
            store.set_edge(ACCOUNT_STATES, user_id, known, False, at)
    if state in STATES and store.edge_at(ACCOUNT_STATES, user_id, state) is None:
        store.set_edge(ACCOUNT_STATES, user_id, state, True, at)
