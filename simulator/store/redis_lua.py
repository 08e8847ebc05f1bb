"""The Redis store's atomic operations, as Lua scripts (each runs alone on the server).

Numbers cross as strings: Lua's numbers are doubles, exact for the integer credit units
(1e-8 dollars, up to about 90 million dollars) and for epoch seconds to the microsecond.
"""

# Canonical dollar text of integer units, as simulator.money.money_str writes it.
_MONEY = """
local function money(units)
  local neg = units < 0
  if neg then units = -units end
  local whole = math.floor(units / 1e8)
  local frac = string.format('%08.0f', units - whole * 1e8):gsub('0+$', '')
  if #frac < 2 then frac = frac .. string.rep('0', 2 - #frac) end
  return (neg and '-' or '') .. string.format('%.0f', whole) .. '.' .. frac
end
"""

# KEYS: apps, apps by consumer key, apps by client id, control. ARGV: id, json, consumer key,
# client id, mode, new cache generation (a replaced app must leave every process's cache).
PUT_APP = """
local id, js, ck, cid, mode = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local old = redis.call('HGET', KEYS[1], id)
local owner = redis.call('HGET', KEYS[2], ck)
if owner and owner ~= id then return 'consumer key already in use' end
owner = redis.call('HGET', KEYS[3], cid)
if owner and owner ~= id then return 'client id already in use' end
if mode == 'add' then
  if old then return 'app ' .. id .. ' already exists' end
else
  if not old then return 'missing' end
  local o = cjson.decode(old)
  redis.call('HDEL', KEYS[2], o.consumer_key)
  redis.call('HDEL', KEYS[3], o.client_id)
  redis.call('HSET', KEYS[4], 'generation', ARGV[6])
end
redis.call('HSET', KEYS[1], id, js)
redis.call('HSET', KEYS[2], ck, id)
redis.call('HSET', KEYS[3], cid, id)
return {old or ''}
"""

# KEYS: index hash, records hash. ARGV: index key. The record an index entry points at.
LOOKUP = """
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[2], id)
"""

# KEYS: users, users by lower-case name. ARGV: id, lower-case name, json.
ADD_USER = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 'user ' .. ARGV[1] .. ' already exists' end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'taken' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return ''
"""

# KEYS: nonce. ARGV: expires at, now, milliseconds to keep the key.
NONCE = """
local seen = redis.call('GET', KEYS[1])
if seen and tonumber(seen) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""

# Fixed windows starting at a bucket's first call; all buckets count the call or none does. Bucket i is
# the hash KEYS[ko + i] with its limit and window seconds at ARGV[ao + 2i - 1] and ARGV[ao + 2i].
_WINDOWS = """
local function count_windows(ko, ao, n, now)
  local starts, used, allowed = {}, {}, true
  for i = 1, n do
    local limit, window = tonumber(ARGV[ao + 2 * i - 1]), tonumber(ARGV[ao + 2 * i])
    local v = redis.call('HMGET', KEYS[ko + i], 's', 'u')
    local s, u = tonumber(v[1]), tonumber(v[2])
    if not s or now >= s + window then s = now; u = 0 end
    starts[i], used[i] = s, u
    if u >= limit then allowed = false end
  end
  local out = {}
  for i = 1, n do
    if allowed then
      used[i] = used[i] + 1
      redis.call('HSET', KEYS[ko + i], 's', string.format('%.6f', starts[i]), 'u', used[i])
      redis.call('PEXPIRE', KEYS[ko + i], math.floor((tonumber(ARGV[ao + 2 * i]) + 3600) * 1000))
    end
    out[#out + 1] = used[i]
    out[#out + 1] = string.format('%.6f', starts[i])
  end
  return allowed, out
end
"""

# KEYS: one window hash per bucket. ARGV: now, then limit and window seconds per bucket.
RATE_HIT = (
    _WINDOWS
    + """
local allowed, states = count_windows(0, 1, #KEYS, tonumber(ARGV[1]))
table.insert(states, 1, allowed and 1 or 0)
return states
"""
)

