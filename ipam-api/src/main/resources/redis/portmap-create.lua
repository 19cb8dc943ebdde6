-- Allocates a free connection port and records a pending mapping, atomically: two
-- concurrent creates can never receive the same port.
-- KEYS: 1 generation counter, 2 set of used ports, 3 pending zset, 4 idempotency key ('' slot-mate when unused)
-- ARGV: 1 map key prefix, 2 port min, 3 port max, 4 random number, 5 target_addr, 6 target_port,
--       7 name, 8 component, 9 now (ISO-8601), 10 request id, 11 idempotency fingerprint ('' = none),
--       12 idempotency ttl ms, 13 republish due (epoch ms)
if ARGV[11] ~= '' then
  local previous = redis.call('GET', KEYS[4])
  if previous then
    local separator = string.find(previous, '|', 1, true)
    if string.sub(previous, 1, separator - 1) ~= ARGV[11] then
      return {'idempotency_conflict'}
    end
    return {'existing', tonumber(string.sub(previous, separator + 1))}
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
  redis.call('SET', KEYS[4], ARGV[11] .. '|' .. port, 'PX', ARGV[12])
end
return {'created', port, generation}
