"""The Redis store's polls and places: one hash each (a record is written whole, so no script is needed)."""

from __future__ import annotations

from xmock.simulator.models import Place, Poll
from xmock.simulator.store.codec import dumps, loads
from xmock.simulator.store.redis_base import RedisPlumbing


class RedisPostFields(RedisPlumbing):
    def put_poll(self, poll: Poll) -> None:
        self.r.hset(self.k("polls"), poll.id, dumps(poll))

    def get_poll(self, poll_id: str) -> Poll | None:
        return self._load(Poll, self.r.hget(self.k("polls"), poll_id))

    def put_place(self, place: Place) -> None:
        self.r.hset(self.k("places"), place.id, dumps(place))

    def get_place(self, place_id: str) -> Place | None:
        return self._load(Place, self.r.hget(self.k("places"), place_id))

    def list_places(self) -> list[Place]:
        return sorted((loads(Place, t) for t in self.r.hvals(self.k("places"))), key=lambda p: p.id)