# KEYS: the 429 marker. ARGV: until, now, milliseconds to keep the key.
NOTE_LIMITED = """
local current = redis.call('GET', KEYS[1])
if current and tonumber(ARGV[2]) < tonumber(current) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""

# KEYS: balances, ledger. ARGV: app, delta units, floor units or '', ledger entry without its
# closing brace, amount text. Returns the new balance in units, or nil when below the floor.
ADJUST_CREDITS = (
    _MONEY
    + """
local balance = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') + tonumber(ARGV[2])
if ARGV[3] ~= '' and balance < tonumber(ARGV[3]) then return false end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f', balance))
redis.call('RPUSH', KEYS[2], ARGV[4] .. ',"amount":"' .. ARGV[5] .. '","balance":"' .. money(balance) .. '"}')
return string.format('%.0f', balance)
"""
)

# Each resource (ARGV[first], ARGV[first + 2], ... with its price units after it) charged at most once
# in the day's set; one ledger entry (`head`, an entry without its closing brace) for what was new.
_CHARGE = """
local function charge(balances, ledger, charged, app, head, keep_ms, first)
  local fresh, total = {}, 0
  for i = first, #ARGV, 2 do
    if redis.call('SADD', charged, ARGV[i]) == 1 then
      fresh[#fresh + 1] = ARGV[i]
      total = total + tonumber(ARGV[i + 1])
    end
  end
  redis.call('PEXPIRE', charged, keep_ms)
  local balance = tonumber(redis.call('HGET', balances, app) or '0')
  if #fresh > 0 then
    balance = balance - total
    redis.call('HSET', balances, app, string.format('%.0f', balance))
    redis.call('RPUSH', ledger, head .. ',"amount":"' .. money(-total) .. '","balance":"' .. money(balance)
      .. '","resource_ids":' .. cjson.encode(fresh) .. '}')
  end
  return total, balance
end
"""

# KEYS: balances, ledger, resources charged today. ARGV: app, ledger entry without its closing
# brace, milliseconds to keep the day's set, then resource key and price units pairs.
CHARGE_RESOURCES = (
    _MONEY
    + _CHARGE
    + """
local total, balance = charge(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], 4)
return {string.format('%.0f', total), string.format('%.0f', balance)}
"""
)

# KEYS: findings list, index by dedupe key, occurrences, last seen. ARGV: json, dedupe or '', time.
ADD_FINDING = """
if ARGV[2] ~= '' then
  local idx = redis.call('HGET', KEYS[2], ARGV[2])
  if idx then
    local n = redis.call('HINCRBY', KEYS[3], idx, 1)
    redis.call('HSET', KEYS[4], idx, ARGV[3])
    return {redis.call('LINDEX', KEYS[1], tonumber(idx)), n}
  end
end
local idx = redis.call('RPUSH', KEYS[1], ARGV[1]) - 1
redis.call('HSET', KEYS[3], idx, 1)
redis.call('HSET', KEYS[4], idx, ARGV[3])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], idx) end
return {ARGV[1], 1}
"""

# KEYS: the log (sorted by time), the sequence counter, and optionally the posts hash. ARGV: now, cutoff
# (entries at or before it go), how many to keep, item json, milliseconds to keep the log, and with the
# posts hash a post id: nothing is logged (nil) unless that post exists (a post's script just before it
# in the same pipeline may have refused it).
TRACK = """
if KEYS[3] and redis.call('HEXISTS', KEYS[3], ARGV[6]) == 0 then return false end
local seq = redis.call('INCR', KEYS[2])
local member = string.format('%016d', seq) .. '|' .. ARGV[4]
redis.call('ZADD', KEYS[1], ARGV[1], member)
if redis.call('ZCARD', KEYS[1]) == 1 and tonumber(ARGV[1]) > tonumber(ARGV[2]) and tonumber(ARGV[3]) >= 1 then
  -- the usual answer (a log nobody else wrote to lately: a new text) without reading the log back
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return {member, ARGV[1]}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
"""

# Like TRACK, members "seq|author|item"; answers only other authors' members (with scores). A hash beside the
# log counts each author's members, so that the usual answer (nobody else wrote) needs no pass over the log.
# KEYS: log, sequence, author counts, optionally posts. ARGV: now, horizon, keep, author, item JSON, expiry ms,
# post id.
TRACK_OTHERS = """
if KEYS[4] and redis.call('HEXISTS', KEYS[4], ARGV[7]) == 0 then return false end
local log, authors = KEYS[1], KEYS[3]
local function author_of(member) return string.match(member, '^%d+|([^|]*)|') end
local function forget(members)
  for i = 1, #members do
    local who = author_of(members[i])
    if redis.call('HINCRBY', authors, who, -1) <= 0 then redis.call('HDEL', authors, who) end
  end
