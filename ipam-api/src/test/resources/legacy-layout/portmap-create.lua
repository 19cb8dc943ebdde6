-- Allocates a free connection port and records a pending mapping, atomically: two
-- concurrent creates can never receive the same port.
-- KEYS: 1 generation counter, 2 set of used ports, 3 pending zset, 4 idempotency key ('' slot-mate when unused)
-- ARGV: 1 map key prefix, 2 port min, 3 port max, 4 random number, 5 target_addr, 6 target_port,
--       7 name, 8 component, 9 now (ISO-8601), 10 request id, 11 idempotency fingerprint ('' = none),
--       12 idempotency ttl ms, 13 republish due (epoch ms)
-- An idempotency record is '<fingerprint>|<port>|<generation>', the mapping that key created;
-- portmap-confirm.lua appends '|failed|<reason>' or '|removed|' when that mapping is gone.
-- Records of earlier versions ('<fingerprint>|<port>') name no generation.
-- Returns {'created', port, generation}, {'existing', port, generation, state},
-- {'gone', port, what ('failed', 'removed', 'removing'), reason}, {'full'} or {'idempotency_conflict'}.
if ARGV[11] ~= '' then
  local previous = redis.call('GET', KEYS[4])
  if previous then
    local fingerprint, port, generation, outcome, reason = string.match(previous, '^([^|]*)|(%d+)|?(%d*)|?([a-z]*)|?(.*)$')
    if fingerprint ~= ARGV[11] then
      return {'idempotency_conflict'}
    end
    if outcome ~= '' then
      return {'gone', tonumber(port), outcome, reason}
    end
    local mapping = redis.call('HMGET', ARGV[1] .. port, 'state', 'generation', 'idempotency_record')
    local state = mapping[1]
    local alive = state == 'pending' or state == 'applied'
    if mapping[3] == previous or (generation == '' and alive) then
      if alive then
        return {'existing', tonumber(port), tonumber(mapping[2]), state}
      end
      return {'gone', tonumber(port), 'removing', ''}
    end
    if alive and mapping[2] == generation then
      return {'existing', tonumber(port), tonumber(generation), state}
    end
    -- the port is free again, or another mapping holds it now: never answer with that one
    return {'gone', tonumber(port), 'removed', ''}
  end
end
local min, max = tonumber(ARGV[2]), tonumber(ARGV[3])
local used = {}
for _, port in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  used[tonumber(port)] = true
end
local free = {}
for port = min, max do
  if not used[port] then
    free[#free + 1] = port
  end
end
if #free == 0 then
  return {'full'}
end
local port = free[(tonumber(ARGV[4]) % #free) + 1]
local generation = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. port, 'conn_port', port, 'target_addr', ARGV[5], 'target_port', ARGV[6],
  'name', ARGV[7], 'component', ARGV[8], 'state', 'pending', 'generation', generation,
  'created', ARGV[9], 'updated', ARGV[9], 'request_id', ARGV[10])
redis.call('SADD', KEYS[2], port)
redis.call('ZADD', KEYS[3], ARGV[13], port)
if ARGV[11] ~= '' then
  local record = ARGV[11] .. '|' .. port .. '|' .. generation
  redis.call('SET', KEYS[4], record, 'PX', ARGV[12])
  redis.call('HSET', ARGV[1] .. port, 'idempotency_key', KEYS[4], 'idempotency_record', record)
end
return {'created', port, generation}
