-- Applies an agent's confirmation to a mapping, idempotently: only an event for the
-- mapping's current generation changes it, so duplicates and stale events do nothing.
-- KEYS: 1 mapping hash, 2 set of used ports, 3 pending zset
-- ARGV: 1 connection port, 2 generation, 3 outcome (applied|failed|removed), 4 action of a
--       failure (create|remove), 5 reason, 6 now (ISO-8601), 7 gateway id, 8 change channel
--       (a channel is not a key: as a key it would break Redis Cluster's one-slot rule)
-- The mapping's idempotency key is built from its hash, in the same slot as the declared keys.
-- Returns the resulting state ('applied', 'failed', 'released', 'removed') or 'ignored'.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return 'ignored'
end
local generation = tonumber(redis.call('HGET', KEYS[1], 'generation'))
local event_generation = tonumber(ARGV[2])
local result = 'ignored'
if ARGV[3] == 'removed' then
  -- a removal at or after the current generation: the rule is gone, the port is free again
  if event_generation >= generation then
    result = 'removed'
  end
elseif event_generation == generation then
  if ARGV[3] == 'applied' and state == 'pending' then
    result = 'applied'
  elseif ARGV[3] == 'failed' and ARGV[4] == 'create' and state == 'pending' then
    result = 'released'
  elseif ARGV[3] == 'failed' and ARGV[4] == 'remove' and state == 'removing' then
    result = 'failed'
  end
end
if result == 'removed' or result == 'released' then
  -- the Idempotency-Key that created this mapping remembers what became of it (see portmap-create.lua)
  local idempotency = redis.call('HMGET', KEYS[1], 'idempotency_key', 'idempotency_record')
  if idempotency[1] and redis.call('GET', idempotency[1]) == idempotency[2] then
    local outcome = result == 'released' and ('|failed|' .. ARGV[5]) or '|removed|'
    redis.call('SET', idempotency[1], idempotency[2] .. outcome, 'KEEPTTL')
  end
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
elseif result == 'applied' then
  redis.call('HSET', KEYS[1], 'state', 'applied', 'updated', ARGV[6])
  redis.call('ZREM', KEYS[3], ARGV[1])
elseif result == 'failed' then
  redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[5], 'updated', ARGV[6])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
if result ~= 'ignored' then
  redis.call('PUBLISH', ARGV[8], ARGV[7] .. ' ' .. ARGV[1] .. ' ' .. event_generation .. ' ' .. result .. ' ' .. ARGV[5])
end
return result
