"""The Redis store's direct messages: DM events in one hash; a conversation's participants and events are edges
(see redis_relations), written with the record in one script so a reader never sees one without the other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator import events
from xmock.simulator.models import DmEvent
from xmock.simulator.relations import DM_EVENTS, DM_PARTICIPANTS
from xmock.simulator.store.codec import dumps
from xmock.simulator.store.redis_base import RedisPlumbing

# KEYS: the DM events hash. ARGV: id, record, conversation, time, edge key prefix ("...:edge:"), the DM_EVENTS
# and DM_PARTICIPANTS kinds, the number joining, then who joins and who leaves. Answers the participants
# (newest first) as they were when the event happened: those leaving included.
_ADD_DM_EVENT = """
local id, conv, at, prefix = ARGV[1], ARGV[3], ARGV[4], ARGV[5]
local ev, pa = prefix .. ARGV[6] .. ':', prefix .. ARGV[7] .. ':'
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('ZADD', ev .. 'out:' .. conv, at, id)
redis.call('ZADD', ev .. 'in:' .. id, at, conv)
local joining = tonumber(ARGV[8])
for i = 9, 8 + joining do
  if not redis.call('ZSCORE', pa .. 'out:' .. conv, ARGV[i]) then
    redis.call('ZADD', pa .. 'out:' .. conv, at, ARGV[i])
    redis.call('ZADD', pa .. 'in:' .. ARGV[i], at, conv)
  end
end
local participants = redis.call('ZREVRANGE', pa .. 'out:' .. conv, 0, -1)
for i = 9 + joining, #ARGV do
  redis.call('ZREM', pa .. 'out:' .. conv, ARGV[i])
  redis.call('ZREM', pa .. 'in:' .. ARGV[i], conv)
end
return participants
"""

# KEYS: the DM events hash. ARGV: id, the DM_EVENTS edge key prefix ("...:edge:dm_events:").
_DELETE_DM_EVENT = """
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local inn = ARGV[2] .. 'in:' .. ARGV[1]
for _, conv in ipairs(redis.call('ZRANGE', inn, 0, -1)) do redis.call('ZREM', ARGV[2] .. 'out:' .. conv, ARGV[1]) end
redis.call('DEL', inn)
return text
"""


class RedisDms(RedisPlumbing):
    """Part of RedisStore."""

    if TYPE_CHECKING:

        def append_event(self, event: dict[str, Any]) -> str: ...

    def _dm_script(self, name: str, text: str, keys: list[str], args: list[Any]) -> Any:
        script = self._scripts.get(name)
        if script is None:
            script = self._scripts[name] = self.r.register_script(text)
        return script(keys=keys, args=args)

    def add_dm_event(self, event: DmEvent, joined: tuple[str, ...] = (), left: tuple[str, ...] = ()) -> list[str]:
        args = [
            event.id,
            dumps(event),
            event.dm_conversation_id,
            repr(event.created_at),
            self.k("edge", ""),
            DM_EVENTS,
            DM_PARTICIPANTS,
            len(joined),
            *joined,
            *left,
        ]
        participants = [str(p) for p in self._dm_script("ADD_DM_EVENT", _ADD_DM_EVENT, [self.k("dms")], args)]
        self.append_event(events.dm_created(event, participants))
        return participants

    def get_dm_event(self, event_id: str) -> DmEvent | None:
        return self._load(DmEvent, self.r.hget(self.k("dms"), event_id))

    def delete_dm_event(self, event_id: str, at: float) -> DmEvent | None:
        text = self._dm_script(
            "DELETE_DM_EVENT", _DELETE_DM_EVENT, [self.k("dms")], [event_id, self.k("edge", DM_EVENTS, "")]
        )
        event = self._load(DmEvent, text)
        if event is not None:
            self.append_event(events.dm_deleted(event, at))
        return event
