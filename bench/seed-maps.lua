-- Seeds a gateway with applied mappings and a reachability verdict per address, as the
-- create and confirm scripts would leave them, without an agent: for benchmarks only.
-- KEYS: 1 mappings hash, 2 index zset, 3 reachability hash, 4 generation counter
-- ARGV: 1 count, 2 first connection port, 3 now (ISO-8601), 4 now (epoch ms)
local count, first = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 0, count - 1 do
  local port = first + i
  local addr = '192.168.' .. (1 + math.floor(i / 250)) .. '.' .. (1 + i % 250)
  local name, component = 'g' .. i, (i % 2 == 0) and 'Linux' or 'Windows'
  local generation = redis.call('INCR', KEYS[4])
  redis.call('HSET', KEYS[1], port, cjson.encode({conn_port = port, target_addr = addr, target_port = 22, name = name,
    component = component, state = 'applied', generation = generation, created = ARGV[3], updated = ARGV[3],
    request_id = 'bench'}))
  redis.call('ZADD', KEYS[2], 0, 'n:' .. name .. '\0' .. port, 0, 'a:' .. addr .. '\0' .. port,
    0, 'c:' .. component .. '\0' .. port)
  redis.call('HSET', KEYS[3], addr, cjson.encode({observed_at = tonumber(ARGV[4]), routable = true,
    last_seen = ARGV[3]}))
end
return count