end
if redis.call('EXISTS', authors) == 0 then  -- a log kept before its counts were (or none yet)
  local members = redis.call('ZRANGE', log, 0, -1)
  for i = 1, #members do redis.call('HINCRBY', authors, author_of(members[i]), 1) end
end
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', log, ARGV[1], string.format('%016d', seq) .. '|' .. ARGV[4] .. '|' .. ARGV[5])
redis.call('HINCRBY', authors, ARGV[4], 1)
forget(redis.call('ZRANGEBYSCORE', log, '-inf', ARGV[2]))
redis.call('ZREMRANGEBYSCORE', log, '-inf', ARGV[2])
local excess = redis.call('ZCARD', log) - tonumber(ARGV[3])
if excess > 0 then
  forget(redis.call('ZRANGE', log, 0, excess - 1))
  redis.call('ZREMRANGEBYRANK', log, 0, excess - 1)
end
redis.call('PEXPIRE', log, ARGV[6])
redis.call('PEXPIRE', authors, ARGV[6])
if redis.call('HLEN', authors) <= 1 then return {} end
local mine = '|' .. ARGV[4] .. '|'
local out = {}
local all = redis.call('ZRANGE', log, 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  if string.sub(all[i], 17, 16 + #mine) ~= mine then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
"""

# KEYS: fault rules, remaining counts, applications, order, control. ARGV: fault id, new generation.
TAKE_FAULT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local left = redis.call('HGET', KEYS[2], ARGV[1])
if left then
  if tonumber(left) <= 0 then return 0 end
  redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('HSET', KEYS[5], 'generation', ARGV[2])
return 1
"""

# KEYS: fault rules, remaining counts, applications, order, control. ARGV: fault id, new generation.
REMOVE_FAULT = """
local gone = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('LREM', KEYS[4], 0, ARGV[1])
redis.call('HSET', KEYS[5], 'generation', ARGV[2])
return gone
"""

# KEYS: posts, deleted posts, the author's post ids, the author's last post of this text, replies
# of the parent, quotes of the quoted post, balances, ledger, the post's void marker, the event log.
# ARGV: id, json, duplicate-since or '', created at, whether to remember the text, whether a reply,
# whether a quote, milliseconds to remember the text, deadline (epoch seconds) or '', then the charge:
# app or '', price units, floor units, ledger entry without its closing brace, amount text; then the
# post.create event and the log's length.
# The post, its charge and its event happen together or not at all. 1 created, 0 duplicate, -1 the balance
# cannot pay, -2 too late (the client gave up waiting) or voided by a settlement: nothing done.
CREATE_POST = (
    _MONEY
    + """
if redis.call('EXISTS', KEYS[9]) == 1 then return -2 end
if ARGV[9] ~= '' then
  local t = redis.call('TIME')
  if tonumber(t[1]) + tonumber(t[2]) / 1e6 > tonumber(ARGV[9]) then return -2 end
end
local balance
if ARGV[10] ~= '' then
  balance = tonumber(redis.call('HGET', KEYS[7], ARGV[10]) or '0') - tonumber(ARGV[11])
  if balance < tonumber(ARGV[12]) then return -1 end
end
if ARGV[3] ~= '' then
  local prior = redis.call('GET', KEYS[4])
  if prior then
    local sep = string.find(prior, '|', 1, true)
    local pid, at = string.sub(prior, 1, sep - 1), tonumber(string.sub(prior, sep + 1))
    if at > tonumber(ARGV[3]) and redis.call('HEXISTS', KEYS[1], pid) == 1
        and redis.call('SISMEMBER', KEYS[2], pid) == 0 then
      return 0
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[1])
if ARGV[5] == '1' then redis.call('SET', KEYS[4], ARGV[1] .. '|' .. ARGV[4], 'PX', ARGV[8]) end
if ARGV[6] == '1' then redis.call('SADD', KEYS[5], ARGV[1]) end
if ARGV[7] == '1' then redis.call('SADD', KEYS[6], ARGV[1]) end
if balance then
  redis.call('HSET', KEYS[7], ARGV[10], string.format('%.0f', balance))
  redis.call('RPUSH', KEYS[8], ARGV[13] .. ',"amount":"' .. ARGV[14] .. '","balance":"' .. money(balance) .. '"}')
end
redis.call('XADD', KEYS[10], 'MAXLEN', '~', ARGV[16], '*', 'e', ARGV[15])
return 1
"""
)

# KEYS: posts, the author's post ids, replies of the parent, quotes of the quoted post, balances,
# ledger, the post's void marker. ARGV: id, milliseconds to keep the marker, then the charge to give
# back: app or '', price units, refund entry without its closing brace, amount text.
# Settles a post whose creation got no answer: if it was written, it is taken back whole (the client
# was told it failed) and its charge refunded; if not, the marker keeps a late arrival from writing it.
VOID_POST = (
    _MONEY
    + """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  redis.call('SET', KEYS[7], '1', 'PX', ARGV[2])
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
if ARGV[3] ~= '' then
  local balance = tonumber(redis.call('HGET', KEYS[5], ARGV[3]) or '0') + tonumber(ARGV[4])
  redis.call('HSET', KEYS[5], ARGV[3], string.format('%.0f', balance))
  redis.call('RPUSH', KEYS[6], ARGV[5] .. ',"amount":"' .. ARGV[6] .. '","balance":"' .. money(balance) .. '"}')
end
redis.call('SET', KEYS[7], '1', 'PX', ARGV[2])
return 1
"""
)

# KEYS: posts, deleted posts, replies of the parent, quotes of the quoted post, the event log. ARGV: id,
# the json read before, the deleted version, the post.delete event, the log's length. Compare-and-swap:
# 0 when the post changed meanwhile.
DELETE_POST = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[4])
return 1
"""

# KEYS: control hash. ARGV: operation, host time, value. The shared clock's state changes.
CLOCK = """
local frozen = redis.call('HGET', KEYS[1], 'frozen')
local offset = tonumber(redis.call('HGET', KEYS[1], 'offset') or '0')
local op, wall, value = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = frozen and tonumber(frozen) or wall + offset
if op == 'freeze' then
  frozen = string.format('%.6f', value or now)
elseif op == 'set' then
  if frozen then frozen = string.format('%.6f', value) else offset = value - wall end
elseif op == 'advance' then
  if frozen then frozen = string.format('%.6f', tonumber(frozen) + value) else offset = offset + value end
elseif op == 'resume' then
  if frozen then offset = tonumber(frozen) - wall; frozen = false end
elseif op == 'reset' then
  offset = 0; frozen = false
end
redis.call('HSET', KEYS[1], 'offset', string.format('%.6f', offset))
if frozen then redis.call('HSET', KEYS[1], 'frozen', frozen) else redis.call('HDEL', KEYS[1], 'frozen') end
return {string.format('%.6f', offset), frozen or ''}
"""

# An edge and its mirror change together, and the change is logged as an event in the same step.
# KEYS: out set of src, in set of dst, the event stream. ARGV: src, dst, on, at, event json or '', log length.
SET_EDGE = """
local changed
if ARGV[3] == '1' then
  changed = redis.call('ZADD', KEYS[1], 'NX', ARGV[4], ARGV[2])
  if changed == 1 then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1]) end
