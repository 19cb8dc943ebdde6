-- Converts one gateway's keys of the first layout (one hash per mapping, a set of used ports,
-- one hash per address, one string per idempotency record) into the gateway's hashes, at once:
-- every mapping is moved exactly once, or nothing is (the used-port set changed: 'retry').
-- The generation counter and the pending zset have the same names in both layouts.
-- KEYS: 1 mappings hash, 2 index zset, 3 reachability hash, 4 idempotency records hash,
--       5 idempotency expiry zset, 6 pool hash, 7 old used-port set,
--       then ARGV[1] old mapping hashes, ARGV[2] old address hashes, ARGV[3] old idempotency strings
-- ARGV: 1-3 the counts above, 4 the gateway's key base ('<prefix>{<gateway>}:', to read ports,
--       addresses and hashed keys out of the declared key names), 5 idempotency ttl ms (for a
--       record without expiry)
-- Returns {'converted', mappings, addresses, idempotency records} or {'retry'}.
local maps, addrs, records = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local base = ARGV[4]
if redis.call('SCARD', KEYS[7]) ~= maps then
  return {'retry'}
end
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function suffix(key, kind)
  return string.sub(key, #base + #kind + 1)
end
local function fields(i)
  local flat, hash = redis.call('HGETALL', KEYS[i]), {}
  for i = 1, #flat, 2 do
    hash[flat[i]] = flat[i + 1]
  end
  return hash
end
local moved = 0
for i = 8, 7 + maps do
  local port = suffix(KEYS[i], 'map:')
  if redis.call('SISMEMBER', KEYS[7], port) == 0 then
    return {'retry'}
  end
  local old = fields(i)
  if old.state and redis.call('HEXISTS', KEYS[1], port) == 0 then
    local mapping = {conn_port = tonumber(port), target_addr = old.target_addr, target_port = tonumber(old.target_port),
      name = old.name, component = old.component, state = old.state, generation = tonumber(old.generation),
      created = old.created, updated = old.updated, request_id = old.request_id, error = old.error,
      idempotency_record = old.idempotency_record}
    if old.idempotency_key then
      mapping.idempotency_key = suffix(old.idempotency_key, 'idempotency:')
    end
    redis.call('HSET', KEYS[1], port, cjson.encode(mapping))
    redis.call('ZADD', KEYS[2], 0, 'n:' .. old.name .. '\0' .. port, 0, 'a:' .. old.target_addr .. '\0' .. port,
      0, 'c:' .. old.component .. '\0' .. port)
    moved = moved + 1
  end
  redis.call('DEL', KEYS[i])
end
for i = 8 + maps, 7 + maps + addrs do
  local old = fields(i)
  local address = suffix(KEYS[i], 'addr:')
  if old.routable and redis.call('HEXISTS', KEYS[3], address) == 0 then
    redis.call('HSET', KEYS[3], address, cjson.encode({observed_at = tonumber(old.observed_at),
      routable = old.routable == 'true', last_seen = old.last_seen}))
  end
  redis.call('DEL', KEYS[i])
end
for i = 8 + maps + addrs, 7 + maps + addrs + records do
  local record = redis.call('GET', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  local hashed = suffix(KEYS[i], 'idempotency:')
  if record and redis.call('HEXISTS', KEYS[4], hashed) == 0 then
    redis.call('HSET', KEYS[4], hashed, record)
    redis.call('ZADD', KEYS[5], now_ms + (ttl > 0 and ttl or tonumber(ARGV[5])), hashed)
  end
  redis.call('DEL', KEYS[i])
end
redis.call('DEL', KEYS[7])
-- the free set is seeded again from the mappings by the next create
redis.call('DEL', KEYS[6])
return {'converted', moved, addrs, records}
