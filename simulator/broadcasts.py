"""Broadcasts (live video): records in the store's "broadcasts" table, owned through BROADCASTS_OWNED edges; chat
messages in "broadcast_chat" (BROADCAST_CHAT edges from their broadcast), chat mutes in "broadcast_mutes".

A broadcast's state is read from the clock, never stored: it runs from its start (going live by hand, or the
scheduled start unless the schedule was made with `manual_publish`) until it ends (its scheduled end) — no timers.
A scheduled broadcast is the same record with its scheduler's id (`scheduled_broadcast_id`, numeric).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import BROADCAST_CHAT, BROADCASTS_OWNED

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.store import Store

TABLE = "broadcasts"
CHAT = "broadcast_chat"
MUTES = "broadcast_mutes"
# The broadcast's state names (as X Activity's broadcast events give them) and the scheduler's.
NOT_STARTED, RUNNING, ENDED = "NotStarted", "Running", "Ended"
SCHEDULER_STATE = {NOT_STARTED: "Scheduled", RUNNING: "Running", ENDED: "Ended"}
MAX_OCCURRENCES = 52  # occurrences one recurring schedule may make (X's cap is not published)


def start_of(b: dict[str, Any]) -> float | None:
    if b.get("went_live_at") is not None:
        return b["went_live_at"]
    return None if b.get("manual_publish") else b.get("scheduled_start")


def state(b: dict[str, Any], now: float) -> str:
    end = b.get("ended_at") if b.get("ended_at") is not None else b.get("scheduled_end")
    if end is not None and now >= end:
        return ENDED
    start = start_of(b)
    if start is not None and now >= start:
        return RUNNING
    return NOT_STARTED


def new_id(sim: Simulator) -> str:
    """Broadcast ids: 13 letters and digits (the spec's ^[a-zA-Z0-9]{1,13}$), starting with 1."""
    while True:
        broadcast_id = "1" + sim.random.token(12)
        if sim.store.get_record(TABLE, broadcast_id) is None:
            return broadcast_id


def get(store: Store, broadcast_id: str) -> dict[str, Any] | None:
    return store.get_record(TABLE, broadcast_id)


def put(store: Store, b: dict[str, Any]) -> None:
    store.put_record(TABLE, b["id"], b)


def create(sim: Simulator, b: dict[str, Any]) -> dict[str, Any]:
    b = {**b, "id": new_id(sim)}
    put(sim.store, b)
    sim.store.set_edge(BROADCASTS_OWNED, b["owner_id"], b["id"], True, b["created_at"])
    return b


def delete(store: Store, b: dict[str, Any]) -> None:
    for message_id, _ in store.edges_from(BROADCAST_CHAT, b["id"]):
        store.delete_record(CHAT, message_id)
    store.drop_edges(BROADCAST_CHAT, b["id"])
    store.set_edge(BROADCASTS_OWNED, b["owner_id"], b["id"], False, 0.0)
    store.delete_record(TABLE, b["id"])


def mute_key(broadcast_id: str, user_id: str) -> str:
    return f"{broadcast_id}:{user_id}"


def muted(store: Store, broadcast_id: str, user_id: str, now: float) -> bool:
    mute = store.get_record(MUTES, mute_key(broadcast_id, user_id))
    return mute is not None and (mute.get("end_at") is None or now < mute["end_at"])


def new_message_id(store: Store, now: float) -> str:
    """A chat message's id is its server timestamp in nanoseconds (the send answer's `timestamp`)."""
    n = int(now * 1_000_000_000)
    while store.get_record(CHAT, str(n)) is not None:
        n += 1
    return str(n)
