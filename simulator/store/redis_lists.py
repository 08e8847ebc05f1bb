"""The Redis store's lists and bookmark folders: records in two hashes; ownership, membership, follows and pins
are edges (see redis_relations), changed with the record in one script where both must agree."""

from __future__ import annotations

from typing import Any

from xmock.simulator.models import BookmarkFolder, XList
from xmock.simulator.relations import BOOKMARK_FOLDERS, LIST_FOLLOWS, LIST_MEMBERS, OWNED_LISTS, PINNED_LISTS
from xmock.simulator.store.codec import dumps
from xmock.simulator.store.redis_base import RedisPlumbing

# KEYS: src's out set, dst's in set. ARGV: src, dst, time, cap. An edge is added only while src has fewer than cap.
_ADD_EDGE_CAPPED = """
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 'kept' end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 'full' end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 'added'
"""

# KEYS: the lists hash, the owner's OWNED_LISTS out set, the list's in set. ARGV: id, record, owner, time, cap.
_ADD_LIST = """
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return 1
"""

_REPLACE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: the lists hash. ARGV: id, the edge key prefix ("...:edge:"), then the edge kinds to drop both ways.
_DELETE_LIST = """
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
for i = 3, #ARGV do
  local base = ARGV[2] .. ARGV[i] .. ':'
  local out, inn = base .. 'out:' .. ARGV[1], base .. 'in:' .. ARGV[1]
  for _, dst in ipairs(redis.call('ZRANGE', out, 0, -1)) do redis.call('ZREM', base .. 'in:' .. dst, ARGV[1]) end
  for _, src in ipairs(redis.call('ZRANGE', inn, 0, -1)) do redis.call('ZREM', base .. 'out:' .. src, ARGV[1]) end
  redis.call('DEL', out, inn)
end
return text
"""

# KEYS: the folders hash, the owner's BOOKMARK_FOLDERS out set, the folder's in set. ARGV: id, record, owner, time.
_ADD_FOLDER = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return 1
"""


class RedisLists(RedisPlumbing):
    """Part of RedisStore."""

    def _script(self, name: str, text: str, keys: list[str], args: list[Any]) -> Any:
        script = self._scripts.get(name)
        if script is None:
            script = self._scripts[name] = self.r.register_script(text)
        return script(keys=keys, args=args)

    def _edge_key(self, kind: str, way: str, node: str) -> str:
        return self.k("edge", kind, way, node)

    def add_edge_capped(self, kind: str, src: str, dst: str, at: float, cap: int) -> str:
        keys = [self._edge_key(kind, "out", src), self._edge_key(kind, "in", dst)]
        return str(self._script("ADD_EDGE_CAPPED", _ADD_EDGE_CAPPED, keys, [src, dst, repr(at), cap]))

    def add_list(self, lst: XList, cap: int) -> bool:
        keys = [
            self.k("lists"),
            self._edge_key(OWNED_LISTS, "out", lst.owner_id),
            self._edge_key(OWNED_LISTS, "in", lst.id),
        ]
        args = [lst.id, dumps(lst), lst.owner_id, repr(lst.created_at), cap]
        return bool(self._script("ADD_LIST", _ADD_LIST, keys, args))

    def replace_list(self, lst: XList) -> bool:
        return bool(self._script("REPLACE_RECORD", _REPLACE, [self.k("lists")], [lst.id, dumps(lst)]))

    def get_list(self, list_id: str) -> XList | None:
        return self._load(XList, self.r.hget(self.k("lists"), list_id))

    def delete_list(self, list_id: str) -> XList | None:
        kinds = [OWNED_LISTS, LIST_MEMBERS, LIST_FOLLOWS, PINNED_LISTS]
        text = self._script("DELETE_LIST", _DELETE_LIST, [self.k("lists")], [list_id, self.k("edge", ""), *kinds])
        return self._load(XList, text)

    def add_bookmark_folder(self, folder: BookmarkFolder) -> None:
        keys = [
            self.k("folders"),
            self._edge_key(BOOKMARK_FOLDERS, "out", folder.owner_id),
            self._edge_key(BOOKMARK_FOLDERS, "in", folder.id),
        ]
        args = [folder.id, dumps(folder), folder.owner_id, repr(folder.created_at)]
        self._script("ADD_FOLDER", _ADD_FOLDER, keys, args)

    def get_bookmark_folder(self, folder_id: str) -> BookmarkFolder | None:
        return self._load(BookmarkFolder, self.r.hget(self.k("folders"), folder_id))
