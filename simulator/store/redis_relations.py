"""The Redis store's relations: per kind and id, a sorted set of the other ends scored by the edge's time,
kept both ways so followers and following are each one range read."""

from __future__ import annotations

from xmock.simulator import events
from xmock.simulator.store.memory_events import EVENT_LOG_SIZE
from xmock.simulator.store.redis_base import RedisPlumbing
from xmock.simulator.store.redis_events import event_json


class RedisRelations(RedisPlumbing):
    """Part of RedisStore."""

    def _out(self, kind: str, node: str) -> str:
        return self.k("edge", kind, "out", node)

    def _in(self, kind: str, node: str) -> str:
        return self.k("edge", kind, "in", node)

    def set_edge(self, kind: str, src: str, dst: str, on: bool, at: float) -> bool:
        keys = [self._out(kind, src), self._in(kind, dst), self.k("events")]
        event = events.edge_changed(kind, src, dst, on, at)
        payload = "" if event is None else event_json(event)
        return bool(self.run("SET_EDGE", keys, [src, dst, "1" if on else "0", repr(at), payload, EVENT_LOG_SIZE]))

    def edge_at(self, kind: str, src: str, dst: str) -> float | None:
        score = self.r.zscore(self._out(kind, src), dst)
        return None if score is None else float(score)

    def edges_from(self, kind: str, src: str) -> list[tuple[str, float]]:
        return [(m, float(s)) for m, s in self.r.zrevrange(self._out(kind, src), 0, -1, withscores=True)]

    def edges_to(self, kind: str, dst: str) -> list[tuple[str, float]]:
        return [(m, float(s)) for m, s in self.r.zrevrange(self._in(kind, dst), 0, -1, withscores=True)]

    def count_edges(self, kind: str, node: str, incoming: bool = False) -> int:
        return int(self.r.zcard(self._in(kind, node) if incoming else self._out(kind, node)))

    def drop_edges(self, kind: str, node: str) -> None:
        self.run("DROP_EDGES", [self._out(kind, node), self._in(kind, node)], [node, self.k("edge", kind, "")])
