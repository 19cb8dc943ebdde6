-- Marks a mapping as being removed under the next generation. The port stays used until the
-- agent confirms the removal. Returns what it was, so a failed publish can undo it.
-- KEYS: 1 generation counter, 2 mapping hash, 3 pending zset
-- ARGV: 1 connection port, 2 now (ISO-8601), 3 republish due (epoch ms), 4 request id
local state = redis.call('HGET', KEYS[2], 'state')
if not state then
  return {'missing'}
end
local previous_generation = redis.call('HGET', KEYS[2], 'generation')
local generation = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], 'state', 'removing', 'generation', generation, 'updated', ARGV[2], 'request_id', ARGV[4])
redis.call('HDEL', KEYS[2], 'error')
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return {'removing', generation, state, previous_generation}
