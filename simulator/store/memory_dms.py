"""The in-memory store's direct messages: DM events are records; who is in a conversation and which events it
holds are edges (DM_PARTICIPANTS, DM_EVENTS), changed with the record under one lock."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from xmock.simulator import events
from xmock.simulator.models import DmEvent
from xmock.simulator.relations import DM_EVENTS, DM_PARTICIPANTS


class DmTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _dm_events: dict[str, DmEvent]

    if TYPE_CHECKING:  # RelationTables' and EventTables' operations, on the same object

        def set_edge(self, kind: str, src: str, dst: str, on: bool, at: float) -> bool: ...
        def edges_from(self, kind: str, src: str) -> list[tuple[str, float]]: ...
        def append_event(self, event: dict[str, Any]) -> str: ...

    def add_dm_event(self, event: DmEvent, joined: tuple[str, ...] = (), left: tuple[str, ...] = ()) -> list[str]:
        with self._lock:
            self._dm_events[event.id] = event
            conversation = event.dm_conversation_id
            self.set_edge(DM_EVENTS, conversation, event.id, True, event.created_at)
            for user_id in joined:
                self.set_edge(DM_PARTICIPANTS, conversation, user_id, True, event.created_at)
            # Who leaves still sees the event that says so: the log names them among the participants.
            participants = [user_id for user_id, _ in self.edges_from(DM_PARTICIPANTS, conversation)]
            for user_id in left:
                self.set_edge(DM_PARTICIPANTS, conversation, user_id, False, event.created_at)
        # Appended outside the lock, as every event is: listeners run in this thread.
        self.append_event(events.dm_created(event, participants))
        return participants

    def get_dm_event(self, event_id: str) -> DmEvent | None:
        return self._dm_events.get(event_id)

    def delete_dm_event(self, event_id: str, at: float) -> DmEvent | None:
        with self._lock:
            event = self._dm_events.pop(event_id, None)
            if event is not None:
                self.set_edge(DM_EVENTS, event.dm_conversation_id, event.id, False, at)
        if event is not None:
            self.append_event(events.dm_deleted(event, at))
        return event
