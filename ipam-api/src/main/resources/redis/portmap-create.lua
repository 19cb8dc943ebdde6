-- Allocates a free connection port and records a pending mapping, atomically: two
-- concurrent creates can never receive the same port. Allocation pops a random member of the
-- gateway's free-port set (O(1) in the range); the set is seeded from the configured range
-- minus the ports in use the first time and whenever the range changes, so a port outside the
-- range is never handed out and a port in use is never free.
-- A released port cools down in the cooling zset (scored by the end of its cool-down, see
-- lib/release-mapping.lua): each create first moves a bounded batch of ports whose cool-down is
-- over into the free set (O(log N) in the range), and takes a cooling port, the oldest, only when
-- no port is free. A port that is neither free nor cooling nor used (a range change, the first
-- layout's conversion) is seeded again with the range.
-- Uses lib/mapping-wanted.lua.
-- KEYS: 1 generation counter, 2 mappings hash, 3 free-port set, 4 pool hash (the seeded range),
--       5 pending zset, 6 index zset, 7 idempotency records hash, 8 idempotency expiry zset,
--       9 cooling zset, 10 lease expiry zset
-- ARGV: 1 port min, 2 port max, 3 target_addr, 4 target_port, 5 name, 6 component, 7 now (ISO-8601),
--       8 request id, 9 hashed Idempotency-Key ('' = none), 10 its fingerprint, 11 idempotency ttl ms,
--       12 republish due (epoch ms), 13 lease expiry (epoch ms, '' = no lease), 14 the same as ISO-8601,
--       15 protocol ('' = tcp), 16 allowed sources as a JSON array of CIDRs ('' = every source)
-- Both are left out of the mapping's JSON at their defaults, so every reader takes a record
-- without them (also one written before they existed) as tcp, open to every source.
-- A mapping with a lease carries expires_at and is scored in the lease expiry zset (see portmap-expire.lua).
-- An idempotency record is '<fingerprint>|<port>|<generation>', the mapping that key created;
-- portmap-confirm.lua appends '|failed|<reason>' or '|removed|' when that mapping is gone.
-- Records of earlier versions ('<fingerprint>|<port>') name no generation. A record lives for
-- the ttl by Redis's clock; expired ones are dropped here, a few per call.
-- Returns {'created', port, generation}, {'existing', port, generation, state, expires_at ('' = no lease)},
-- {'gone', port, what ('failed', 'removed', 'removing'), reason}, {'full'} or {'idempotency_conflict'}.
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', now_ms, 'LIMIT', 0, 100)
if #expired > 0 then
  redis.call('HDEL', KEYS[7], unpack(expired))
  redis.call('ZREM', KEYS[8], unpack(expired))
end
if ARGV[9] ~= '' then
  local previous = redis.call('HGET', KEYS[7], ARGV[9])
  if previous and tonumber(redis.call('ZSCORE', KEYS[8], ARGV[9]) or 0) <= now_ms then
    redis.call('HDEL', KEYS[7], ARGV[9])
    redis.call('ZREM', KEYS[8], ARGV[9])
    previous = nil
  end
  if previous then
    local fingerprint, port, generation, outcome, reason = string.match(previous, '^([^|]*)|(%d+)|?(%d*)|?([a-z]*)|?(.*)$')
    if fingerprint ~= ARGV[10] then
      return {'idempotency_conflict'}
    end
    if outcome ~= '' then
      return {'gone', tonumber(port), outcome, reason}
    end
    local json = redis.call('HGET', KEYS[2], port)
    local mapping = json and cjson.decode(json) or {}
    local state = mapping.state
    local current = mapping.generation and tostring(mapping.generation)
    local alive = mapping_wanted(mapping)
    if mapping.idempotency_record == previous or (generation == '' and alive) then
      if alive then
        return {'existing', tonumber(port), tonumber(current), state, mapping.expires_at or ''}
      end
      return {'gone', tonumber(port), 'removing', ''}
    end
    if alive and current == generation then
      return {'existing', tonumber(port), tonumber(generation), state, mapping.expires_at or ''}
    end
    -- the port is free again, or another mapping holds it now: never answer with that one
    return {'gone', tonumber(port), 'removed', ''}
  end
end
local min, max = tonumber(ARGV[1]), tonumber(ARGV[2])
local pool = redis.call('HMGET', KEYS[4], 'min', 'max')
if tonumber(pool[1]) ~= min or tonumber(pool[2]) ~= max then
  local used = {}
  for _, port in ipairs(redis.call('HKEYS', KEYS[2])) do
    used[tonumber(port)] = true
  end
  -- a cooling port inside the new range keeps cooling; outside it, it is dropped
  for _, port in ipairs(redis.call('ZRANGE', KEYS[9], 0, -1)) do
    local number = tonumber(port)
    if number >= min and number <= max then
      used[number] = true
    else
      redis.call('ZREM', KEYS[9], port)
    end
  end
  redis.call('DEL', KEYS[3])
  local batch = {}
  for port = min, max do
    if not used[port] then
      batch[#batch + 1] = port
      if #batch == 1000 then
        redis.call('SADD', KEYS[3], unpack(batch))
        batch = {}
      end
    end
  end
  if #batch > 0 then
    redis.call('SADD', KEYS[3], unpack(batch))
  end
  redis.call('HSET', KEYS[4], 'min', min, 'max', max)
end
-- ports whose cool-down is over are free again; one still in use (written by a replica of an
-- earlier version) is dropped, never freed
local cooled = redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', now_ms, 'LIMIT', 0, 100)
for _, port in ipairs(cooled) do
  if redis.call('HEXISTS', KEYS[2], port) == 0 then
    redis.call('SADD', KEYS[3], port)
  end
end
if #cooled > 0 then
  redis.call('ZREM', KEYS[9], unpack(cooled))
end
local popped = redis.call('SPOP', KEYS[3])
while not popped do
  local oldest = redis.call('ZPOPMIN', KEYS[9])
  if #oldest == 0 then
    return {'full'}
  end
  if redis.call('HEXISTS', KEYS[2], oldest[1]) == 0 then
    popped = oldest[1]
  end
end
local port = tonumber(popped)
local generation = redis.call('INCR', KEYS[1])
local mapping = {conn_port = port, target_addr = ARGV[3], target_port = tonumber(ARGV[4]), name = ARGV[5],
  component = ARGV[6], state = 'pending', generation = generation, created = ARGV[7], updated = ARGV[7],
  request_id = ARGV[8]}
if ARGV[15] ~= '' then
  mapping.protocol = ARGV[15]
end
if ARGV[16] ~= '' then
  mapping.allowed_sources = cjson.decode(ARGV[16])
end
if ARGV[13] ~= '' then
  mapping.expires_at = ARGV[14]
  redis.call('ZADD', KEYS[10], ARGV[13], port)
end
if ARGV[9] ~= '' then
  local record = ARGV[10] .. '|' .. port .. '|' .. generation
  redis.call('HSET', KEYS[7], ARGV[9], record)
  redis.call('ZADD', KEYS[8], now_ms + tonumber(ARGV[11]), ARGV[9])
  mapping.idempotency_key = ARGV[9]
  mapping.idempotency_record = record
end
redis.call('HSET', KEYS[2], port, cjson.encode(mapping))
redis.call('ZADD', KEYS[6], 0, 'n:' .. ARGV[5] .. '\0' .. port, 0, 'a:' .. ARGV[3] .. '\0' .. port,
  0, 'c:' .. ARGV[6] .. '\0' .. port)
redis.call('ZADD', KEYS[5], ARGV[12], port)
return {'created', port, generation}
