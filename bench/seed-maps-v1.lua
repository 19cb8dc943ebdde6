-- The same seed in the first layout (one hash per mapping and per address), to measure a jar
-- of that layout against the same data: for benchmarks only.
-- KEYS: 1 generation counter, 2 used-port set
-- ARGV: 1 count, 2 first connection port, 3 now (ISO-8601), 4 now (epoch ms), 5 the gateway's key base
local count, first = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 0, count - 1 do
  local port = first + i
  local addr = '192.168.' .. (1 + math.floor(i / 250)) .. '.' .. (1 + i % 250)
  local generation = redis.call('INCR', KEYS[1])
  redis.call('HSET', ARGV[5] .. 'map:' .. port, 'conn_port', port, 'target_addr', addr, 'target_port', 22,
    'name', 'g' .. i, 'component', (i % 2 == 0) and 'Linux' or 'Windows', 'state', 'applied',
    'generation', generation, 'created', ARGV[3], 'updated', ARGV[3], 'request_id', 'bench')
  redis.call('SADD', KEYS[2], port)
  redis.call('HSET', ARGV[5] .. 'addr:' .. addr, 'observed_at', ARGV[4], 'routable', 'true', 'last_seen', ARGV[3])
end
return count