else
  changed = redis.call('ZREM', KEYS[1], ARGV[2])
  if changed == 1 then redis.call('ZREM', KEYS[2], ARGV[1]) end
end
if changed == 1 and ARGV[5] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'e', ARGV[5])
end
return changed
"""

# Every edge from or to a node, and their mirrors. KEYS: out and in sets of the node. ARGV: node, key prefix
# of the kind ("...:edge:<kind>:").
DROP_EDGES = """
for _, dst in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  redis.call('ZREM', ARGV[2] .. 'in:' .. dst, ARGV[1])
end
for _, src in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  redis.call('ZREM', ARGV[2] .. 'out:' .. src, ARGV[1])
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
"""

# One request's books in one step (simulator/admission.py), in X's order: nonce, rate windows, balance;
# a refused step stops the rest. KEYS: control, nonce, balances, ledger, the day's charged resources,
# journal stream, status counters, per-process counters, then one window hash per bucket. ARGV: 1 '1' to
# check the control state, 2-5 the offset, frozen, settings and generation the request ran on ('' for
# none), 6 now, 7 '1' for a nonce, 8 its expiry, 9 milliseconds to keep it, 10 credit mode ('', positive,
# afford, reserve), 11 app, 12 amount units, 13 ledger entry without its closing brace, 14 reserve amount
# text, 15 journal entry json or '', 16 counter field or '', 17 journal length, 18 milliseconds to keep
# the day's charged set, 19 number of buckets, 20 the answering process's counter field, then limit and
# window per bucket, then resource and price units pairs. Answers {refusal or '', charged units, used
# and start per bucket}, or on a moved control state {'stale', offset, frozen, settings, generation}
# with nothing done.
ADMIT = (
    _MONEY
    + _WINDOWS
    + _CHARGE
    + """
