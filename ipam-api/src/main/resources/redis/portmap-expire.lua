-- Claims the mappings whose lease ran out and marks each as being removed under the next
-- generation, like portmap-remove.lua, with removal_reason 'expired': each claimed port leaves
-- the lease expiry zset in the same step, so of several API replicas only one removes it. The
-- removal command is due at once and re-published like any pending one until the agent answers.
-- A lease of a failed mapping is dropped (not of one the agent refused after applying it: that
-- one is still wanted, see portmap-confirm.lua); one of a mapping already being removed is looked at
-- again when the removal is due to be re-published, since a removal whose command could not be
-- published is undone (portmap-undo.lua) and the mapping must then still expire.
-- Uses lib/mapping-wanted.lua.
-- KEYS: 1 generation counter, 2 mappings hash, 3 pending zset, 4 lease expiry zset
-- ARGV: 1 now (epoch ms), 2 limit, 3 now (ISO-8601), 4 republish due (epoch ms)
-- Returns {port, generation, port, generation, ...} of the mappings now being removed.
local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, port in ipairs(due) do
  local json = redis.call('HGET', KEYS[2], port)
  local mapping = json and cjson.decode(json)
  if mapping and mapping.state == 'removing' then
    redis.call('ZADD', KEYS[4], ARGV[4], port)
  else
    redis.call('ZREM', KEYS[4], port)
  end
  if mapping and mapping_wanted(mapping) then
    local generation = redis.call('INCR', KEYS[1])
    mapping.state, mapping.generation, mapping.updated, mapping.request_id = 'removing', generation, ARGV[3], ''
    mapping.removal_reason, mapping.error, mapping.refused = 'expired', nil, nil
    redis.call('HSET', KEYS[2], port, cjson.encode(mapping))
    redis.call('ZADD', KEYS[3], ARGV[4], port)
    claimed[#claimed + 1] = port
    claimed[#claimed + 1] = generation
  end
end
return claimed
