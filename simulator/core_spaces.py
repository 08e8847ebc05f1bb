"""The simulator's control operations on Spaces: create one (scheduled, live or already over), start or end it now,
sell tickets, share posts in it. The state a lookup shows follows from these times and the clock (simulator/spaces)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import spaces
from xmock.simulator.clock import parse_instant
from xmock.simulator.control.errors import ControlError, InvalidInput, check_bool, check_int, check_text, shown
from xmock.simulator.relations import SPACE_BUYERS, SPACE_POSTS

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import User
    from xmock.simulator.store import Store

TITLE_LENGTH = 70  # X's limit on a Space's title
MAX_PEOPLE = 100  # hosts, speakers or invited users per Space
MAX_COUNT = 10**9
TOPIC_FIELDS = ("id", "name", "description")


class SpaceOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def get_space(self, space_id: str) -> dict[str, Any]:
        space = spaces.get(self.store, str(space_id))
        if space is None:
            raise ControlError(404, f"no Space {space_id}")
        return space

    def create_space(
        self,
        creator_id: str,
        title: str = "",
        *,
        scheduled_start: Any = None,
        started_at: Any = None,
        ended_at: Any = None,
        is_ticketed: bool = False,
        lang: str = "en",
        host_ids: Sequence[str] = (),
        speaker_ids: Sequence[str] = (),
        invited_user_ids: Sequence[str] = (),
        topics: Sequence[dict[str, str]] = (),
        participant_count: int = 0,
        subscriber_count: int = 0,
        created_at: Any = None,
    ) -> dict[str, Any]:
        """A Space hosted by `creator_id`. With no times it is live from now; `scheduled_start` alone makes it
        scheduled until the clock reaches it; `ended_at` ends it then. Times: epoch seconds or ISO 8601.
        `created_at` (default now) dates the Space's making, as the audience dates its actions."""
        check_text("title", title, max_length=TITLE_LENGTH)
        check_text("lang", lang, max_length=8)
        check_bool("is_ticketed", is_ticketed)
        now = self.clock.now() if created_at is None else parse_instant(created_at, "created_at")
        given = {"scheduled_start": scheduled_start, "started_at": started_at, "ended_at": ended_at}
        times = {name: None if value is None else parse_instant(value, name) for name, value in given.items()}
        if times["scheduled_start"] is None and times["started_at"] is None:
            times["started_at"] = now
        start = times["started_at"] if times["started_at"] is not None else times["scheduled_start"]
        if times["ended_at"] is not None and times["ended_at"] < start:
            raise InvalidInput("ended_at: a Space cannot end before it starts")
        creator = self.user(creator_id)
        listed = {"host_ids": host_ids, "speaker_ids": speaker_ids, "invited_user_ids": invited_user_ids}
        people = {name: self._people(name, ids) for name, ids in listed.items()}
        record = {
            "creator_id": creator.id,
            "title": title,
            "lang": lang,
            "is_ticketed": is_ticketed,
            "host_ids": people["host_ids"] or [creator.id],
            "speaker_ids": people["speaker_ids"],
            "invited_user_ids": people["invited_user_ids"],
            "topics": self._topics(topics),
            "participant_count": check_int("participant_count", participant_count, 0, MAX_COUNT),
            "subscriber_count": check_int("subscriber_count", subscriber_count, 0, MAX_COUNT),
            "created_at": now,
            "updated_at": now,
            **times,
        }
        return spaces.create(cast("Simulator", self), record)

    def _people(self, label: str, ids: Sequence[str]) -> list[str]:
        if not isinstance(ids, list | tuple) or len(ids) > MAX_PEOPLE:
            raise InvalidInput(f"{label}: expected a list of up to {MAX_PEOPLE} user ids")
        found = []
        for user_id in ids:
            if not isinstance(user_id, str | int) or isinstance(user_id, bool):
                raise InvalidInput(f"{label}: expected user ids, got {shown(user_id)}")
            found.append(self.user(str(user_id)).id)
        return list(dict.fromkeys(found))

    @staticmethod
    def _topics(topics: Sequence[dict[str, str]]) -> list[dict[str, str]]:
        if not isinstance(topics, list | tuple) or len(topics) > MAX_PEOPLE:
            raise InvalidInput(f"topics: expected a list of up to {MAX_PEOPLE} topics ({{id, name, description?}})")
        out = []
        for i, topic in enumerate(topics):
            if not isinstance(topic, dict) or not {"id", "name"} <= topic.keys() or topic.keys() - set(TOPIC_FIELDS):
                raise InvalidInput(f"topics[{i}]: expected {{id, name, description?}}, got {shown(topic)}")
            out.append({k: check_text(f"topics[{i}].{k}", v, max_length=200) for k, v in topic.items()})
        return out

    def start_space(self, space_id: str) -> dict[str, Any]:
        """Start a scheduled Space now (a live or ended one is left as it is)."""
        space = self.get_space(space_id)
        now = self.clock.now()
        if spaces.state(space, now) == "scheduled":
            space = {**space, "started_at": now, "updated_at": now}
            spaces.replace(self.store, space)
        return space

    def end_space(self, space_id: str) -> dict[str, Any]:
        """End a Space now (one not started yet never goes live); an ended Space is left as it is."""
        space = self.get_space(space_id)
        now = self.clock.now()
        if spaces.state(space, now) != "ended":
            if spaces.state(space, now) == "scheduled":
                space = {**space, "started_at": now}
            space = {**space, "ended_at": now, "updated_at": now}
            spaces.replace(self.store, space)
        return space

    def buy_space_ticket(self, space_id: str, user_id: str) -> bool:
        """`user_id` buys a ticket to a ticketed Space now; True if they had none."""
        space, user = self.get_space(space_id), self.user(user_id)
        if not space["is_ticketed"]:
            raise ControlError(409, f"Space {space['id']} is not ticketed")
        if user.id == space["creator_id"]:
            raise ControlError(409, "a Space's creator does not buy a ticket to it")
        return self.store.set_edge(SPACE_BUYERS, space["id"], user.id, True, self.clock.now())

    def share_in_space(self, space_id: str, post_id: str) -> bool:
        """Share a post in a Space (a post whose text links the Space is shared already)."""
        space = self.get_space(space_id)
        post = self.store.get_post(str(post_id))
        if post is None:
            raise ControlError(404, f"no post {post_id}")
        return self.store.set_edge(SPACE_POSTS, space["id"], post.id, True, post.created_at)
