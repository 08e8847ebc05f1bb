"""The simulator's control operations on broadcasts: arrange one (live now, or scheduled) for a user, as the
scheduler would make it (simulator/broadcasts.py). Chat and schedules are then driven through the X surface."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import broadcasts
from xmock.simulator.clock import parse_instant
from xmock.simulator.control.errors import ControlError, InvalidInput, check_bool, check_text

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.ids import Snowflakes
    from xmock.simulator.models import User
    from xmock.simulator.store import Store

DEFAULT_LENGTH = 3600.0  # a broadcast arranged without an end runs an hour


class BroadcastOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock
    ids: Snowflakes

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def get_broadcast(self, broadcast_id: str) -> dict[str, Any]:
        found = broadcasts.get(self.store, str(broadcast_id))
        if found is None:
            raise ControlError(404, f"no broadcast {broadcast_id}")
        return found

    def create_broadcast(
        self,
        owner_id: str,
        title: str = "",
        *,
        scheduled_start: Any = None,
        scheduled_end: Any = None,
        manual_publish: bool = False,
        source_id: str = "stream-key",
        available_for_replay: bool = True,
    ) -> dict[str, Any]:
        """A scheduled broadcast of `owner_id`: live from now for an hour unless given times (epoch seconds or
        ISO 8601); with `manual_publish` it waits for POST .../live."""
        check_text("title", title, max_length=280)
        check_text("source_id", source_id, max_length=200, empty=False)
        check_bool("manual_publish", manual_publish)
        check_bool("available_for_replay", available_for_replay)
        now = self.clock.now()
        start = now if scheduled_start is None else parse_instant(scheduled_start, "scheduled_start")
        end = start + DEFAULT_LENGTH if scheduled_end is None else parse_instant(scheduled_end, "scheduled_end")
        if end <= start:
            raise InvalidInput("scheduled_end: a broadcast cannot end before it starts")
        owner = self.user(owner_id)
        record = {
            "owner_id": owner.id,
            "title": title,
            "source_id": source_id,
            "manual_publish": manual_publish,
            "available_for_replay": available_for_replay,
            "scheduled_broadcast_id": self.ids.next_id(),
            "media_id": self.ids.next_id(),
            "recurring_schedule_id": None,
            "scheduled_start": start,
            "scheduled_end": end,
            "created_at": now,
            "updated_at": now,
        }
        return broadcasts.create(cast("Simulator", self), record)
