"""The Redis store's streaming state: filtered-stream rules (a hash of records and a hash of values, changed
together in one script so duplicates and the rule cap hold across processes), stream connections (records,
and per app and stream the set of open ones whose size is the connection cap) and webhook links."""

from __future__ import annotations

import json
from typing import Any

from xmock.simulator.store.redis_base import RedisPlumbing

# KEYS: rules hash, values hash. ARGV: cap, then (id, value, record) triples. Returns the duplicates as JSON
# {value: existing id}, with "full" set when the new rules would pass the cap (then nothing is added).
_ADD_RULES = """
local dups, fresh, seen = {}, {}, {}
for i = 2, #ARGV, 3 do
  local value = ARGV[i + 1]
  local have = redis.call('HGET', KEYS[2], value) or seen[value]
  if have then dups[value] = have else seen[value] = ARGV[i]; fresh[#fresh + 1] = i end
end
local out = {duplicates = dups, full = false}
if redis.call('HLEN', KEYS[1]) + #fresh > tonumber(ARGV[1]) then
  out.full = true
  return cjson.encode(out)
end
for _, i in ipairs(fresh) do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i])
end
return cjson.encode(out)
"""

# KEYS: rules hash, values hash. ARGV: ids to delete, or none for all. Returns the ids deleted.
_DELETE_RULES = """
local ids = ARGV
if #ids == 0 then ids = redis.call('HKEYS', KEYS[1]) end
local gone = {}
for _, id in ipairs(ids) do
  local text = redis.call('HGET', KEYS[1], id)
  if text then
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], cjson.decode(text).value)
    gone[#gone + 1] = id
  end
end
return gone
"""

# KEYS: connections hash, the stream's open set, the app's connection set. ARGV: id, record, cap.
_OPEN = """
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""

# KEYS: connections hash. ARGV: id, time, reason, open-set key prefix. Closes an open connection once.
_CLOSE = """
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return 0 end
local conn = cjson.decode(text)
if conn.disconnected_at ~= cjson.null and conn.disconnected_at ~= nil then return 0 end
conn.disconnected_at = tonumber(ARGV[2])
conn.disconnect_reason = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(conn))
redis.call('SREM', ARGV[4] .. conn.app_id .. ':' .. conn.endpoint, ARGV[1])
return 1
"""


class RedisStreams(RedisPlumbing):
    """Part of RedisStore."""

    def _stream_script(self, name: str, text: str, keys: list[str], args: list[Any]) -> Any:
        script = self._scripts.get(name)
        if script is None:
            script = self._scripts[name] = self.r.register_script(text)
        return script(keys=keys, args=args)

    def stream_rules(self, app_id: str) -> list[dict[str, Any]]:
        found = self.r.hgetall(self.k("srules", app_id))
        return [json.loads(found[i]) for i in sorted(found, key=lambda i: (len(i), i))]

    def add_stream_rules(self, app_id: str, rules: list[dict[str, Any]], cap: int) -> dict[str, Any]:
        args: list[Any] = [cap]
        for rule in rules:
            args += [rule["id"], rule["value"], json.dumps(rule)]
        keys = [self.k("srules", app_id), self.k("srulev", app_id)]
        out = json.loads(self._stream_script("ADD_RULES", _ADD_RULES, keys, args))
        dups = out.get("duplicates")
        return {"full": bool(out.get("full")), "duplicates": dups if isinstance(dups, dict) else {}}

    def delete_stream_rules(self, app_id: str, ids: list[str] | None) -> list[str]:
        if ids is not None and not ids:
            return []
        keys = [self.k("srules", app_id), self.k("srulev", app_id)]
        return list(self._stream_script("DELETE_RULES", _DELETE_RULES, keys, ids or []))

    def open_stream_connection(self, conn: dict[str, Any], cap: int) -> bool:
        keys = [self.k("sconn"), self.k("sopen", conn["app_id"], conn["endpoint"]), self.k("sconns", conn["app_id"])]
        return bool(self._stream_script("OPEN", _OPEN, keys, [conn["id"], json.dumps(conn), cap]))

    def close_stream_connection(self, conn_id: str, at: float, reason: str) -> bool:
        args = [conn_id, repr(at), reason, self.k("sopen", "")]
        return bool(self._stream_script("CLOSE", _CLOSE, [self.k("sconn")], args))

    def stream_connection(self, conn_id: str) -> dict[str, Any] | None:
        text = self.r.hget(self.k("sconn"), conn_id)
        return _conn(text) if text else None

    def stream_connections(self, app_id: str) -> list[dict[str, Any]]:
        ids = sorted(self.r.smembers(self.k("sconns", app_id)))
        if not ids:
            return []
        return [_conn(text) for text in self.r.hmget(self.k("sconn"), ids) if text]

    def set_stream_link(self, app_id: str, webhook_id: str, link: dict[str, Any] | None) -> bool:
        key = self.k("slinks", app_id)
        if link is None:
            return bool(self.r.hdel(key, webhook_id))
        self.r.hset(key, webhook_id, json.dumps(link))
        return True

    def stream_links(self, app_id: str) -> list[dict[str, Any]]:
        return [json.loads(text) for text in self.r.hgetall(self.k("slinks", app_id)).values()]


def _conn(text: str) -> dict[str, Any]:
    conn = json.loads(text)
    conn.setdefault("disconnected_at", None)  # Lua's cjson drops a null on re-encoding
    conn.setdefault("disconnect_reason", None)
    return conn