if ARGV[1] == '1' then
  local c = redis.call('HMGET', KEYS[1], 'offset', 'frozen', 'settings', 'generation')
  for i = 1, 4 do
    if (c[i] or '') ~= ARGV[i + 1] then
      return {'stale', c[1] or '', c[2] or '', c[3] or '', c[4] or ''}
    end
  end
end
local now = tonumber(ARGV[6])
if ARGV[7] == '1' then
  local seen = redis.call('GET', KEYS[2])
  if seen and tonumber(seen) > now then return {'nonce', '0'} end
  redis.call('SET', KEYS[2], ARGV[8], 'PX', ARGV[9])
end
local n = tonumber(ARGV[19])
local allowed, states = count_windows(8, 20, n, now)
local out = {'', '0'}
for _, v in ipairs(states) do out[#out + 1] = v end
if not allowed then out[1] = 'limited'; return out end
local mode, app = ARGV[10], ARGV[11]
local balance
if mode ~= '' then
  balance = tonumber(redis.call('HGET', KEYS[3], app) or '0')
  local amount = tonumber(ARGV[12])
  if (mode == 'positive' and balance <= 0) or (mode ~= 'positive' and balance - amount < 0) then
    out[1] = 'credits'
    return out
  end
  if mode == 'reserve' then
    balance = balance - amount
    redis.call('HSET', KEYS[3], app, string.format('%.0f', balance))
    redis.call('RPUSH', KEYS[4], ARGV[13] .. ',"amount":"' .. ARGV[14] .. '","balance":"' .. money(balance) .. '"}')
  end
end
if #ARGV >= 21 + 2 * n then
  local total = charge(KEYS[3], KEYS[4], KEYS[5], app, ARGV[13], ARGV[18], 21 + 2 * n)
  out[2] = string.format('%.0f', total)
end
if ARGV[15] ~= '' then
  local e = ARGV[15]
  if out[2] ~= '0' then e = string.sub(e, 1, -2) .. ',"charged":"' .. money(tonumber(out[2])) .. '"}' end
  redis.call('XADD', KEYS[6], 'MAXLEN', ARGV[17], '*', 'e', e)
end
if ARGV[16] ~= '' then
  redis.call('HINCRBY', KEYS[7], ARGV[16], 1)
  redis.call('HINCRBY', KEYS[8], ARGV[20], 1)
end
return out
"""
)
